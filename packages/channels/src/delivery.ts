import type { Session } from '@ahub/store'
import { assertConfirmed } from './confirmation'
import type { ChannelProvider, SendOutcome } from './provider'
import type { CompiledTemplate } from './template'

/** One recipient offered to a delivery: member key, address, consent and personalisation values. */
export interface Recipient {
  member: string
  address: string | null
  /** false: opted out or no consent (excluded); undefined: the activity names no consent field. */
  consent?: boolean
  fields: Record<string, unknown>
}

export interface DeliveryJob {
  org: string
  runId: string
  activity: string
  provider: ChannelProvider
  template: CompiledTemplate
  /** Streams every recipient once, in batches (called again after a crash before the population completed). */
  recipients(onBatch: (batch: Recipient[]) => Promise<void>): Promise<void>
  /** Messages per second at most. */
  throttle?: number
  /** Tries per message before a temporary failure counts as lost (default 5). */
  maxAttempts?: number
  /** First retry delay; doubles per try (default 1 s). */
  backoffMs?: number
  /** Messages in flight at once (default 8). */
  concurrency?: number
  /** More recipients than this wait for a person's confirmation (undefined: never ask). */
  confirmAbove?: number
  log?(message: string): Promise<void> | void
}

/** Counts of a delivery; `lost` are temporary failures that ran out of tries. */
export interface DeliveryReport {
  recipients: number
  sent: number
  failed: number
  lost: number
  excluded: Record<string, number>
}

interface LedgerRow {
  member: string
  address: string
  fields: string
  status: string
  attempts: number
}

/** A plausible e-mail address (one @, a dotted domain, no spaces or header specials). */
export const EMAIL =
  /^[^\s@<>(),;:"[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/**
 * Delivers a channel activity's messages through the per-recipient ledger
 * (meta.channel_messages), so that a resumed run continues where the last one stopped:
 * - the population is written once (excluded recipients with their reason) and sealed by a marker;
 * - each message is marked `sending` before its transport call and `sent` / `failed` / `retry` after;
 * - after a crash, `sending` messages go out again with the same Message-ID (the transport's
 *   idempotency key, docs/adr/0021-channels.md), the others are never touched again;
 * - temporary failures are retried with exponential backoff, then counted as lost.
 */
export async function deliver(s: Session, job: DeliveryJob): Promise<DeliveryReport> {
  const key = [job.runId, job.activity]
  const marker = await s.query<{ n: number }>(
    `SELECT count(*) AS n FROM meta.channel_messages WHERE run = $1 AND activity = $2 AND member = '' AND status = 'populated'`,
    key,
  )
  if (Number(marker[0]?.n ?? 0) === 0) await populate(s, job)
  if (job.confirmAbove !== undefined)
    await assertConfirmed(s, { org: job.org, runId: job.runId, activity: job.activity }, job.confirmAbove)

  const maxAttempts = job.maxAttempts ?? 5
  const backoff = job.backoffMs ?? 1000
  const concurrency = job.concurrency ?? 8
  const gapMs = job.throttle ? 1000 / job.throttle : 0
  let nextSlot = Date.now()
  for (;;) {
    const due = await s.query<LedgerRow>(
      `SELECT member, address, fields, status, attempts FROM meta.channel_messages
        WHERE run = $1 AND activity = $2 AND (status IN ('queued', 'sending') OR (status = 'retry' AND not_before <= $3))
        ORDER BY member LIMIT 500`,
      [...key, new Date().toISOString()],
    )
    if (due.length === 0) {
      const waiting = await s.query<{ at: string | Date | null }>(
        `SELECT min(not_before) AS at FROM meta.channel_messages WHERE run = $1 AND activity = $2 AND status = 'retry'`,
        key,
      )
      const at = waiting[0]?.at
      if (at === null || at === undefined) break
      await sleep(Math.max(10, new Date(at).getTime() - Date.now()))
      continue
    }
    for (let i = 0; i < due.length; i += concurrency) {
      const slice = due.slice(i, i + concurrency)
      const fresh = slice.filter((r) => r.status !== 'sending').map((r) => r.member)
      if (fresh.length > 0) await setStatus(s, job, fresh, 'sending')
      const outcomes = await Promise.all(
        slice.map(async (r) => {
          if (gapMs > 0) {
            const wait = nextSlot - Date.now()
            nextSlot = Math.max(nextSlot, Date.now()) + gapMs
            if (wait > 0) await sleep(wait)
          }
          const rendered = job.template.render(JSON.parse(r.fields) as Record<string, unknown>)
          let outcome: SendOutcome
          try {
            outcome = await job.provider.send({
              to: r.address,
              ...rendered,
              messageId: `${job.runId}.${job.activity}.${Buffer.from(r.member).toString('base64url')}`,
            })
          } catch (e) {
            outcome = { status: 'failed', permanent: false, reason: String((e as Error).message ?? e) }
          }
          return { row: r, outcome }
        }),
      )
      await record(s, job, outcomes, maxAttempts, backoff)
    }
  }
  return report(s, job)
}

async function populate(s: Session, job: DeliveryJob): Promise<void> {
  const key = [job.runId, job.activity]
  // An incomplete population (crash while writing it) sent nothing: start it again.
  await s.run('DELETE FROM meta.channel_messages WHERE run = $1 AND activity = $2', key)
  const suppressed = new Set(
    (
      await s.query<{ address: string }>(
        'SELECT address FROM meta.channel_suppressions WHERE org = $1 AND kind = $2',
        [job.org, job.provider.kind],
      )
    ).map((r) => r.address.toLowerCase()),
  )
  const seen = new Set<string>()
  const now = new Date().toISOString()
  // Rows go in by multi-row INSERTs (one statement per chunk, values bound): per-row statements
  // dominated the time of a large send.
  const CHUNK = 200
  let tuples: string[] = []
  let values: (string | null)[] = []
  const flush = async () => {
    if (tuples.length === 0) return
    await s.run(`INSERT INTO meta.channel_messages VALUES ${tuples.join(', ')}`, [
      job.org,
      ...key,
      now,
      ...values,
    ])
    tuples = []
    values = []
  }
  await job.recipients(async (batch) => {
    for (const r of batch) {
      const address = r.address?.trim() ?? ''
      let reason: string | null = null
      if (address === '') reason = 'no_address'
      else if (job.provider.kind === 'email' && !EMAIL.test(address)) reason = 'invalid_address'
      else if (r.consent === false) reason = 'no_consent'
      else if (suppressed.has(address.toLowerCase())) reason = 'suppressed'
      else if (seen.has(address.toLowerCase())) reason = 'duplicate_address'
      if (reason === null) seen.add(address.toLowerCase())
      const n = values.length + 4
      tuples.push(
        `($1, $2, $3, $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, 0, NULL, CAST($4 AS TIMESTAMP))`,
      )
      values.push(
        r.member,
        address,
        reason === null ? JSON.stringify(r.fields) : null,
        reason === null ? 'queued' : 'excluded',
        reason,
      )
      if (tuples.length >= CHUNK) await flush()
    }
    await flush()
  })
  await s.run(
    `INSERT INTO meta.channel_messages VALUES ($1, $2, $3, '', NULL, NULL, 'populated', NULL, 0, NULL, $4)`,
    [job.org, ...key, now],
  )
}

async function setStatus(s: Session, job: DeliveryJob, members: string[], status: string): Promise<void> {
  const marks = members.map((_, i) => `$${i + 4}`).join(', ')
  await s.run(
    `UPDATE meta.channel_messages SET status = $3, updated_at = current_timestamp
      WHERE run = $1 AND activity = $2 AND member IN (${marks})`,
    [job.runId, job.activity, status, ...members],
  )
}

/** Records the outcomes of one slice in a single statement (one ledger write per slice, not per message). */
async function record(
  s: Session,
  job: DeliveryJob,
  outcomes: { row: LedgerRow; outcome: SendOutcome }[],
  maxAttempts: number,
  backoff: number,
): Promise<void> {
  const values: (string | number | null)[] = []
  const tuples: string[] = []
  const notes: string[] = []
  for (const { row, outcome } of outcomes) {
    const attempts = row.attempts + 1
    let status: string
    let reason: string | null = null
    let notBefore: string | null = null
    if (outcome.status === 'sent') status = 'sent'
    else if (outcome.permanent) {
      status = 'failed'
      reason = outcome.reason
    } else if (attempts >= maxAttempts) {
      status = 'lost'
      reason = outcome.reason
    } else {
      status = 'retry'
      reason = outcome.reason
      notBefore = new Date(Date.now() + backoff * 2 ** (attempts - 1)).toISOString()
    }
    const n = values.length
    tuples.push(`($${n + 3}, $${n + 4}, $${n + 5}, CAST($${n + 6} AS INTEGER), CAST($${n + 7} AS TIMESTAMP))`)
    values.push(row.member, status, reason, attempts, notBefore)
    if (status !== 'sent' && status !== 'retry') notes.push(`${status}: ${reason}`)
  }
  if (tuples.length === 0) return
  await s.run(
    `UPDATE meta.channel_messages AS m
        SET status = v.status, reason = v.reason, attempts = v.attempts, not_before = v.not_before,
            updated_at = current_timestamp
       FROM (VALUES ${tuples.join(', ')}) AS v(member, status, reason, attempts, not_before)
      WHERE m.run = $1 AND m.activity = $2 AND m.member = v.member`,
    [job.runId, job.activity, ...values],
  )
  for (const note of notes) await job.log?.(note)
}

async function report(s: Session, job: DeliveryJob): Promise<DeliveryReport> {
  const rows = await s.query<{ status: string; reason: string | null; n: number }>(
    `SELECT status, CASE WHEN status = 'excluded' THEN reason END AS reason, count(*) AS n
       FROM meta.channel_messages WHERE run = $1 AND activity = $2 AND member <> '' GROUP BY 1, 2`,
    [job.runId, job.activity],
  )
  const r: DeliveryReport = { recipients: 0, sent: 0, failed: 0, lost: 0, excluded: {} }
  for (const row of rows) {
    const n = Number(row.n)
    r.recipients += n
    if (row.status === 'sent') r.sent += n
    else if (row.status === 'failed') r.failed += n
    else if (row.status === 'lost') r.lost += n
    else if (row.status === 'excluded') r.excluded[row.reason ?? 'unknown'] = n
  }
  return r
}

/** Adds an address to the org's suppression list for a channel kind (unsubscribe, hard bounce, complaint). */
export async function suppress(
  s: Session,
  org: string,
  kind: string,
  address: string,
  reason: string,
): Promise<void> {
  await s.run(
    `INSERT INTO meta.channel_suppressions VALUES ($1, $2, $3, $4, current_timestamp) ON CONFLICT DO NOTHING`,
    [org, kind, address.trim().toLowerCase(), reason],
  )
}
