import type { AuditOutcome, AuditRepository } from '@ahub/store'
import type { FastifyRequest } from 'fastify'

/** What a caller of `AuditLog.record` says about an event; who and where come from the request. */
export interface AuditRecord {
  action: string
  outcome?: AuditOutcome
  org?: string | null
  target?: string | null
  /** Error code of a refusal or failure. */
  reason?: string | null
  /** Extra facts; never secrets, passwords, tokens or raw profile identifiers. */
  details?: Record<string, unknown>
  /** Overrides the actor taken from the request (e.g. the user a sign-in is for). */
  actorUser?: string | null
  actorToken?: string | null
}

/** Where the audit log writes: one method, append-only. */
export class AuditLog {
  constructor(private readonly repo: AuditRepository) {}

  /** Appends an event; ip, user agent, request id and actor are taken from `req` when given. */
  async record(event: AuditRecord, req?: FastifyRequest): Promise<void> {
    const caller = req?.caller
    const ua = req?.headers['user-agent']
    await this.repo.append({
      org: event.org ?? null,
      actorUser: event.actorUser !== undefined ? event.actorUser : (caller?.userId ?? null),
      actorToken:
        event.actorToken !== undefined ? event.actorToken : caller?.kind === 'token' ? caller.tokenId : null,
      action: event.action,
      target: event.target ?? null,
      outcome: event.outcome ?? 'ok',
      reason: event.reason ?? null,
      ip: req?.ip ?? null,
      userAgent: typeof ua === 'string' ? ua : null,
      requestId: req?.id ?? null,
      details: event.details,
    })
  }
}
