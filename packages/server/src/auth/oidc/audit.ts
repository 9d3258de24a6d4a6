import type { MembershipRepository } from '@ahub/store'
import type { FastifyRequest } from 'fastify'
import type { AuditLog } from '../audit'

/** One sign-in event: attempts at the login form, UI callbacks, first links of an identity. */
export interface SignInEvent {
  action: string
  outcome: 'ok' | 'denied' | 'failed'
  /** The user id, when known. */
  actor?: string
  /** Error code of a refusal. */
  reason?: string
  details?: Record<string, unknown>
}

export type SignInAudit = (event: SignInEvent, req?: FastifyRequest) => Promise<void>

/**
 * Writes sign-in events to the audit log: once in each organisation the user belongs to (so that
 * org's admins read it), or once without an organisation when the user is unknown.
 */
export function auditSignIns(log: AuditLog, memberships: MembershipRepository): SignInAudit {
  return async (e, req) => {
    const orgs = e.actor ? (await memberships.ofUser(e.actor)).map((m) => m.org) : []
    for (const org of orgs.length > 0 ? orgs : [null])
      await log.record(
        {
          action: e.action,
          outcome: e.outcome,
          org,
          target: e.actor ?? null,
          reason: e.reason ?? null,
          actorUser: e.actor ?? null,
          actorToken: null,
          details: e.details,
        },
        req,
      )
  }
}
