import type {
  ActivityTask,
  CampaignDefinition,
  CampaignRun,
  RunEvent,
  RunMode,
  RunState,
  TaskStatus,
} from '@ahub/core'
import type { Session } from '@ahub/store'

export interface CampaignRow {
  id: string
  org: string
  label: string
  status: 'draft' | 'published' | 'archived'
  revision: number
  definition: string
  active_run: string | null
  created_at: string
  updated_at: string
  /** JSON Principal of whoever published it (the principal of its scheduled runs). */
  published_by: string | null
}

export interface RunRow {
  id: string
  org: string
  campaign: string
  mode: RunMode
  state: RunState
  breakpoint: string | null
  definition: string
  error: string | null
  created_at: string
  finished_at: string | null
  parameters: string | null
  alerted_at: string | null
  /** JSON Principal answering for the run's effects. */
  principal: string | null
}

export interface TaskRow {
  run: string
  activity: string
  status: TaskStatus
  attempts: number
  reached_at: string | null
  not_before: string | null
  started_at: string | null
  finished_at: string | null
  outputs: string
  error: string | null
}

/** Reads and writes of the campaign tables; every statement names its org or run. */
export const repo = {
  async campaign(s: Session, org: string, id: string): Promise<CampaignRow | undefined> {
    return (
      await s.query<CampaignRow>('SELECT * FROM meta.campaigns WHERE org = $1 AND id = $2', [org, id])
    )[0]
  },
  async campaigns(s: Session, org: string): Promise<CampaignRow[]> {
    return s.query<CampaignRow>('SELECT * FROM meta.campaigns WHERE org = $1 ORDER BY created_at, id', [org])
  },
  async run(s: Session, id: string): Promise<RunRow | undefined> {
    return (await s.query<RunRow>('SELECT * FROM meta.campaign_runs WHERE id = $1', [id]))[0]
  },
  async runs(s: Session, org: string, campaign: string): Promise<RunRow[]> {
    return s.query<RunRow>(
      'SELECT * FROM meta.campaign_runs WHERE org = $1 AND campaign = $2 ORDER BY created_at DESC, id',
      [org, campaign],
    )
  },
  async tasks(s: Session, run: string): Promise<TaskRow[]> {
    return s.query<TaskRow>('SELECT * FROM meta.campaign_tasks WHERE run = $1', [run])
  },
  async setRunState(
    s: Session,
    run: string,
    state: RunState,
    error?: { code: string; message: string },
  ): Promise<void> {
    const final = state === 'completed' || state === 'failed' || state === 'stopped'
    await s.run(
      `UPDATE meta.campaign_runs SET state = $2, error = coalesce($3, error),
         finished_at = CASE WHEN $4 THEN current_timestamp ELSE NULL END WHERE id = $1`,
      [run, state, error ? JSON.stringify(error) : null, final],
    )
    if (final) await s.run('UPDATE meta.campaigns SET active_run = NULL WHERE active_run = $1', [run])
  },
  async updateTask(
    s: Session,
    run: string,
    activity: string,
    patch: Partial<Omit<TaskRow, 'run' | 'activity'>>,
  ): Promise<void> {
    const keys = Object.keys(patch) as (keyof typeof patch)[]
    if (keys.length === 0) return
    const sets = keys.map((k, i) => `"${k}" = $${i + 3}`)
    await s.run(`UPDATE meta.campaign_tasks SET ${sets.join(', ')} WHERE run = $1 AND activity = $2`, [
      run,
      activity,
      ...keys.map((k) => (patch[k] ?? null) as string | number | null),
    ])
  },
  async log(
    s: Session,
    run: string,
    level: RunEvent['level'],
    message: string,
    activity: string | null = null,
    code: string | null = null,
  ): Promise<void> {
    await s.run(
      `INSERT INTO meta.campaign_events (run, seq, logged_at, activity, level, code, message)
         SELECT $1, coalesce(max(seq), 0) + 1, current_timestamp, $2, $3, $4, $5 FROM meta.campaign_events WHERE run = $1`,
      [run, activity, level, code, message],
    )
  },
  async events(s: Session, run: string, after = 0): Promise<RunEvent[]> {
    return s.query<RunEvent>(
      'SELECT seq, logged_at AS at, activity, level, message, code FROM meta.campaign_events WHERE run = $1 AND seq > $2 ORDER BY seq',
      [run, after],
    )
  },
}

/** The public view of a run: its tasks and the count of every transition carrying a population. */
export function runView(row: RunRow, tasks: TaskRow[]): CampaignRun {
  const def = JSON.parse(row.definition) as CampaignDefinition
  const byActivity = new Map(tasks.map((t) => [t.activity, t]))
  const typed: ActivityTask[] = def.activities.map((a) => {
    const t = byActivity.get(a.id)
    return {
      activity: a.id,
      type: a.type,
      status: t?.status ?? 'pending',
      attempts: t?.attempts ?? 0,
      notBefore: t?.not_before ?? null,
      startedAt: t?.started_at ?? null,
      finishedAt: t?.finished_at ?? null,
      outputs: t ? JSON.parse(t.outputs) : {},
      error: t?.error ? JSON.parse(t.error) : null,
    }
  })
  const outputs = new Map(typed.map((t) => [t.activity, t.outputs]))
  const transitions: Record<string, number> = {}
  for (const tr of def.transitions) {
    const o = outputs.get(tr.from)?.[tr.output ?? 'out']
    if (o && o.table !== null) transitions[tr.id] = o.count
  }
  return {
    id: row.id,
    campaign: row.campaign,
    mode: row.mode,
    state: row.state,
    breakpoint: row.breakpoint,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    error: row.error ? JSON.parse(row.error) : null,
    tasks: typed,
    transitions,
    alertedAt: row.alerted_at,
    parameters: row.parameters ? JSON.parse(row.parameters) : {},
    startedBy: row.principal ? JSON.parse(row.principal) : null,
  }
}
