import { AppError, type Issue } from '@ahub/core'
import { cronLaunches, cronOf, isTimeZone } from '@ahub/store'
import { z } from 'zod'

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour')
const Weekday = z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])

/** When a scheduled campaign launches (docs/campaigns.md Scheduler), in `timeZone`, inside an optional validity window. */
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

/** The cron expressions a schedule launches on (one per daily time), each of 5 fields. */
function expressionsOf(config: Exclude<ScheduleConfig, { kind: 'once' }>): string[] {
  const at = (t: string) => `${Number(t.slice(3, 5))} ${Number(t.slice(0, 2))}`
  switch (config.kind) {
    case 'cron':
      return [config.expression]
    case 'daily':
      return config.times.map((t) => `${at(t)} * * *`)
    case 'weekly':
      return [`${at(config.time)} * * ${config.days.join(',')}`]
    case 'monthly':
      return [`${at(config.time)} ${config.days.join(',')} * *`]
  }
}

/**
 * Checks a 5-field cron expression (minute hour day-of-month month day-of-week; names, ranges,
 * lists, steps); throws with the reason when it is not one. Launch times, daylight saving time
 * included, follow the product's one cron (`cronOf` in @ahub/store, documented there).
 */
export function parseCron(expression: string): void {
  cronOf(expression, 'UTC', 5)
}

/** Checks a time zone name; throws CAMPAIGN_INVALID when the runtime does not know it. */
export function assertTimeZone(timeZone: string): string {
  if (isTimeZone(timeZone)) return timeZone
  throw new AppError('CAMPAIGN_INVALID', `Unknown time zone "${timeZone}"`, {
    details: {
      issues: [{ path: ['timeZone'], code: 'CAMPAIGN_BAD_SCHEDULE', message: 'unknown time zone' }],
    },
  })
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

/** The next `count` launches strictly after `after`, inside the validity window. */
export function nextLaunches(s: Schedule, after: Date, count = 10): Date[] {
  const from = Math.max(after.getTime(), s.validFrom ? Date.parse(s.validFrom) - 1 : Number.NEGATIVE_INFINITY)
  const until = s.validUntil ? Date.parse(s.validUntil) : Number.POSITIVE_INFINITY
  if (s.config.kind === 'once') {
    const at = Date.parse(s.config.at)
    return at > from && at <= until ? [new Date(at)] : []
  }
  const crons = expressionsOf(s.config).map((e) => cronOf(e, s.timeZone, 5))
  return cronLaunches(crons, new Date(from), count, until)
}
