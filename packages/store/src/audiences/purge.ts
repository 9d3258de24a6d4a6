import type { Engine } from '../engine'
import { membersTable } from './sql'

/** Rows removed per transaction: short enough that other writers wait a fraction of a second. */
const CHUNK = 20_000

/**
 * Removes the member rows of deleted audiences in the background (docs/audiences.md, "Deleting").
 *
 * Deleting an audience removes its catalog rows and view at once and queues its member ranges here:
 * every read of the members table names a live audience, so the queued rows are invisible from the
 * commit on, and audience ids are never reused. Taking the rows out of the member index costs about
 * as much per row as writing them, so one 500 k-member DELETE would hold the write lock for seconds;
 * the purge takes them out in chunks instead, each its own transaction. The queue is a table, so a
 * purge cut off by a stop carries on at the next start.
 */
export class MemberPurge {
  private running: Promise<void> | null = null
  private stopping = false
  /** The last failure, kept until a purge succeeds; the next kick (or start) tries again. */
  lastError: string | null = null

  constructor(
    private readonly engine: Engine,
    private readonly chunk = CHUNK,
  ) {}

  /** Starts purging what is queued, unless a purge is already running; never throws. */
  kick(): Promise<void> {
    if (this.stopping) return Promise.resolve()
    if (!this.running) {
      this.running = this.drain()
        .then(() => {
          this.lastError = null
        })
        .catch((e: unknown) => {
          this.lastError = e instanceof Error ? e.message : String(e)
        })
        .finally(() => {
          this.running = null
        })
    }
    return this.running
  }

  /** Resolves when nothing is queued (or the purge stopped on an error). */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  /** Member rows still queued for removal (for reports and tests). */
  async pending(): Promise<{ audiences: number }> {
    const rows = await this.engine.query<{ n: number }>('SELECT count(*) AS n FROM meta.audience_purges')
    return { audiences: Number(rows[0]?.n ?? 0) }
  }

  /** Lets the chunk in progress finish and starts no other. */
  async close(): Promise<void> {
    this.stopping = true
    await this.idle()
  }

  private async drain(): Promise<void> {
    for (;;) {
      const queued = await this.engine.query<{ org: string; audience: string }>(
        'SELECT org, audience FROM meta.audience_purges ORDER BY requested_at LIMIT 1',
      )
      const next = queued[0]
      if (!next || this.stopping) return
      const table = membersTable(next.org)
      for (;;) {
        if (this.stopping) return
        const removed = await this.engine.transaction(async (s) => {
          const left = await s.query<{ one: number }>(
            `SELECT 1 AS one FROM ${table} WHERE audience = $1 LIMIT 1`,
            [next.audience],
          )
          if (left.length === 0) {
            await s.run('DELETE FROM meta.audience_purges WHERE audience = $1', [next.audience])
            return false
          }
          await s.run(
            `DELETE FROM ${table} WHERE audience = $1
               AND member IN (SELECT member FROM ${table} WHERE audience = $1 LIMIT $2)`,
            [next.audience, this.chunk],
          )
          return true
        })
        if (!removed) break
      }
    }
  }
}
