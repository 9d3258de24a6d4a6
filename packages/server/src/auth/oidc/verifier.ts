import { createHash } from 'node:crypto'
import { AppError } from '@ahub/core'
import type { IdentityRepository, User, UserRepository } from '@ahub/store'
import {
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  type JWTVerifyGetKey,
  errors as joseErrors,
  jwtVerify,
} from 'jose'
import type { BearerVerifier, Caller } from '../caller'
import type { SignInAudit } from './audit'

/** Asymmetric algorithms only: `none` and HS* (which a public key could forge) are refused. */
export const ALLOWED_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const

/** Seconds of clock skew tolerated on exp / nbf / iat. */
export const CLOCK_TOLERANCE_SECONDS = 30

/** An OpenID provider whose tokens the API accepts. */
export interface TrustedIssuer {
  issuer: string
  /** The `aud` an access token must carry. */
  audience: string
  keys: JWTVerifyGetKey
  /** The built-in provider: its subject is the user id. */
  local: boolean
  /** Asks the provider for the user's claims when the token itself has no e-mail. */
  userinfo?: (accessToken: string) => Promise<JWTPayload>
}

export interface JwtVerifierDeps {
  issuers: () => Promise<TrustedIssuer[]>
  users: UserRepository
  identities: IdentityRepository
  /** Records first links of an external identity (refusals are audited by the auth hook). */
  audit: SignInAudit
  /** True when the session of this token (its SHA-256) was ended by signing out. */
  revoked?: (hash: string) => Promise<boolean>
}

/** The SHA-256 (hex) a signed-out session's access token is remembered by. */
export function sessionHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

/**
 * Verifies a JWT and returns its claims: allowed algorithm, known issuer, signature by one of the
 * issuer's keys, audience, exp / nbf. Throws TOKEN_EXPIRED or UNAUTHENTICATED (details.reason).
 */
export async function verifyJwt(
  token: string,
  issuers: TrustedIssuer[],
  audience?: string,
): Promise<{ issuer: TrustedIssuer; claims: JWTPayload }> {
  const refuse = (reason: string, message = 'Invalid sign-in token') =>
    new AppError('UNAUTHENTICATED', message, { details: { reason } })
  let alg: string | undefined
  let iss: string | undefined
  try {
    alg = decodeProtectedHeader(token).alg
    iss = decodeJwt(token).iss
  } catch {
    throw refuse('malformed')
  }
  if (!alg || !(ALLOWED_ALGORITHMS as readonly string[]).includes(alg))
    throw refuse('algorithm', `Token algorithm ${alg ?? 'none'} is not accepted`)
  const issuer = issuers.find((i) => i.issuer === iss)
  if (!issuer) throw refuse('issuer', 'Token from an unknown issuer')
  try {
    const { payload } = await jwtVerify(token, issuer.keys, {
      issuer: issuer.issuer,
      audience: audience ?? issuer.audience,
      algorithms: [...ALLOWED_ALGORITHMS],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'sub'],
    })
    return { issuer, claims: payload }
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired)
      throw new AppError('TOKEN_EXPIRED', 'The sign-in token has expired')
    if (e instanceof joseErrors.JWTClaimValidationFailed) throw refuse(`claim:${e.claim}`)
    if (e instanceof joseErrors.JWKSNoMatchingKey) throw refuse('key')
    if (e instanceof joseErrors.JOSEError) throw refuse('signature')
    throw new AppError('OIDC_PROVIDER_UNAVAILABLE', `Cannot check the token with ${issuer.issuer}`, {
      cause: e,
    })
  }
}

/**
 * The user behind a verified token. The built-in provider's subject is the user id; an external
 * subject is looked up in the identities table, and on first sign-in linked to the existing user
 * with the provider-verified e-mail (users must be invited: nobody is created here).
 */
export async function resolveUser(
  deps: Pick<JwtVerifierDeps, 'users' | 'identities'>,
  issuer: TrustedIssuer,
  claims: JWTPayload,
  accessToken?: string,
): Promise<{ user: User; linked: boolean }> {
  const sub = claims.sub!
  let user: User | null = null
  let linked = false
  if (issuer.local) user = await deps.users.find(sub)
  else {
    const identity = await deps.identities.find(issuer.issuer, sub)
    if (identity) user = await deps.users.find(identity.userId)
    else {
      let email = claims.email
      let verified = claims.email_verified
      if (typeof email !== 'string' && accessToken && issuer.userinfo) {
        const info = await issuer.userinfo(accessToken)
        if (info.sub === sub) ({ email, email_verified: verified } = info)
      }
      if (typeof email !== 'string' || verified !== true)
        throw new AppError('OIDC_NOT_INVITED', 'The identity provider did not vouch for an e-mail address', {
          details: { reason: 'no_verified_email' },
        })
      user = await deps.users.findByEmail(email)
      if (!user)
        throw new AppError(
          'OIDC_NOT_INVITED',
          `${email} has not been invited; ask an admin to add this user`,
          {
            details: { reason: 'not_invited' },
          },
        )
      await deps.identities.link(issuer.issuer, sub, user.id, email.toLowerCase())
      linked = true
    }
  }
  if (!user) throw new AppError('UNAUTHENTICATED', 'Invalid sign-in token', { details: { reason: 'user' } })
  if (user.disabled) throw new AppError('USER_DISABLED', 'This user account is disabled')
  return { user, linked }
}

/**
 * A BearerVerifier for JWT access tokens of the trusted issuers. Returns null for anything that is
 * not shaped like a JWT (API tokens), so the next verifier can try it.
 */
export function createJwtVerifier(deps: JwtVerifierDeps): BearerVerifier {
  return async (bearer): Promise<Caller | null> => {
    if (!JWT_SHAPE.test(bearer)) return null
    const { issuer, claims } = await verifyJwt(bearer, await deps.issuers())
    if (deps.revoked && (await deps.revoked(sessionHash(bearer))))
      throw new AppError('TOKEN_REVOKED', 'This session was signed out; sign in again')
    const { user, linked } = await resolveUser(deps, issuer, claims, bearer)
    if (linked)
      await deps.audit({
        action: 'signin.link',
        outcome: 'ok',
        actor: user.id,
        details: { issuer: issuer.issuer },
      })
    return { kind: 'user', userId: user.id, via: 'oidc', issuer: issuer.issuer }
  }
}
