import { newId } from '@ahub/core'
import type { Engine, SqlValue } from '../engine'

/** How an audited action ended. */
export type AuditOutcome = 'ok' | 'denied' | 'failed'

/** One audited event: who did what to what, from where, and how it ended. */
export interface AuditEvent {
  id: string
  at: string
  org: string | null
  actorUser: string | null
  actorToken: string | null
  action: string
  target: string | null
  outcome: AuditOutcome
  /** Error code of a refusal or failure. */
  reason: string | null
  ip: string | null
  userAgent: string | null
  requestId: string | null
  /** Extra facts; never secrets or raw profile identifiers. */
  details: Record<string, unknown>
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'at' | 'details'> & { details?: Record<string, unknown> }

export interface AuditQuery {
  org: string
  since?: Date
  action?: string
  /** Only events with this outcome (denied: refusals and failed sign-ins). */
  outcome?: 'ok' | 'denied' | 'failed'
  limit?: number
  /** The id of the last event of the previous page. */
  cursor?: string
}

interface AuditRow {
  id: string
  occurred_at: string
  org: string | null
  actor_user: string | null
  actor_token: string | null
  action: string
  target: string | null
  outcome: AuditOutcome
  reason: string | null
  ip: string | null
  user_agent: string | null
  request_id: string | null
  details: string
}

/** The audit log (`meta.audit`): append-only, there is no update or delete path. */
export class AuditRepository {
  constructor(private readonly engine: Engine) {}

  /** Appends one event and returns its id. */
  async append(event: NewAuditEvent): Promise<string> {
    const id = newId('ev')
    await this.engine.run(
      `INSERT INTO meta.audit (id, occurred_at, org, actor_user, actor_token, action, target, outcome, reason, ip, user_agent, request_id, details)
       VALUES ($1, current_timestamp, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        id,
        event.org,
        event.actorUser,
        event.actorToken,
        event.action,
        event.target,
        event.outcome,
        event.reason,
        event.ip?.slice(0, 64) ?? null,
        event.userAgent?.slice(0, 512) ?? null,
        event.requestId?.slice(0, 128) ?? null,
        JSON.stringify(event.details ?? {}),
      ],
    )
    return id
  }

  /** Newest events first, one page; pass the last id as `cursor` for the next page. */
  async list(query: AuditQuery): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000)
    const where = ['org = $1']
    const params: SqlValue[] = [query.org]
    if (query.since) {
      params.push(query.since)
      where.push(`occurred_at >= $${params.length}`)
    }
    if (query.action) {
      // A trailing * matches a prefix ("token.*"); other values match exactly.
      const prefix = query.action.endsWith('*')
      params.push(prefix ? `${query.action.slice(0, -1)}%` : query.action)
      where.push(prefix ? `action LIKE $${params.length}` : `action = $${params.length}`)
    }
    if (query.outcome) {
      params.push(query.outcome)
      where.push(`outcome = $${params.length}`)
    }
    if (query.cursor) {
      params.push(query.cursor)
      where.push(`id < $${params.length}`)
    }
    params.push(limit + 1)
    const rows = await this.engine.query<AuditRow>(
      `SELECT * FROM meta.audit WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    )
    const page = rows.slice(0, limit)
    return {
      events: page.map((r) => ({
        id: r.id,
        at: r.occurred_at,
        org: r.org,
        actorUser: r.actor_user,
        actorToken: r.actor_token,
        action: r.action,
        target: r.target,
        outcome: r.outcome,
        reason: r.reason,
        ip: r.ip,
        userAgent: r.user_agent,
        requestId: r.request_id,
        details: JSON.parse(r.details) as Record<string, unknown>,
      })),
      nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
    }
  }
}
