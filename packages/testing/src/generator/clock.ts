import type { RowBuffer } from './row-buffer'

const DAY = 86_400

/**
 * Formats seconds since the epoch as UTC dates (`YYYY-MM-DD`) and timestamps (`YYYY-MM-DD HH:MM:SS`) without
 * a Date per value: the generator formats tens of millions of them, so the days of the century before asOf
 * are formatted once, up front.
 */
export class Clock {
  /** asOf, in whole seconds since the epoch. */
  readonly asOf: number
  private readonly firstDay: number
  private readonly dates: string[] = []
  private readonly years: Uint16Array
  /** `YYYY-MM-DD ` of every day, 11 bytes each. */
  private readonly dayBytes: Uint8Array

  constructor(asOf: Date, yearsBack = 101) {
    this.asOf = Math.floor(asOf.getTime() / 1000)
    const lastDay = Math.floor(this.asOf / DAY)
    this.firstDay = lastDay - Math.ceil(yearsBack * 365.25)
    this.dayBytes = new Uint8Array((lastDay - this.firstDay + 1) * 11)
    this.years = new Uint16Array(lastDay - this.firstDay + 1)
    for (let day = this.firstDay; day <= lastDay; day++) {
      const date = new Date(day * DAY * 1000).toISOString().slice(0, 10)
      this.dates.push(date)
      this.years[day - this.firstDay] = Number(date.slice(0, 4))
      this.dayBytes.set(Buffer.from(`${date} `, 'latin1'), (day - this.firstDay) * 11)
    }
  }

  /** `YYYY-MM-DD` of a time in seconds. */
  date(seconds: number): string {
    return this.dates[Math.floor(seconds / DAY) - this.firstDay]!
  }

  /** The year of a time in seconds. */
  year(seconds: number): number {
    return this.years[Math.floor(seconds / DAY) - this.firstDay]!
  }

  /** Writes `YYYY-MM-DD` of a time in seconds. */
  writeDate(out: RowBuffer, seconds: number): void {
    const from = (Math.floor(seconds / DAY) - this.firstDay) * 11
    out.range(this.dayBytes, from, from + 10)
  }

  /** Writes `YYYY-MM-DD HH:MM:SS` (UTC) of a time in whole seconds. */
  writeTimestamp(out: RowBuffer, seconds: number): void {
    const day = Math.floor(seconds / DAY)
    const from = (day - this.firstDay) * 11
    out.range(this.dayBytes, from, from + 11)
    out.timeOfDay(seconds - day * DAY)
  }
}

export const SECONDS_PER_DAY = DAY
