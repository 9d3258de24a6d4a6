import { AppError, type Issue } from '@ahub/core'
import { z } from 'zod'

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour')
const Weekday = z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])

/** When a scheduled campaign launches (SPEC 5.1 Scheduler), in `timeZone`, inside an optional validity window. */
export const ScheduleConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once'), at: z.iso.datetime({ offset: true, local: true }) }).strict(),
  z.object({ kind: z.literal('daily'), times: z.array(Time).min(1).max(48) }).strict(),
  z.object({ kind: z.literal('weekly'), days: z.array(Weekday).min(1).max(7), time: Time }).strict(),
  z
    .object({ kind: z.literal('monthly'), days: z.array(z.number().int().min(1).max(31)).min(1), time: Time })
    .strict(),
  z.object({ kind: z.literal('cron'), expression: z.string().min(9).max(200) }).strict(),
])
export type ScheduleConfig = z.infer<typeof ScheduleConfig>

/** A schedule with its zone and validity window. */
export interface Schedule {
  config: ScheduleConfig
  timeZone: string
  validFrom?: string
  validUntil?: string
}

interface Fields {
  minutes: number[]
  hours: number[]
  days: Set<number>
  months: Set<number>
  weekdays: Set<number>
  /** Cron semantics: when both day fields are restricted, a day matches either. */
  dayOr: boolean
}

const RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
]
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']

function parseField(text: string, index: number): number[] {
  const [lo, hi] = RANGES[index]!
  const names = index === 3 ? MONTHS : index === 4 ? DAYS : []
  const num = (s: string): number => {
    const named = names.indexOf(s.toLowerCase())
    const v = named >= 0 ? named + (index === 3 ? 1 : 0) : /^\d+$/.test(s) ? Number(s) : Number.NaN
    if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`"${s}" is not in ${lo}-${hi}`)
    return v
  }
  const out = new Set<number>()
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined]
    const step = stepText === undefined ? 1 : Number(stepText)
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step "${stepText}"`)
    let from = lo
    let to = hi
    if (range !== '*') {
      const [a, b] = range.split('-') as [string, string | undefined]
      from = num(a)
      to = b === undefined ? (stepText === undefined ? from : hi) : num(b)
      if (to < from) throw new Error(`empty range "${range}"`)
    }
    for (let v = from; v <= to; v += step) out.add(index === 4 && v === 7 ? 0 : v)
  }
  return [...out].sort((a, b) => a - b)
}

/** Parses a 5-field cron expression (minute hour day-of-month month day-of-week; names, ranges, lists, steps). */
export function parseCron(expression: string): Fields {
  const parts = expression.trim().split(/\s+/)
  if (parts.length !== 5) throw new Error('a cron expression has 5 fields: minute hour day month weekday')
  const [mi, h, d, mo, w] = parts.map((p, i) => parseField(p, i)) as [
    number[],
    number[],
    number[],
    number[],
    number[],
  ]
  return {
    minutes: mi,
    hours: h,
    days: new Set(d),
    months: new Set(mo),
    weekdays: new Set(w),
    dayOr: parts[2] !== '*' && parts[4] !== '*',
  }
}

function fieldsOf(config: Exclude<ScheduleConfig, { kind: 'once' }>): Fields[] {
  const at = (t: string): [number, number] => [Number(t.slice(0, 2)), Number(t.slice(3, 5))]
  switch (config.kind) {
    case 'cron':
      return [parseCron(config.expression)]
    case 'daily':
      return config.times.map((t) => parseCron(`${at(t)[1]} ${at(t)[0]} * * *`))
    case 'weekly':
      return [parseCron(`${at(config.time)[1]} ${at(config.time)[0]} * * ${config.days.join(',')}`)]
    case 'monthly':
      return [parseCron(`${at(config.time)[1]} ${at(config.time)[0]} ${config.days.join(',')} * *`)]
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** Offset of a time zone from UTC at an instant, in ms. */
function zoneOffset(instant: number, timeZone: string): number {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, f)
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]))
  const local = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!)
  return local - Math.floor(instant / 1000) * 1000
}

/** The instant of a wall-clock time in a zone; undefined when that time does not exist (DST gap). */
function fromLocal(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  timeZone: string,
): number | undefined {
  const guess = Date.UTC(y, mo - 1, d, h, mi)
  let t = guess - zoneOffset(guess, timeZone)
  t = guess - zoneOffset(t, timeZone)
  return t + zoneOffset(t, timeZone) === guess ? t : undefined
}

/** Checks a time zone name; throws CAMPAIGN_INVALID when the runtime does not know it. */
export function assertTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return timeZone
  } catch {
    throw new AppError('CAMPAIGN_INVALID', `Unknown time zone "${timeZone}"`, {
      details: {
        issues: [{ path: ['timeZone'], code: 'CAMPAIGN_BAD_SCHEDULE', message: 'unknown time zone' }],
      },
    })
  }
}

/** An issue at `path` when the runtime does not know the time zone. */
export function checkTimeZone(timeZone: string, path: (string | number)[] = ['timeZone']): Issue[] {
  try {
    assertTimeZone(timeZone)
    return []
  } catch {
    return [{ path, code: 'CAMPAIGN_BAD_SCHEDULE', message: `Unknown time zone "${timeZone}"` }]
  }
}

/** Problems of a schedule (bad cron, unknown zone, empty window), with paths. */
export function checkSchedule(s: Schedule): Issue[] {
  const issues: Issue[] = checkTimeZone(s.timeZone)
  if (s.config.kind === 'cron') {
    try {
      parseCron(s.config.expression)
    } catch (e) {
      issues.push({
        path: ['schedule', 'expression'],
        code: 'CAMPAIGN_BAD_SCHEDULE',
        message: `Invalid cron expression: ${(e as Error).message}`,
      })
    }
  }
  if (s.validFrom && s.validUntil && Date.parse(s.validFrom) >= Date.parse(s.validUntil))
    issues.push({
      path: ['validUntil'],
      code: 'CAMPAIGN_BAD_SCHEDULE',
      message: 'validUntil must be after validFrom',
    })
  return issues
}

/** The next `count` launches strictly after `after`, inside the validity window (at most 5 years ahead). */
export function nextLaunches(s: Schedule, after: Date, count = 10): Date[] {
  const from = Math.max(after.getTime(), s.validFrom ? Date.parse(s.validFrom) - 1 : -Infinity)
  const until = s.validUntil ? Date.parse(s.validUntil) : Infinity
  if (s.config.kind === 'once') {
    const at = Date.parse(s.config.at)
    return at > from && at <= until ? [new Date(at)] : []
  }
  const sets = fieldsOf(s.config)
  const out: number[] = []
  const startLocal = new Date(from + zoneOffset(from, s.timeZone))
  const day = new Date(
    Date.UTC(startLocal.getUTCFullYear(), startLocal.getUTCMonth(), startLocal.getUTCDate()),
  )
  for (let i = 0; i < 5 * 366 && out.length < count; i++, day.setUTCDate(day.getUTCDate() + 1)) {
    const [y, mo, d, wd] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), day.getUTCDay()]
    const todays: number[] = []
    for (const f of sets) {
      if (!f.months.has(mo)) continue
      const dayOk = f.dayOr ? f.days.has(d) || f.weekdays.has(wd) : f.days.has(d) && f.weekdays.has(wd)
      if (!dayOk) continue
      for (const h of f.hours)
        for (const mi of f.minutes) {
          const t = fromLocal(y, mo, d, h, mi, s.timeZone)
          if (t !== undefined && t > from && t <= until) todays.push(t)
        }
    }
    for (const t of [...new Set(todays)].sort((a, b) => a - b)) if (out.length < count) out.push(t)
    if (out.length > 0 && out[out.length - 1]! > until) break
  }
  return out.map((t) => new Date(t))
}
