import { dirname } from 'node:path'
import {
  AppError,
  type AudienceUser,
  assertIdentifier,
  type Campaign,
  CampaignDefinition,
  type CampaignRun,
  type CampaignState,
  type ErrorCode,
  isAppError,
  type LastError,
  newId,
  type Principal,
  type RunEvent,
  type RunMode,
  type TransitionPreview,
} from '@ahub/core'
import type { CompileContext } from '@ahub/query'
import {
  type Engine,
  type FieldUser,
  ident,
  type Logger,
  type SchemaCatalog,
  silentLogger,
} from '@ahub/store'
import { ACTIVITIES } from './activities'
import type { ChannelSender } from './activities/channel'
import type { AudienceSharer } from './activities/share'
import type { ActivityOutputs } from './activities/types'
import type { AudienceSink } from './audience-sink'
import {
  type Authority,
  activityCapabilities,
  assertCanCommand,
  type CommandCaller,
  missingCapabilities,
  neededCapabilities,
} from './authority'
import { flowDimensions, inputDimension, transitionDimension } from './dimensions'
import { fieldsUsedBy } from './field-usage'
import { backoffMs, decide, type TaskView } from './interpreter'
import { bindParameters, declaredParameters, type ParameterValues, resolveParameters } from './parameters'
import { type CampaignRow, type RunRow, repo, runView, type TaskRow } from './repository'
import { nextLaunches } from './schedule'
import { type ValidationResult, validateCampaign } from './validate'

/** Most rows a transition preview returns. */
export const MAX_PREVIEW_ROWS = 1000
/** Longest single timer; longer waits re-arm (setTimeout overflows past 2^31 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1

export interface StartOptions {
  mode?: RunMode
  /** Stop before this activity (a breakpoint). */
  breakpoint?: string
  /** Values of the parameters the campaign's Signal declares (defaults fill the rest). */
  parameters?: Record<string, unknown>
  /**
   * Who starts the run: with an authority, a live run whose effects need capabilities (share,
   * send) is refused unless the caller holds them, and the run records the caller as its principal.
   */
  caller?: CommandCaller
}

/** What one scheduling tick did. */
export interface ScheduleTick {
  started: string[]
  refused: { campaign: string; code: string; message: string }[]
}

/** Observes progress: every log line of every run as it is written (CLI progress, tests). */
export type RunListener = (
  run: string,
  event: { level: RunEvent['level']; message: string; activity: string | null },
) => void

/**
 * Orchestrated campaigns (docs/campaigns.md): definitions, validation, and durable runs. Run state lives in
 * meta tables; the interpreter (`decide`) picks the next activities from that state alone, so a
 * run cut off by a crash resumes where it stopped when `recover()` is called at start-up.
 */
export class CampaignService {
  private readonly driving = new Map<string, Promise<void>>()
  private readonly starting = new Set<string>()
  private readonly again = new Set<string>()
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private readonly alarms = new Map<string, NodeJS.Timeout>()
  private readonly listeners: RunListener[] = []
  /** The latest refused scheduled launch per campaign, until one starts (each tick tries again). */
  private readonly scheduleErrors = new Map<string, LastError>()
  private closed = false
  private ticker: NodeJS.Timeout | undefined
  private ticking: Promise<void> | undefined

  constructor(
    private readonly engine: Engine,
    private readonly catalog: SchemaCatalog,
    private readonly audiences: AudienceSink,
    /** Data directory for Export file (default: the folder of the engine's database file). */
    private dataDir?: string,
    /** The hub link of Save audience's "share" (the installation's SharingService); none: sharing fails. */
    private readonly sharer?: AudienceSharer,
    /**
     * Who may do what (the server's permission rules). Without one nothing is checked: the embedding
     * trusts every caller (tests, benchmarks, a process that owns the data directory).
     */
    private readonly authority?: Authority,
    /** Message delivery of Channel activities (@ahub/channels); none: a live run stops there. */
    private readonly sender?: ChannelSender,
    /** Where failures of background work (scheduling ticks, timers, failing a run) are logged. */
    private readonly logger: Logger = silentLogger,
  ) {
    // Schema changes must not pull fields from under a published campaign.
    catalog.registerUsageProvider((org, table) => this.fieldUsers(org, table))
  }

  /** Adds a progress listener; returns the function that removes it. */
  onEvent(listener: RunListener): () => void {
    this.listeners.push(listener)
    return () => {
      const i = this.listeners.indexOf(listener)
      if (i >= 0) this.listeners.splice(i, 1)
    }
  }

  /** Every issue of a definition, without saving it. */
  async validate(org: string, input: unknown): Promise<ValidationResult> {
    return validateCampaign(input, await this.env(org))
  }

  /** Saves a new draft; CAMPAIGN_INVALID lists every issue. */
  async create(org: string, input: unknown): Promise<Campaign> {
    const def = await this.valid(org, input)
    const id = newId('cmp')
    await this.engine.run(
      `INSERT INTO meta.campaigns (id, org, label, status, revision, definition, created_at, updated_at)
         VALUES ($1, $2, $3, 'draft', 1, $4, current_timestamp, current_timestamp)`,
      [id, org, def.label, JSON.stringify(def)],
    )
    return this.get(org, id)
  }

  /** Replaces a draft's definition; published campaigns are read-only. */
  async update(org: string, id: string, input: unknown): Promise<Campaign> {
    const row = await this.row(org, id)
    if (row.status !== 'draft')
      throw new AppError(
        'CAMPAIGN_READ_ONLY',
        `Campaign "${row.label}" is ${row.status}: it cannot be edited`,
        {
          details: { campaign: id, status: row.status },
        },
      )
    const def = await this.valid(org, input)
    await this.engine.run(
      `UPDATE meta.campaigns SET label = $3, definition = $4, revision = revision + 1, updated_at = current_timestamp
         WHERE org = $1 AND id = $2`,
      [org, id, def.label, JSON.stringify(def)],
    )
    return this.get(org, id)
  }

  /**
   * Turns a valid draft into a live, read-only campaign. A campaign whose live effects need
   * capabilities (share, send) is published only by a caller who holds them, recorded as the
   * principal of its scheduled runs.
   */
  async publish(org: string, id: string, caller?: CommandCaller): Promise<Campaign> {
    const row = await this.row(org, id)
    if (row.status !== 'draft')
      throw new AppError('CAMPAIGN_BAD_STATE', `Campaign "${row.label}" is already ${row.status}`, {
        details: { campaign: id, status: row.status },
      })
    const def = await this.valid(org, JSON.parse(row.definition))
    const principal = await assertCanCommand(this.authority, org, caller, neededCapabilities(def), 'publish')
    await this.engine.run(
      `UPDATE meta.campaigns SET status = 'published', published_by = $3, updated_at = current_timestamp
         WHERE org = $1 AND id = $2`,
      [org, id, principal ? JSON.stringify(principal) : null],
    )
    return this.get(org, id)
  }

  /** Archives a campaign without an active run. */
  async archive(org: string, id: string): Promise<Campaign> {
    const row = await this.row(org, id)
    if (row.active_run)
      throw new AppError('CAMPAIGN_ALREADY_RUNNING', 'Stop the active run before archiving', {
        details: { campaign: id, run: row.active_run },
      })
    await this.engine.run(
      `UPDATE meta.campaigns SET status = 'archived', updated_at = current_timestamp WHERE org = $1 AND id = $2`,
      [org, id],
    )
    return this.get(org, id)
  }

  async get(org: string, id: string): Promise<Campaign> {
    return this.view(await this.row(org, id))
  }

  async list(org: string): Promise<Campaign[]> {
    const rows = await this.engine.withSession((s) => repo.campaigns(s, org))
    return Promise.all(rows.map((r) => this.view(r)))
  }

  /** The next launches of the campaign's Scheduler (empty without one). */
  async nextLaunches(org: string, id: string, count = 10, after = new Date()): Promise<string[]> {
    const def = JSON.parse((await this.row(org, id)).definition) as CampaignDefinition
    const s = def.activities.find((a) => a.type === 'scheduler')
    if (!s) return []
    const o = ACTIVITIES.scheduler.options.parse(s.options) as {
      schedule: never
      validFrom?: string
      validUntil?: string
    }
    return nextLaunches(
      {
        config: o.schedule,
        timeZone: def.settings.timeZone,
        validFrom: o.validFrom,
        validUntil: o.validUntil,
      },
      after,
      count,
    ).map((d) => d.toISOString())
  }

  /**
   * Starts a run (test mode runs a draft too, and simulates Save audience). A second start while a
   * run is active is refused with CAMPAIGN_ALREADY_RUNNING.
   */
  async start(org: string, id: string, options: StartOptions = {}): Promise<CampaignRun> {
    return this.begin(org, id, options, { caller: options.caller })
  }

  /**
   * Starts a run for a caller (checked now), or for a schedule (the campaign's publisher, checked
   * only when an effect is reached, so a lost right fails that activity in the run's log).
   */
  private async begin(
    org: string,
    id: string,
    options: StartOptions,
    by: { caller?: CommandCaller } | { schedule: Principal | null },
  ): Promise<CampaignRun> {
    const mode = options.mode ?? 'live'
    if (this.starting.has(id))
      throw new AppError('CAMPAIGN_ALREADY_RUNNING', 'The campaign is being started', {
        details: { campaign: id },
      })
    this.starting.add(id)
    try {
      const row = await this.row(org, id)
      if (row.active_run)
        throw new AppError('CAMPAIGN_ALREADY_RUNNING', `Campaign "${row.label}" already has an active run`, {
          details: { campaign: id, run: row.active_run },
        })
      if (row.status === 'archived' || (mode === 'live' && row.status !== 'published'))
        throw new AppError(
          'CAMPAIGN_BAD_STATE',
          mode === 'live'
            ? 'Publish the campaign before starting it (or run it in test mode)'
            : 'The campaign is archived',
          { details: { campaign: id, status: row.status } },
        )
      const def = await this.valid(org, JSON.parse(row.definition))
      if (options.breakpoint !== undefined && !def.activities.some((a) => a.id === options.breakpoint))
        throw new AppError('CAMPAIGN_BAD_STATE', `No activity "${options.breakpoint}" to pause at`, {
          details: { breakpoint: options.breakpoint },
        })
      const parameters = resolveParameters(declaredParameters(def.activities), options.parameters ?? {})
      // Test mode neither shares nor sends: it needs no capability.
      const principal =
        'schedule' in by
          ? by.schedule
          : await assertCanCommand(
              this.authority,
              org,
              by.caller,
              mode === 'live' ? neededCapabilities(def) : [],
              'start',
            )
      // The work tables an earlier test run kept for inspection go when the next run starts.
      const earlier = await this.engine.withSession((s) => repo.runs(s, org, id))
      for (const r of earlier)
        if (r.mode === 'test' && !JSON.parse(r.definition).settings?.keepInterimResults)
          await this.dropWorkTables(org, r.id)
      const runId = newId('run')
      await this.engine.transaction(async (s) => {
        await s.run(
          `INSERT INTO meta.campaign_runs (id, org, campaign, mode, state, breakpoint, definition, parameters, principal, created_at)
             VALUES ($1, $2, $3, $4, 'running', $5, $6, $7, $8, current_timestamp)`,
          [
            runId,
            org,
            id,
            mode,
            options.breakpoint ?? null,
            JSON.stringify(def),
            JSON.stringify(parameters),
            principal ? JSON.stringify(principal) : null,
          ],
        )
        for (const a of def.activities)
          await s.run(
            `INSERT INTO meta.campaign_tasks (run, activity, status, attempts) VALUES ($1, $2, 'pending', 0)`,
            [runId, a.id],
          )
        await s.run(
          'UPDATE meta.campaigns SET active_run = $3 WHERE org = $1 AND id = $2 AND active_run IS NULL',
          [org, id, runId],
        )
      })
      await this.log(runId, 'info', `${mode === 'test' ? 'Test run' : 'Run'} started`)
      this.drive(runId)
      return this.status(org, runId)
    } finally {
      this.starting.delete(id)
    }
  }

  /**
   * Starts a run by API call through the campaign's Signal activity: `parameters` are checked
   * against its declarations (CAMPAIGN_BAD_PARAMETERS) and bound in the rules and expressions of
   * the activities. A live signal needs a published campaign.
   */
  async signal(
    org: string,
    id: string,
    input: { parameters?: Record<string, unknown>; mode?: RunMode; caller?: CommandCaller } = {},
  ): Promise<CampaignRun> {
    const def = CampaignDefinition.parse(JSON.parse((await this.row(org, id)).definition))
    if (!def.activities.some((a) => a.type === 'signal'))
      throw new AppError(
        'CAMPAIGN_BAD_STATE',
        'The campaign has no Signal activity to start it by API call',
        {
          details: { campaign: id },
        },
      )
    return this.start(org, id, {
      mode: input.mode ?? 'live',
      parameters: input.parameters ?? {},
      caller: input.caller,
    })
  }

  /** Pauses a run now (after the activity in progress), or at an activity as a breakpoint. */
  async pause(org: string, runId: string, at?: string): Promise<CampaignRun> {
    const run = await this.runRow(org, runId)
    if (run.state !== 'running')
      throw new AppError('CAMPAIGN_BAD_STATE', `The run is ${run.state}`, {
        details: { run: runId, state: run.state },
      })
    if (at !== undefined) {
      await this.engine.run('UPDATE meta.campaign_runs SET breakpoint = $2 WHERE id = $1', [runId, at])
      await this.log(runId, 'info', `Breakpoint set before "${at}"`, at)
    } else {
      await this.engine.withSession((s) => repo.setRunState(s, runId, 'paused'))
      await this.log(runId, 'info', 'Paused')
    }
    return this.status(org, runId)
  }

  /**
   * Resumes a paused (or suspended) run: failed activities are tried again, the breakpoint is
   * cleared. When the run's effects need capabilities, the caller must hold them and answers for
   * the rest of the run (e.g. an admin resuming a run whose starter lost the right).
   */
  async resume(org: string, runId: string, caller?: CommandCaller): Promise<CampaignRun> {
    const run = await this.runRow(org, runId)
    if (run.state !== 'paused')
      throw new AppError('CAMPAIGN_BAD_STATE', `Only a paused run can resume; this one is ${run.state}`, {
        details: { run: runId, state: run.state },
      })
    const needs = run.mode === 'live' ? neededCapabilities(JSON.parse(run.definition)) : []
    const principal =
      needs.length > 0 && (caller || this.authority)
        ? await assertCanCommand(this.authority, org, caller, needs, 'resume')
        : null
    await this.engine.transaction(async (s) => {
      if (principal)
        await s.run('UPDATE meta.campaign_runs SET principal = $2 WHERE id = $1', [
          runId,
          JSON.stringify(principal),
        ])
      await s.run(
        "UPDATE meta.campaign_tasks SET status = 'pending', error = NULL WHERE run = $1 AND status = 'failed'",
        [runId],
      )
      await s.run("UPDATE meta.campaign_runs SET state = 'running', breakpoint = NULL WHERE id = $1", [runId])
    })
    await this.log(runId, 'info', 'Resumed')
    this.drive(runId)
    return this.status(org, runId)
  }

  /** Stops a run for good; its work tables are dropped unless interim results are kept. */
  async stop(org: string, runId: string): Promise<CampaignRun> {
    const run = await this.runRow(org, runId)
    if (run.state !== 'running' && run.state !== 'paused')
      throw new AppError('CAMPAIGN_BAD_STATE', `The run is already ${run.state}`, {
        details: { run: runId, state: run.state },
      })
    await this.engine.withSession((s) => repo.setRunState(s, runId, 'stopped'))
    this.clearTimer(runId)
    await this.log(runId, 'info', 'Stopped')
    await this.driving.get(runId)
    await this.cleanup(run)
    return this.status(org, runId)
  }

  /** Stops the active run (if any) and starts a new one in the mode of the latest run. */
  async restart(org: string, id: string, caller?: CommandCaller): Promise<CampaignRun> {
    const row = await this.row(org, id)
    const latest = (await this.engine.withSession((s) => repo.runs(s, org, id)))[0]
    const mode = latest?.mode ?? (row.status === 'published' ? 'live' : 'test')
    // Checked before the active run is stopped: a refused restart changes nothing.
    if (mode === 'live')
      await assertCanCommand(
        this.authority,
        org,
        caller,
        neededCapabilities(JSON.parse(row.definition)),
        'restart',
      )
    if (row.active_run) await this.stop(org, row.active_run)
    return this.start(org, id, { mode, caller })
  }

  /** A run with its tasks and transition counts. */
  async status(org: string, runId: string): Promise<CampaignRun> {
    const run = await this.runRow(org, runId)
    return runView(run, await this.engine.withSession((s) => repo.tasks(s, runId)))
  }

  /** Runs of a campaign, newest first (the run history). */
  async runs(org: string, id: string): Promise<CampaignRun[]> {
    await this.row(org, id)
    return this.engine.withSession(async (s) => {
      const rows = await repo.runs(s, org, id)
      return Promise.all(rows.map(async (r) => runView(r, await repo.tasks(s, r.id))))
    })
  }

  /** The run's log, oldest first, after event `after`. */
  async logs(org: string, runId: string, after = 0): Promise<RunEvent[]> {
    await this.runRow(org, runId)
    return this.engine.withSession((s) => repo.events(s, runId, after))
  }

  /** Schema and first rows of the work table a transition carries. */
  async preview(org: string, runId: string, transition: string, limit = 20): Promise<TransitionPreview> {
    const run = await this.runRow(org, runId)
    const view = runView(run, await this.engine.withSession((s) => repo.tasks(s, runId)))
    const def = JSON.parse(run.definition) as CampaignDefinition
    const t = def.transitions.find((x) => x.id === transition)
    const out = t ? view.tasks.find((x) => x.activity === t.from)?.outputs[t.output ?? 'out'] : undefined
    if (!out?.table)
      throw new AppError(
        'CAMPAIGN_TRANSITION_NOT_FOUND',
        `Transition "${transition}" carries no work table in this run`,
        {
          details: { run: runId, transition },
        },
      )
    const table = out.table
    const carried = transitionDimension(def, t!, await this.dimensionsOf(run, def))
    const n = Math.min(Math.max(Math.trunc(limit), 1), MAX_PREVIEW_ROWS)
    return this.engine.withSession(async (s) => {
      const exists = await s.query(
        `SELECT 1 FROM duckdb_tables() WHERE schema_name = $1 AND table_name = $2`,
        [`org_${org}`, table.split('.')[1]!.slice(1, -1)],
      )
      if (exists.length === 0)
        throw new AppError(
          'CAMPAIGN_WORK_TABLE_DROPPED',
          run.mode === 'test'
            ? `The work table of transition "${transition}" was dropped when a newer run of the campaign started ` +
                '(a test run keeps its work tables until then)'
            : `The work table of transition "${transition}" was dropped when the run ended (${run.state}): ` +
                'set settings.keepInterimResults to keep work tables for preview after a run',
          { details: { run: runId, transition, state: run.state } },
        )
      const cols = await s.query<{ column_name: string; column_type: string }>(`DESCRIBE ${table}`)
      const keys = typeof carried === 'string' ? await this.keysOf(org, carried) : []
      const order = keys.length ? keys.map(ident).join(', ') : 'ALL'
      const rows = await s.query(`SELECT * FROM ${table} ORDER BY ${order} LIMIT ${n}`)
      return {
        transition,
        count: out.count,
        columns: cols.map((c) => ({ name: c.column_name, type: c.column_type })),
        rows,
      }
    })
  }

  /**
   * Published campaigns that read an audience (Build or Read audience): register with
   * `store.audiences.registerUsageProvider` so that deleting such an audience is refused.
   */
  async audienceUsers(org: string, audience: string): Promise<AudienceUser[]> {
    const rows = await this.engine.withSession((s) => repo.campaigns(s, org))
    return rows
      .filter((r) => r.status === 'published')
      .filter((r) =>
        (JSON.parse(r.definition) as CampaignDefinition).activities.some(
          (a) =>
            (a.type === 'read_audience' || a.type === 'build_audience') && a.options.audience === audience,
        ),
      )
      .map((r) => ({ kind: 'campaign', id: r.id, label: r.label }))
  }

  /**
   * The fields of `table` that published campaigns use (registered with the schema catalog in the
   * constructor): removing or retyping one is refused with SCHEMA_FIELD_IN_USE naming the campaign.
   */
  async fieldUsers(org: string, table: string): Promise<FieldUser[]> {
    const published = (await this.engine.withSession((s) => repo.campaigns(s, org))).filter(
      (r) => r.status === 'published',
    )
    if (published.length === 0) return []
    const env = await this.env(org)
    const users: FieldUser[] = []
    for (const r of published) {
      const fields = await fieldsUsedBy(JSON.parse(r.definition), env, table)
      if (fields.length > 0) users.push({ kind: 'campaign', name: r.label, fields })
    }
    return users
  }

  /**
   * Starts the runs of published campaigns whose Scheduler has a launch due at `now`: the first
   * launch after the campaign's latest run (or its publication). Launches missed while the process
   * was down give one catch-up run. A campaign that cannot start (e.g. an audience it reads was
   * deleted) is reported in `refused` and tried again at the next tick.
   */
  async tickSchedules(now = new Date()): Promise<ScheduleTick> {
    const rows = await this.engine.query<CampaignRow & { last_run: string | null }>(
      `SELECT c.*, (SELECT max(created_at) FROM meta.campaign_runs r WHERE r.campaign = c.id AND r.mode = 'live') AS last_run
         FROM meta.campaigns c WHERE c.status = 'published' AND c.active_run IS NULL`,
    )
    const tick: ScheduleTick = { started: [], refused: [] }
    for (const row of rows) {
      const def = JSON.parse(row.definition) as CampaignDefinition
      if (!def.activities.some((a) => a.type === 'scheduler')) continue
      const since = new Date(
        Math.max(Date.parse(row.updated_at), row.last_run ? Date.parse(row.last_run) : 0),
      )
      const [next] = await this.nextLaunches(row.org, row.id, 1, since)
      if (next === undefined || Date.parse(next) > now.getTime()) continue
      try {
        const publisher = row.published_by ? (JSON.parse(row.published_by) as Principal) : null
        tick.started.push((await this.begin(row.org, row.id, {}, { schedule: publisher })).id)
        this.scheduleErrors.delete(row.id)
      } catch (e) {
        const { code, message } = toError(e)
        tick.refused.push({ campaign: row.id, code, message })
        this.scheduleErrors.set(row.id, { code, message, at: now.toISOString() })
      }
    }
    return tick
  }

  /** Why the campaign's latest scheduled launch was refused, or null when it started (or none was due). */
  async lastScheduleError(org: string, id: string): Promise<LastError | null> {
    await this.row(org, id)
    return this.scheduleErrors.get(id) ?? null
  }

  /** Calls `tickSchedules` every `intervalMs` (default 30 s) until `close()`. */
  startScheduling(intervalMs = 30_000): void {
    if (this.ticker) return
    this.ticker = setInterval(() => {
      // A tick slower than the interval is not overlapped: two would race to start one campaign.
      this.ticking ??= this.tickSchedules()
        .then((tick) => {
          for (const r of tick.refused)
            this.logger.warn({ campaign: r.campaign, code: r.code }, `scheduled launch refused: ${r.message}`)
        })
        .catch((err) => this.logger.error({ err }, 'campaign schedule tick failed'))
        .finally(() => {
          this.ticking = undefined
        })
    }, intervalMs)
    this.ticker.unref()
  }

  /** Picks up every run that was running when the process stopped (call once at start-up). */
  async recover(): Promise<string[]> {
    const rows = await this.engine.query<{ id: string }>(
      "SELECT id FROM meta.campaign_runs WHERE state = 'running'",
    )
    for (const r of rows) {
      await this.engine.run(
        "UPDATE meta.campaign_tasks SET status = 'pending' WHERE run = $1 AND status = 'running'",
        [r.id],
      )
      await this.log(r.id, 'info', 'Resumed after a restart')
      this.drive(r.id)
    }
    return rows.map((r) => r.id)
  }

  /** Resolves when the run's loop has nothing more to do now (finished, paused, or waiting on a timer). */
  async settled(runId: string): Promise<void> {
    while (this.driving.has(runId)) await this.driving.get(runId)
  }

  /** Stops timers and waits for loops in progress; runs stay as stored and resume on `recover()`. */
  async close(): Promise<void> {
    this.closed = true
    if (this.ticker) clearInterval(this.ticker)
    await this.ticking
    for (const id of [...this.timers.keys()]) this.clearTimer(id)
    for (const t of this.alarms.values()) clearTimeout(t)
    this.alarms.clear()
    await Promise.all([...this.driving.values()])
  }

  // --- the loop --------------------------------------------------------------------------------

  private drive(runId: string): void {
    if (this.closed) return
    if (this.driving.has(runId)) {
      // A loop is finishing: it may already have read the old state, so go round once more after it.
      this.again.add(runId)
      return
    }
    const p = this.loop(runId)
      .catch(async (e) => {
        const err = toError(e)
        this.logger.error({ err: e, run: runId }, 'campaign run failed')
        await this.engine
          .withSession((s) => repo.setRunState(s, runId, 'failed', err))
          .catch((failure) => this.logger.error({ err: failure, run: runId }, 'marking a run failed failed'))
        await this.log(runId, 'error', `Run failed: ${err.message}`, null, err.code).catch((failure) =>
          this.logger.error({ err: failure, run: runId }, 'writing the failure to the run log failed'),
        )
      })
      .finally(() => {
        this.driving.delete(runId)
        if (this.again.delete(runId)) this.drive(runId)
      })
    this.driving.set(runId, p)
  }

  private async loop(runId: string): Promise<void> {
    for (;;) {
      if (this.closed) return
      const run = await this.engine.withSession((s) => repo.run(s, runId))
      if (run?.state !== 'running') return
      const def = JSON.parse(run.definition) as CampaignDefinition
      await this.checkDuration(run, def)
      const tasks = await this.engine.withSession((s) => repo.tasks(s, runId))
      const d = decide(def, new Map(tasks.map((t) => [t.activity, taskView(t)])), new Date())
      for (const id of d.skip) {
        await this.engine.withSession((s) => repo.updateTask(s, runId, id, { status: 'skipped' }))
        await this.log(runId, 'info', 'Skipped: an incoming transition carries nothing', id)
      }
      if (d.skip.length > 0) continue
      if (d.finished) {
        await this.engine.withSession((s) => repo.setRunState(s, runId, 'completed'))
        await this.log(runId, 'info', 'Run completed')
        await this.cleanup(run)
        return
      }
      const next = d.ready[0]
      if (next === undefined) {
        if (d.wakeAt) this.arm(runId, d.wakeAt)
        return
      }
      const nextType = def.activities.find((a) => a.id === next)!.type
      const nextTask = tasks.find((t) => t.activity === next)!
      if (run.mode === 'test' && ACTIVITIES[nextType].channel && nextTask.reached_at === null) {
        // Once: resuming simulates the channel (nothing is sent in test mode).
        await this.engine.withSession(async (s) => {
          await repo.updateTask(s, runId, next, { reached_at: new Date().toISOString() })
          await repo.setRunState(s, runId, 'paused')
        })
        await this.log(runId, 'info', `Test mode: paused before channel activity "${next}"`, next)
        return
      }
      if (run.breakpoint === next) {
        await this.engine.withSession((s) => repo.setRunState(s, runId, 'paused'))
        await this.log(runId, 'info', `Paused at breakpoint before "${next}"`, next)
        return
      }
      await this.step(run, def, tasks.find((t) => t.activity === next)!)
    }
  }

  /**
   * Raises the max-duration alert of a run once: an `alert` event in its log and `alertedAt` on the
   * run. Checked at every step of the loop and by a timer armed at the deadline (a long activity or
   * Wait does not step).
   */
  private async checkDuration(run: RunRow, def: CampaignDefinition): Promise<void> {
    const max = def.settings.maxDurationMinutes
    if (max === undefined || run.alerted_at !== null || run.state !== 'running') return
    const deadline = new Date(run.created_at).getTime() + max * 60_000
    if (Date.now() < deadline) {
      if (!this.alarms.has(run.id)) {
        const timer = setTimeout(
          () => {
            this.alarms.delete(run.id)
            this.engine
              .withSession((s) => repo.run(s, run.id))
              .then((r) => (r && !this.closed ? this.checkDuration(r, def) : undefined))
              .catch((err) => this.logger.error({ err, run: run.id }, 'max-duration alarm failed'))
          },
          Math.min(deadline - Date.now(), MAX_TIMER_MS),
        )
        timer.unref()
        this.alarms.set(run.id, timer)
      }
      return
    }
    await this.engine.run('UPDATE meta.campaign_runs SET alerted_at = current_timestamp WHERE id = $1', [
      run.id,
    ])
    run.alerted_at = new Date().toISOString()
    await this.log(
      run.id,
      'alert',
      `The run has lasted longer than its maximum of ${max} minute(s)`,
      null,
      'CAMPAIGN_MAX_DURATION',
    )
  }

  private arm(runId: string, at: Date): void {
    this.clearTimer(runId)
    const ms = Math.min(Math.max(at.getTime() - Date.now(), 0), MAX_TIMER_MS)
    const timer = setTimeout(() => {
      this.timers.delete(runId)
      this.drive(runId)
    }, ms)
    timer.unref()
    this.timers.set(runId, timer)
  }

  private clearTimer(runId: string): void {
    const t = this.timers.get(runId)
    if (t) clearTimeout(t)
    this.timers.delete(runId)
  }

  /** Runs one activity: wait bookkeeping, execution, counts, retries and error management. */
  private async step(run: RunRow, def: CampaignDefinition, task: TaskRow): Promise<void> {
    const a = def.activities.find((x) => x.id === task.activity)!
    const m = ACTIVITIES[a.type]
    const options = m.options.parse(boundOptions(run, def, a.options))
    if (m.dueAt && task.status === 'pending') {
      const reached = new Date()
      const due = m.dueAt(options, reached, def.settings.timeZone)
      await this.engine.withSession((s) =>
        repo.updateTask(s, run.id, a.id, {
          status: 'waiting',
          reached_at: reached.toISOString(),
          not_before: due.toISOString(),
        }),
      )
      await this.log(run.id, 'info', `Waiting until ${due.toISOString()}`, a.id)
      return
    }
    const attempt = task.attempts + 1
    await this.engine.withSession((s) =>
      repo.updateTask(s, run.id, a.id, {
        status: 'running',
        attempts: attempt,
        started_at: new Date().toISOString(),
      }),
    )
    try {
      await this.assertPermitted(run, a.id, a.type, options)
      const outputs = await this.execute(run, def, a.id, options)
      const counted: Record<string, { table: string | null; count: number }> = {}
      await this.engine.withSession(async (s) => {
        for (const [outlet, table] of Object.entries(outputs)) {
          const n =
            table === null
              ? 0
              : Number((await s.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n)
          counted[outlet] = { table, count: n }
        }
        await repo.updateTask(s, run.id, a.id, {
          status: 'done',
          finished_at: new Date().toISOString(),
          outputs: JSON.stringify(counted),
          not_before: null,
          error: null,
        })
      })
      const summary = Object.entries(counted)
        .filter(([, o]) => o.table !== null)
        .map(([k, o]) => `${k}: ${o.count}`)
        .join(', ')
      const simulated =
        run.mode === 'test' && a.type === 'save_audience'
          ? (options as { share?: unknown }).share
            ? ' (test mode: nothing saved or shared)'
            : ' (test mode: nothing saved)'
          : ''
      await this.log(run.id, 'info', `Done${summary ? ` (${summary})` : ''}${simulated}`, a.id)
    } catch (e) {
      await this.fail(run, def, a.id, attempt, e)
    }
  }

  /**
   * Checks, just before a live activity's effect, that whoever answers for the run still holds
   * what the effect needs (the capability recorded at start, and still granted now); otherwise the
   * activity fails with CAMPAIGN_NOT_PERMITTED.
   */
  private async assertPermitted(
    run: RunRow,
    activity: string,
    type: CampaignDefinition['activities'][number]['type'],
    options: unknown,
  ): Promise<void> {
    if (!this.authority || run.mode !== 'live') return
    const needs = activityCapabilities(type, options)
    if (needs.length === 0) return
    const principal = run.principal ? (JSON.parse(run.principal) as Principal) : null
    const who = principal
      ? principal.kind === 'token'
        ? `token ${principal.tokenId}`
        : `user ${principal.userId}`
      : 'nobody'
    const { missing, reason } = principal
      ? await missingCapabilities(this.authority, run.org, principal, needs)
      : { missing: needs, reason: 'NO_PRINCIPAL' }
    if (missing.length === 0) return
    throw new AppError(
      'CAMPAIGN_NOT_PERMITTED',
      `Activity "${activity}" needs the ${missing.join(' and ')} permission, which ${who} (who answers for this run) does not hold now (${reason})`,
      {
        details: {
          activity,
          needs: missing,
          reason,
          principal: principal
            ? { kind: principal.kind, userId: principal.userId, tokenId: principal.tokenId }
            : null,
        },
      },
    )
  }

  private async fail(
    run: RunRow,
    def: CampaignDefinition,
    activity: string,
    attempt: number,
    e: unknown,
  ): Promise<void> {
    const a = def.activities.find((x) => x.id === activity)!
    const policy = ACTIVITIES[a.type].retry
    const err = toError(e)
    if (policy.retryOn.includes(err.code as ErrorCode) && attempt < policy.maxAttempts) {
      const at = new Date(Date.now() + backoffMs(policy, attempt))
      await this.engine.withSession((s) =>
        repo.updateTask(s, run.id, activity, {
          status: 'pending',
          not_before: at.toISOString(),
          error: JSON.stringify(err),
        }),
      )
      await this.log(
        run.id,
        'warn',
        `Attempt ${attempt} failed (${err.message}); retrying at ${at.toISOString()}`,
        activity,
        err.code,
      )
      return
    }
    // A large send waiting for a person's confirmation is not a failure: the run always pauses.
    const how =
      err.code === 'CHANNEL_CONFIRMATION_REQUIRED' ? 'suspend' : (a.onError ?? def.settings.errorManagement)
    await this.engine.withSession(async (s) => {
      await repo.updateTask(s, run.id, activity, {
        status: how === 'ignore' ? 'ignored' : 'failed',
        finished_at: new Date().toISOString(),
        error: JSON.stringify(err),
      })
      if (how === 'suspend') await repo.setRunState(s, run.id, 'paused', err)
      if (how === 'abort') await repo.setRunState(s, run.id, 'failed', err)
    })
    const what =
      err.code === 'CHANNEL_CONFIRMATION_REQUIRED'
        ? 'run paused until a person confirms the send'
        : how === 'ignore'
          ? 'ignored, the branch stops'
          : how === 'suspend'
            ? 'run suspended'
            : 'run aborted'
    await this.log(
      run.id,
      how === 'ignore' ? 'warn' : 'error',
      `Failed: ${err.message} (${what})`,
      activity,
      err.code,
    )
    if (how === 'abort') await this.cleanup(run)
  }

  private async execute(
    run: RunRow,
    def: CampaignDefinition,
    activity: string,
    options: unknown,
  ): Promise<ActivityOutputs> {
    const a = def.activities.find((x) => x.id === activity)!
    const tasks = await this.engine.withSession((s) => repo.tasks(s, run.id))
    const outputs = new Map(
      tasks.map((t) => [t.activity, JSON.parse(t.outputs) as Record<string, { table: string | null }>]),
    )
    const inputs = def.transitions
      .filter((t) => t.to === activity)
      .map((t) => ({ transition: t.id, table: outputs.get(t.from)?.[t.output ?? 'out']?.table ?? null }))
    const tables = await this.catalog.definitions(run.org)
    const dims = await this.dimensionsOf(run, def)
    const inDim = inputDimension(def, activity, dims)
    const out = dims.get(activity)
    const dimName = typeof out === 'string' ? out : typeof inDim === 'string' ? inDim : def.settings.dimension
    const compile = await this.compileContext(run.org, dimName, new Date(run.created_at))
    const dimension = compile.tables[dimName]!
    const schema = ident(`org_${run.org}`)
    const dataDir = this.dataDir ?? (await this.databaseFolder())
    return this.engine.withSession((session) =>
      ACTIVITIES[a.type].execute({
        session,
        org: run.org,
        campaign: run.campaign,
        runId: run.id,
        mode: run.mode,
        activity: a,
        options,
        inputs,
        compile,
        dimension,
        keys: dimension.primaryKey,
        inputDimension: inDim,
        inputKeys: typeof inDim === 'string' ? (tables[inDim]?.primaryKey ?? []) : [],
        dataDir,
        outTable: (outlet) => `${schema}.${ident(`_cw_${run.id}_${a.id}_${outlet}`)}`,
        columns: async (table) =>
          (await session.query<{ column_name: string }>(`DESCRIBE ${table}`)).map((c) => c.column_name),
        audiences: this.audiences,
        runAt: new Date(run.created_at),
        sharer: this.sharer,
        sender: this.sender,
        log: (level, message) => this.log(run.id, level, message, a.id),
      }),
    )
  }

  /** Drops the run's work tables unless the campaign keeps interim results. */
  private async cleanup(run: RunRow): Promise<void> {
    const def = JSON.parse(run.definition) as CampaignDefinition
    // A test run is for inspection: its transitions stay previewable until the campaign's next run.
    if (def.settings.keepInterimResults || run.mode === 'test') return
    await this.dropWorkTables(run.org, run.id)
  }

  private async dropWorkTables(org: string, runId: string): Promise<void> {
    await this.engine.withSession(async (s) => {
      const rows = await s.query<{ table_name: string }>(
        'SELECT table_name FROM duckdb_tables() WHERE schema_name = $1 AND starts_with(table_name, $2)',
        [`org_${org}`, `_cw_${runId}_`],
      )
      for (const r of rows) await s.run(`DROP TABLE IF EXISTS ${ident(`org_${org}`)}.${ident(r.table_name)}`)
    })
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** The folder of the engine's database file (undefined in memory): the data directory. */
  private async databaseFolder(): Promise<string | undefined> {
    const [row] = await this.engine.query<{ path: string | null }>(
      'SELECT path FROM duckdb_databases() WHERE database_name = current_database()',
    )
    if (row?.path) this.dataDir = dirname(row.path)
    return this.dataDir
  }

  /** What every activity of a run emits (its dimension, raw rows, or nothing), parameters bound. */
  private async dimensionsOf(run: RunRow, def: CampaignDefinition) {
    // Without an activity that changes dimension, everything is on the campaign's (the common, cheap case).
    if (!def.activities.some((a) => ACTIVITIES[a.type].outputDimension || ACTIVITIES[a.type].rawOutlets))
      return new Map(
        def.activities.map((a) => [
          a.id,
          ACTIVITIES[a.type].producesPopulation ? def.settings.dimension : undefined,
        ]),
      )
    const options = new Map<string, unknown>()
    for (const a of def.activities) {
      const parsed = ACTIVITIES[a.type].options.safeParse(boundOptions(run, def, a.options))
      if (parsed.success) options.set(a.id, parsed.data)
    }
    const audiences = new Map(
      (await this.audiences.list(run.org)).map((x) => [x.id, { dimension: x.dimension }]),
    )
    return flowDimensions(def, options, audiences)
  }

  private async log(
    run: string,
    level: RunEvent['level'],
    message: string,
    activity: string | null = null,
    code: string | null = null,
  ): Promise<void> {
    await this.engine.withSession((s) => repo.log(s, run, level, message, activity, code))
    for (const l of this.listeners) l(run, { level, message, activity })
  }

  private async valid(org: string, input: unknown): Promise<CampaignDefinition> {
    const { definition, issues } = await this.validate(org, input)
    if (!definition || issues.length > 0)
      throw new AppError(
        'CAMPAIGN_INVALID',
        `The campaign has ${issues.length} problem(s)${issues[0] ? `; first: ${issues[0].message}` : ''}`,
        { details: { issues } },
      )
    return definition
  }

  private async env(org: string) {
    assertIdentifier(org, 'organisation id')
    const tables = await this.catalog.definitions(org)
    const list = await this.audiences.list(org)
    return {
      tables,
      audiences: new Map(list.map((a) => [a.id, { dimension: a.dimension, type: a.type }])),
      compile: await this.compileContext(org, Object.keys(tables)[0] ?? 'profiles', new Date()),
    }
  }

  private async compileContext(org: string, dimension: string, asOf: Date): Promise<CompileContext> {
    return {
      dialect: 'duckdb',
      tables: await this.catalog.definitions(org),
      dimension,
      asOf,
      namespace: `org_${assertIdentifier(org, 'organisation id')}`,
      audiences: await this.audiences.audienceResolver(org),
    }
  }

  private async keysOf(org: string, dimension: string): Promise<string[]> {
    return (await this.catalog.definitions(org))[dimension]?.primaryKey ?? []
  }

  private async row(org: string, id: string): Promise<CampaignRow> {
    const row = await this.engine.withSession((s) => repo.campaign(s, org, id))
    if (!row)
      throw new AppError('CAMPAIGN_NOT_FOUND', `No campaign "${id.slice(0, 80)}" in this organisation`, {
        details: { campaign: id.slice(0, 200) },
      })
    return row
  }

  private async runRow(org: string, runId: string): Promise<RunRow> {
    const run = await this.engine.withSession((s) => repo.run(s, runId))
    if (!run || run.org !== org)
      throw new AppError('CAMPAIGN_RUN_NOT_FOUND', `No run "${runId.slice(0, 80)}" in this organisation`, {
        details: { run: runId.slice(0, 200) },
      })
    return run
  }

  private async view(row: CampaignRow): Promise<Campaign> {
    const last = await this.engine.withSession((s) => repo.runs(s, row.org, row.id))
    const latest = last[0]
    const definition = CampaignDefinition.parse(JSON.parse(row.definition))
    return {
      id: row.id,
      org: row.org,
      label: row.label,
      status: row.status,
      state: campaignState(row, latest, definition),
      revision: row.revision,
      definition,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      lastRun: latest?.id ?? null,
    }
  }
}

function campaignState(row: CampaignRow, latest: RunRow | undefined, def: CampaignDefinition): CampaignState {
  if (row.status === 'archived') return 'archived'
  if (latest && (latest.state === 'running' || latest.state === 'paused') && latest.mode === 'test')
    return latest.state === 'running' ? 'testing' : 'paused'
  if (row.status === 'draft') return 'draft'
  if (latest && (latest.state === 'running' || latest.state === 'paused')) return latest.state
  if (def.activities.some((a) => a.type === 'scheduler')) return 'scheduled'
  if (latest && latest.mode === 'live') return latest.state
  return 'draft'
}

/** An activity's options with the run's parameters bound. */
function boundOptions(run: RunRow, def: CampaignDefinition, options: unknown): unknown {
  const values = run.parameters ? (JSON.parse(run.parameters) as ParameterValues) : {}
  const types = new Map(declaredParameters(def.activities).map((d) => [d.name, d.type]))
  return bindParameters(options, values, types).value
}

function taskView(t: TaskRow): TaskView {
  return {
    status: t.status,
    outlets: t.status === 'done' ? Object.keys(JSON.parse(t.outputs) as object) : [],
    notBefore: t.not_before ? new Date(t.not_before) : null,
  }
}

function toError(e: unknown): { code: string; message: string } {
  if (isAppError(e)) return { code: e.code, message: e.message }
  return { code: 'STORE_ERROR', message: e instanceof Error ? e.message : String(e) }
}
