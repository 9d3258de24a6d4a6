import { AppError, type AudienceSchedule, isAppError } from '@ahub/core'
import type { Cron } from 'croner'
import { cronOf, isTimeZone } from '../cron'
import type { Engine } from '../engine'
import { type Logger, silentLogger } from '../logger'
import type { AudienceService } from './audience-service'

interface Row {
  audience: string
  org: string
  cron: string
  time_zone: string
  next_run: Date | string
  last_run: Date | string | null
  last_version: number | null
  last_error: string | null
}

export type { AudienceSchedule }

/** What one pass of the scheduler did. */
export interface ScheduleTickResult {
  refreshed: { audience: string; version: number }[]
  failed: { audience: string; code: string }[]
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString())

/**
 * Scheduled refresh of query audiences: a 5- or 6-field cron expression in an IANA time zone
 * (croner). `tick()` refreshes every audience whose next run has come, one at a time, and moves
 * its next run on; a launch missed while the process was down gives one catch-up refresh, not one
 * per missed launch. A busy audience is tried at the next tick; an error is kept on the schedule.
 */
export class AudienceSchedules {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<ScheduleTickResult> | undefined

  constructor(
    private readonly engine: Engine,
    private readonly audiences: AudienceService,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Sets (or replaces) the schedule of a query audience. */
  async set(
    org: string,
    audience: string,
    input: { cron: string; timeZone?: string },
  ): Promise<AudienceSchedule> {
    const a = await this.audiences.get(org, audience)
    if (a.type !== 'query')
      throw new AppError('AUDIENCE_TYPE_NOT_ALLOWED', `A ${a.type} audience has no rule to re-evaluate`, {
        details: { audience, type: a.type },
      })
    const timeZone = input.timeZone ?? 'UTC'
    const next = nextRun(input.cron, timeZone, new Date())
    await this.engine.transaction(async (s) => {
      await s.run('DELETE FROM meta.audience_schedules WHERE audience = $1', [audience])
      await s.run(
        `INSERT INTO meta.audience_schedules (audience, org, cron, time_zone, next_run, created_at)
         VALUES ($1, $2, $3, $4, $5::TIMESTAMPTZ AT TIME ZONE 'UTC', current_timestamp)`,
        [audience, org, input.cron, timeZone, next.toISOString()],
      )
    })
    return (await this.get(org, audience))!
  }

  /** The audience's schedule, or null when it has none. */
  async get(org: string, audience: string): Promise<AudienceSchedule | null> {
    const rows = await this.engine.query<Row>(
      `SELECT s.* FROM meta.audience_schedules s JOIN meta.audiences a ON a.id = s.audience
       WHERE s.org = $1 AND s.audience = $2`,
      [org, audience],
    )
    return rows[0] ? view(rows[0]) : null
  }

  /** Removes the schedule; true when there was one. */
  async remove(org: string, audience: string): Promise<boolean> {
    await this.audiences.get(org, audience)
    const had = await this.get(org, audience)
    await this.engine.run('DELETE FROM meta.audience_schedules WHERE org = $1 AND audience = $2', [
      org,
      audience,
    ])
    return had !== null
  }

  /** The next `count` launches of a cron expression, to preview a schedule before setting it. */
  preview(cron: string, timeZone = 'UTC', count = 10, after = new Date()): string[] {
    const job = parse(cron, timeZone)
    return job.nextRuns(count, after).map((d) => d.toISOString())
  }

  /** Refreshes every audience whose time has come (`now` for tests). */
  tick(now = new Date()): Promise<ScheduleTickResult> {
    this.running ??= this.pass(now).finally(() => {
      this.running = undefined
    })
    return this.running
  }

  /** Ticks every `intervalMs` until `close()`. */
  start(intervalMs = 30_000): void {
    if (this.timer) return
    this.timer = setInterval(() => {
      this.tick().catch((err) => this.logger.error({ err }, 'audience schedule tick failed'))
    }, intervalMs)
    this.timer.unref()
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.running
  }

  private async pass(now: Date): Promise<ScheduleTickResult> {
    // Schedules of deleted audiences go with them.
    await this.engine.run(
      'DELETE FROM meta.audience_schedules WHERE audience NOT IN (SELECT id FROM meta.audiences)',
    )
    const due = await this.engine.query<Row>(
      `SELECT * FROM meta.audience_schedules WHERE next_run <= $1::TIMESTAMPTZ AT TIME ZONE 'UTC' ORDER BY next_run`,
      [now.toISOString()],
    )
    const result: ScheduleTickResult = { refreshed: [], failed: [] }
    for (const row of due) {
      let version: number | null = null
      let error: { code: string; message: string } | null = null
      try {
        version = (await this.audiences.refresh(row.org, row.audience, { owner: 'schedule' })).audience
          .version
        result.refreshed.push({ audience: row.audience, version })
      } catch (e) {
        error = isAppError(e)
          ? { code: e.code, message: e.message }
          : { code: 'INTERNAL', message: 'The refresh failed; see the server log' }
        // A refresh in progress elsewhere: try again at the next tick rather than skip a launch.
        if (isAppError(e) && e.code === 'AUDIENCE_BUSY') continue
        this.logger.error(
          { err: e, org: row.org, audience: row.audience, cron: row.cron },
          'scheduled audience refresh failed',
        )
        result.failed.push({ audience: row.audience, code: error.code })
      }
      await this.engine.run(
        `UPDATE meta.audience_schedules SET next_run = $2::TIMESTAMPTZ AT TIME ZONE 'UTC', last_run = current_timestamp,
           last_version = coalesce($3, last_version), last_error = $4 WHERE audience = $1`,
        [
          row.audience,
          nextRun(row.cron, row.time_zone, now).toISOString(),
          version,
          error ? JSON.stringify(error) : null,
        ],
      )
    }
    return result
  }
}

function parse(cron: string, timeZone: string): Cron {
  if (!isTimeZone(timeZone))
    throw new AppError('AUDIENCE_SCHEDULE_INVALID', `Unknown time zone "${timeZone.slice(0, 100)}"`, {
      details: { issues: [{ path: ['timeZone'], message: 'an IANA time zone such as Europe/Paris' }] },
    })
  try {
    return cronOf(cron, timeZone)
  } catch (e) {
    throw new AppError('AUDIENCE_SCHEDULE_INVALID', `Invalid cron expression: ${(e as Error).message}`, {
      details: { issues: [{ path: ['cron'], message: (e as Error).message }] },
    })
  }
}

function nextRun(cron: string, timeZone: string, after: Date): Date {
  const next = parse(cron, timeZone).nextRun(after)
  if (!next)
    throw new AppError('AUDIENCE_SCHEDULE_INVALID', 'The cron expression never fires', {
      details: { issues: [{ path: ['cron'], message: 'no future launch' }] },
    })
  return next
}

function view(r: Row): AudienceSchedule {
  return {
    audience: r.audience,
    cron: r.cron,
    timeZone: r.time_zone,
    nextRun: iso(r.next_run)!,
    lastRun: iso(r.last_run),
    lastVersion: r.last_version,
    lastError: r.last_error ? (JSON.parse(r.last_error) as { code: string; message: string }) : null,
  }
}
