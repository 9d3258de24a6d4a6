import { AppError, type SyncCounts, type SyncJob, type SyncJobState } from '@ahub/core'
import type { Engine } from '@ahub/store'

interface JobRow {
  id: string
  org: string
  direction: 'export' | 'import'
  state: SyncJobState
  audience: string | null
  shared_audience: string | null
  shared_version: number | null
  counts: string
  attempts: number
  error: string | null
  request: string
  report: string | null
  created_at: Date | string
  started_at: Date | string | null
  finished_at: Date | string | null
  duration_ms: number | null
  latency_ms: number | null
}

/** Counts of a job that has not counted anything yet. */
export function zeroCounts(): SyncCounts {
  return { received: 0, exported: 0, unmapped: 0, matched: 0, unmatched: 0, invalid: 0, ambiguous: 0 }
}

const iso = (v: Date | string | null): string | null =>
  v === null ? null : (v instanceof Date ? v : new Date(v)).toISOString()

function toJob(r: JobRow): SyncJob {
  return {
    id: r.id,
    org: r.org,
    direction: r.direction,
    state: r.state,
    audience: r.audience,
    sharedAudience: r.shared_audience,
    sharedVersion: r.shared_version === null ? null : Number(r.shared_version),
    counts: JSON.parse(r.counts) as SyncCounts,
    attempts: Number(r.attempts),
    error: r.error ? (JSON.parse(r.error) as { code: string; message: string }) : null,
    createdAt: iso(r.created_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    latencyMs: r.latency_ms === null ? null : Number(r.latency_ms),
  }
}

/** The sync jobs of every org (meta.share_jobs); every read names its org. */
export class SyncJobRepository {
  constructor(private readonly engine: Engine) {}

  async insert(job: SyncJob, request: unknown): Promise<void> {
    await this.engine.run(
      `INSERT INTO meta.share_jobs (id, org, direction, state, audience, shared_audience, shared_version, counts,
         attempts, error, request, report, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, NULL, $9, NULL, $10)`,
      [
        job.id,
        job.org,
        job.direction,
        job.state,
        job.audience,
        job.sharedAudience,
        job.sharedVersion,
        JSON.stringify(job.counts),
        JSON.stringify(request),
        new Date(job.createdAt),
      ],
    )
  }

  /** Removes a queued job that turned out to have nothing to do. */
  async remove(id: string): Promise<void> {
    await this.engine.run(`DELETE FROM meta.share_jobs WHERE id = $1 AND state = 'queued'`, [id])
  }

  /** Marks an attempt started. */
  async start(id: string, attempt: number): Promise<void> {
    await this.engine.run(
      `UPDATE meta.share_jobs SET state = 'running', attempts = $2, started_at = coalesce(started_at, $3) WHERE id = $1`,
      [id, attempt, new Date()],
    )
  }

  /** Records the end of a job, succeeded or failed, with what it knows. */
  async finish(
    id: string,
    end: {
      state: 'succeeded' | 'failed'
      counts?: SyncCounts
      audience?: string | null
      sharedAudience?: string | null
      sharedVersion?: number | null
      error?: { code: string; message: string } | null
      report?: string | null
      latencyMs?: number | null
    },
  ): Promise<void> {
    const now = new Date()
    await this.engine.run(
      `UPDATE meta.share_jobs SET state = $2, counts = coalesce($3, counts), audience = coalesce($4, audience),
         shared_audience = coalesce($5, shared_audience), shared_version = coalesce($6, shared_version),
         error = $7, report = coalesce($8, report), finished_at = $9,
         duration_ms = date_diff('millisecond', coalesce(started_at, created_at), $9::TIMESTAMP), latency_ms = $10
       WHERE id = $1`,
      [
        id,
        end.state,
        end.counts ? JSON.stringify(end.counts) : null,
        end.audience ?? null,
        end.sharedAudience ?? null,
        end.sharedVersion ?? null,
        end.error ? JSON.stringify(end.error) : null,
        end.report ?? null,
        now,
        end.latencyMs ?? null,
      ],
    )
  }

  /** The job; SHARE_JOB_NOT_FOUND when the org has no such job. */
  async get(org: string, id: string): Promise<SyncJob> {
    return toJob(await this.row(org, id))
  }

  /** The report file of a job, or null. */
  async reportOf(org: string, id: string): Promise<string | null> {
    return (await this.row(org, id)).report
  }

  /** The org's jobs, newest first, optionally of one local audience or shared audience. */
  async list(
    org: string,
    filter: { audience?: string; sharedAudience?: string; limit?: number } = {},
  ): Promise<SyncJob[]> {
    const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 100), 1), 1000)
    const rows = await this.engine.query<JobRow>(
      `SELECT * FROM meta.share_jobs WHERE org = $1 AND ($2 IS NULL OR audience = $2)
         AND ($3 IS NULL OR shared_audience = $3)
       ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
      [org, filter.audience ?? null, filter.sharedAudience ?? null],
    )
    return rows.map(toJob)
  }

  private async row(org: string, id: string): Promise<JobRow> {
    const [r] = await this.engine.query<JobRow>('SELECT * FROM meta.share_jobs WHERE org = $1 AND id = $2', [
      org,
      id,
    ])
    if (!r)
      throw new AppError('SHARE_JOB_NOT_FOUND', `No sync job "${id.slice(0, 80)}" in this organisation`, {
        details: { job: id.slice(0, 200) },
      })
    return r
  }
}
