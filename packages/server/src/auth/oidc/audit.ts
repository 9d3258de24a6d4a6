import type { MembershipRepository, UserRepository } from '@ahub/store'
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
 * org's admins read it), or once without an organisation when the user is unknown. A failed or
 * throttled attempt names no actor, but the e-mail it tried is someone's: it goes to that
 * person's organisations, where admins can see an account being guessed at.
 */
export function auditSignIns(
  log: AuditLog,
  memberships: MembershipRepository,
  users: UserRepository,
): SignInAudit {
  return async (e, req) => {
    const email = typeof e.details?.email === 'string' ? e.details.email : undefined
    const person = e.actor ?? (email ? (await users.findByEmail(email))?.id : undefined)
    const orgs = person
      ? (await memberships.ofUser(person)).filter((m) => m.status !== 'invited').map((m) => m.org)
      : []
    for (const org of orgs.length > 0 ? orgs : [null])
      await log.record(
        {
          action: e.action,
          outcome: e.outcome,
          org,
          target: person ?? null,
          reason: e.reason ?? null,
          actorUser: e.actor ?? null,
          actorToken: null,
          details: e.details,
        },
        req,
      )
  }
}
