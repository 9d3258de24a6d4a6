import type { Scope } from '@ahub/core'
import { describe, expect, it } from 'vitest'
import type { Caller } from './caller'
import { allows, effectiveScopes, ROLE_GRANTS } from './permissions'

const person: Caller = { kind: 'user', userId: 'u_1', via: 'oidc', issuer: 'https://idp.example' }
const token = (scopes: Scope[]): Caller => ({
  kind: 'token',
  userId: 'u_1',
  tokenId: 't_1',
  org: 'acme',
  scopes,
})

describe('permissions', () => {
  it('grant each role the scopes of the roles below it', () => {
    expect(ROLE_GRANTS.viewer).toEqual(['read'])
    expect(ROLE_GRANTS.marketer).toEqual(['read', 'write', 'share', 'send'])
    expect(ROLE_GRANTS.admin).toEqual(['read', 'write', 'share', 'send', 'admin'])
  })

  it('give a person signed in everything their role grants, share included', () => {
    expect(effectiveScopes(person, 'marketer')).toEqual(['read', 'write', 'share', 'send'])
    expect(effectiveScopes(person, 'viewer')).toEqual(['read'])
  })

  it("limit a token to its scopes and its creator's current role", () => {
    expect(effectiveScopes(token(['read', 'admin']), 'admin')).toEqual(['read', 'admin'])
    expect(effectiveScopes(token(['read', 'admin']), 'viewer')).toEqual(['read'])
    expect(effectiveScopes(token(['read', 'write']), 'admin')).not.toContain('share')
    expect(effectiveScopes(token(['share']), 'viewer')).toEqual([])
  })

  it('let signed-in routes through for any caller, and others only with the scope', () => {
    expect(allows([], 'signed-in')).toBe(true)
    expect(allows(['read'], 'write')).toBe(false)
    expect(allows(['read', 'share'], 'share')).toBe(true)
  })
})
