import type { Authority, CommandCaller } from '@ahub/campaigns'
import { Capability, isAppError } from '@ahub/core'
import { type Engine, MembershipRepository, UserRepository } from '@ahub/store'
import { TokenRepository } from '../tokens'
import { AccessCache } from './access'
import type { Caller } from './caller'
import { effectiveScopes } from './permissions'

/** The principal of a command from the caller of a request. */
export function commandCaller(caller: Caller | undefined): CommandCaller | undefined {
  if (!caller) return undefined
  return caller.kind === 'token'
    ? { kind: 'token', userId: caller.userId, tokenId: caller.tokenId }
    : { kind: 'user', userId: caller.userId, tokenId: null }
}

/**
 * What a person or token may do in an organisation now, by the auth hook's rules, read fresh from
 * the store at every call (a campaign effect is rare, and a revocation must show at once): a
 * revoked, expired or unknown token, a disabled user, or a user who is no longer a member holds
 * nothing; otherwise the role's grants, intersected with a token's scopes.
 */
export class RunAuthority implements Authority {
  private readonly tokens: TokenRepository
  private readonly users: UserRepository
  private readonly memberships: MembershipRepository

  constructor(engine: Engine) {
    this.tokens = new TokenRepository(engine)
    this.users = new UserRepository(engine)
    this.memberships = new MembershipRepository(engine)
  }

  async capabilities(org: string, principal: CommandCaller) {
    // A cache of its own per call: nothing is remembered between two checks.
    const access = new AccessCache(this.users, this.memberships)
    if (await access.isDisabled(principal.userId)) return { capabilities: [], reason: 'USER_DISABLED' }
    const role = await access.roleIn(principal.userId, org)
    if (!role) return { capabilities: [], reason: 'NOT_A_MEMBER' }
    let caller: Caller = { kind: 'user', userId: principal.userId, via: 'oidc', issuer: '' }
    if (principal.kind === 'token') {
      const token = await this.tokens.get(org, principal.tokenId ?? '').catch((e: unknown) => {
        if (isAppError(e) && e.code === 'TOKEN_NOT_FOUND') return null
        throw e
      })
      if (!token || token.userId !== principal.userId) return { capabilities: [], reason: 'TOKEN_NOT_FOUND' }
      if (token.revokedAt) return { capabilities: [], reason: 'TOKEN_REVOKED' }
      if (token.expiresAt && Date.parse(token.expiresAt) <= Date.now())
        return { capabilities: [], reason: 'TOKEN_EXPIRED' }
      caller = { kind: 'token', userId: token.userId, tokenId: token.id, org, scopes: token.scopes }
    }
    const held = effectiveScopes(caller, role)
    return { capabilities: Capability.options.filter((c) => held.includes(c)) }
  }
}
