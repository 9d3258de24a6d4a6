import type { DateUnit, RelativeDate } from './ast'

/** A half-open period [start, end); a missing side is unbounded. */
export interface Period {
  start: Date | undefined
  end: Date | undefined
}

const DAY = 86_400_000

function startOfDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()))
}

/** Adds calendar units in UTC; months and years clamp to the last day of a shorter month. */
export function addUnits(d: Date, n: number, unit: DateUnit): Date {
  switch (unit) {
    case 'days':
      return new Date(d.getTime() + n * DAY)
    case 'weeks':
      return new Date(d.getTime() + n * 7 * DAY)
    case 'months':
    case 'years': {
      const months = unit === 'years' ? n * 12 : n
      const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months
      const year = Math.floor(total / 12)
      const month = total - year * 12
      const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
      const out = new Date(d.getTime())
      out.setUTCFullYear(year, month, Math.min(d.getUTCDate(), lastDay))
      return out
    }
  }
}

/** Monday 00:00 UTC of the week holding `d` (ISO weeks). */
function startOfWeek(d: Date): Date {
  const day = startOfDay(d)
  const dow = (day.getUTCDay() + 6) % 7
  return new Date(day.getTime() - dow * DAY)
}

/** Resolves a relative date against the evaluation time; calendar periods are UTC days, ISO weeks, months, years. */
export function resolveRelativeDate(rel: RelativeDate, asOf: Date): Period {
  const today = startOfDay(asOf)
  switch (rel.preset) {
    case 'today':
      return { start: today, end: addUnits(today, 1, 'days') }
    case 'yesterday':
      return { start: addUnits(today, -1, 'days'), end: today }
    case 'tomorrow':
      return { start: addUnits(today, 1, 'days'), end: addUnits(today, 2, 'days') }
    case 'this week': {
      const s = startOfWeek(asOf)
      return { start: s, end: addUnits(s, 1, 'weeks') }
    }
    case 'last week': {
      const s = startOfWeek(asOf)
      return { start: addUnits(s, -1, 'weeks'), end: s }
    }
    case 'this month': {
      const s = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), 1))
      return { start: s, end: addUnits(s, 1, 'months') }
    }
    case 'last month': {
      const s = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), 1))
      return { start: addUnits(s, -1, 'months'), end: s }
    }
    case 'this year': {
      const s = new Date(Date.UTC(asOf.getUTCFullYear(), 0, 1))
      return { start: s, end: addUnits(s, 1, 'years') }
    }
    case 'last year': {
      const s = new Date(Date.UTC(asOf.getUTCFullYear(), 0, 1))
      return { start: addUnits(s, -1, 'years'), end: s }
    }
    case 'last':
      return { start: addUnits(asOf, -rel.n, rel.unit), end: undefined }
    case 'next':
      return { start: asOf, end: addUnits(asOf, rel.n, rel.unit) }
    case 'before':
      return { start: undefined, end: addUnits(asOf, -rel.n, rel.unit) }
  }
}

/** Rounds a period to whole days for a `date` field: a day belongs to it when its start does. */
export function periodToDays(p: Period): Period {
  const ceil = (d: Date) => {
    const s = startOfDay(d)
    return s.getTime() === d.getTime() ? s : addUnits(s, 1, 'days')
  }
  return { start: p.start && ceil(p.start), end: p.end && ceil(p.end) }
}
