import type { Session } from '@ahub/store'

/** Outcome of one recipient of a channel activity, as the ledger holds it. */
export type DeliveryStatus = 'queued' | 'sending' | 'retry' | 'sent' | 'failed' | 'lost' | 'excluded'

/** One recipient's line of a delivery log (the message content is not kept). */
export interface DeliveryEntry {
  member: string
  address: string | null
  status: DeliveryStatus
  /** Exclusion reason, or the provider's answer for a failure. */
  reason: string | null
  attempts: number
  updatedAt: string
}

/** Counts of a channel activity's delivery by outcome, and of excluded recipients by reason. */
export interface DeliveryCounts {
  recipients: number
  byStatus: Record<DeliveryStatus, number>
  excluded: Record<string, number>
}

const iso = (v: string | Date): string => (v instanceof Date ? v.toISOString() : new Date(v).toISOString())

/** A page of one channel activity's per-recipient outcomes, ordered by member; `status` filters. */
export async function deliveryLog(
  s: Session,
  ref: { org: string; runId: string; activity: string },
  page: { offset: number; limit: number; status?: DeliveryStatus },
): Promise<{ total: number; entries: DeliveryEntry[] }> {
  const where = `org = $1 AND run = $2 AND activity = $3 AND member <> ''${page.status ? ' AND status = $4' : ''}`
  const params: string[] = [ref.org, ref.runId, ref.activity, ...(page.status ? [page.status] : [])]
  const total = await s.query<{ n: number }>(
    `SELECT count(*) AS n FROM meta.channel_messages WHERE ${where}`,
    params,
  )
  const n = params.length
  const rows = await s.query<{
    member: string
    address: string | null
    status: DeliveryStatus
    reason: string | null
    attempts: number
    updated_at: string | Date
  }>(
    `SELECT member, address, status, reason, attempts, updated_at FROM meta.channel_messages
      WHERE ${where} ORDER BY member LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...params, page.limit, page.offset],
  )
  return {
    total: Number(total[0]?.n ?? 0),
    entries: rows.map((r) => ({
      member: r.member,
      address: r.address === '' ? null : r.address,
      status: r.status,
      reason: r.reason,
      attempts: Number(r.attempts),
      updatedAt: iso(r.updated_at),
    })),
  }
}

/** Counts by outcome and exclusion reason of one channel activity of a run. */
export async function deliveryCounts(
  s: Session,
  ref: { org: string; runId: string; activity: string },
): Promise<DeliveryCounts> {
  const rows = await s.query<{ status: DeliveryStatus; reason: string | null; n: number }>(
    `SELECT status, CASE WHEN status = 'excluded' THEN reason END AS reason, count(*) AS n
       FROM meta.channel_messages WHERE org = $1 AND run = $2 AND activity = $3 AND member <> '' GROUP BY 1, 2`,
    [ref.org, ref.runId, ref.activity],
  )
  const counts: DeliveryCounts = {
    recipients: 0,
    byStatus: { queued: 0, sending: 0, retry: 0, sent: 0, failed: 0, lost: 0, excluded: 0 },
    excluded: {},
  }
  for (const r of rows) {
    const n = Number(r.n)
    counts.recipients += n
    counts.byStatus[r.status] = (counts.byStatus[r.status] ?? 0) + n
    if (r.status === 'excluded') counts.excluded[r.reason ?? 'unknown'] = n
  }
  return counts
}
