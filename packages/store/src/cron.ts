import { Cron } from 'croner'

/**
 * The one cron of the product (croner), for audience and campaign schedules alike.
 *
 * - Fields: minute hour day-of-month month day-of-week (names, ranges, lists, steps); audience
 *   schedules also take a leading seconds field. When both day fields are restricted, a day that
 *   matches either runs (as in Vixie cron).
 * - Daylight saving time, in the schedule's IANA zone: a wall-clock time that does not exist that
 *   day (clocks go forward) runs at the first minute after the gap (02:30 in Europe/Paris on
 *   29 March 2026 runs at 03:00 CEST); a time that happens twice (clocks go back) runs once, at its
 *   first occurrence (02:30 CEST on 25 October 2026, not 02:30 CET).
 */
export function cronOf(expression: string, timeZone: string, fields: 5 | 6 = 6): Cron {
  const parts = expression.trim().split(/\s+/)
  if (parts.length !== 5 && !(fields === 6 && parts.length === 6))
    throw new Error(
      fields === 5
        ? 'a cron expression has 5 fields: minute hour day month weekday'
        : 'a cron expression has 5 fields (minute hour day month weekday), or 6 with seconds first',
    )
  return new Cron(parts.join(' '), { timezone: timeZone, paused: true })
}

/** True when the runtime knows the IANA time zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}

/**
 * The next `count` launches of several expressions in one zone, strictly after `after` and not
 * after `until` (ms), merged in time order without duplicates.
 */
export function cronLaunches(
  crons: Cron[],
  after: Date,
  count: number,
  until = Number.POSITIVE_INFINITY,
): Date[] {
  const all = new Set<number>()
  for (const c of crons)
    for (const d of c.nextRuns(count, after)) if (d.getTime() <= until) all.add(d.getTime())
  return [...all]
    .sort((a, b) => a - b)
    .slice(0, count)
    .map((t) => new Date(t))
}
