import type { Role, Scope } from '@ahub/core'
import type { Caller } from './caller'

/**
 * What a route needs: a scope; `signed-in` for routes about the caller themselves (no org); or
 * `person` for what only the person may do, signed in as themselves (the web app or `ahub login`),
 * never through an API token: answering invitations.
 */
export type Permission = Scope | 'signed-in' | 'person'

/** What each role grants; a token's scopes are intersected with its creator's current role. */
export const ROLE_GRANTS: Record<Role, readonly Scope[]> = {
  viewer: ['read'],
  marketer: ['read', 'write', 'share', 'send'],
  admin: ['read', 'write', 'share', 'send', 'admin'],
}

/** The scopes a caller holds in an org where the person behind it has `role`. */
export function effectiveScopes(caller: Caller, role: Role): Scope[] {
  const granted = ROLE_GRANTS[role]
  // Sharing through the hub (and sending messages) needs a person signed in through OpenID Connect,
  // or a token that was given the share (send) scope explicitly; every user caller is an OIDC sign-in.
  if (caller.kind === 'user') return [...granted]
  return granted.filter((s) => caller.scopes.includes(s))
}

/** True when `scopes` satisfy `permission`. */
export function allows(scopes: readonly Scope[], permission: Permission): boolean {
  return permission === 'signed-in' || permission === 'person' || scopes.includes(permission)
}
