import type { Scope } from '@ahub/core'

/** Who is calling, before the org of the route is known. */
export type Caller =
  // a person signed in through an OpenID provider (built-in local or external SSO)
  | { kind: 'user'; userId: string; via: 'oidc'; issuer: string }
  // an API token, bound to one org
  | { kind: 'token'; userId: string; tokenId: string; org: string; scopes: Scope[] }

/**
 * Turns a bearer credential into a caller, or null when the credential is not of this kind (then
 * the next verifier is tried). Throws AppError('UNAUTHENTICATED' | 'TOKEN_EXPIRED' |
 * 'TOKEN_REVOKED', ...) when it is of this kind but invalid.
 */
export type BearerVerifier = (bearer: string, req: { ip: string }) => Promise<Caller | null>
