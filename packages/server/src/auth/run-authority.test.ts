import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MembershipRepository, Store, UserRepository } from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TokenRepository } from '../tokens'
import { RunAuthority } from './run-authority'

// What a campaign run's principal may do now (issue 13, item 3), read fresh from the store.
describe('RunAuthority', () => {
  let dir: string
  let store: Store
  let authority: RunAuthority
  let users: UserRepository
  let memberships: MembershipRepository
  let tokens: TokenRepository

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahub-run-authority-'))
    store = await Store.open({ dataDir: dir })
    await store.createOrg('acme', 'Acme')
    users = new UserRepository(store.engine)
    memberships = new MembershipRepository(store.engine)
    tokens = new TokenRepository(store.engine)
    authority = new RunAuthority(store.engine)
  })
  afterAll(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const person = async (email: string, role: 'viewer' | 'marketer' | 'admin') => {
    const user = await users.create({ email })
    await memberships.set('acme', user.id, role)
    return user.id
  }

  it("grants a person their role's capabilities, and a token only its scopes among them", async () => {
    const id = await person('m@example.com', 'marketer')
    expect(await authority.capabilities('acme', { kind: 'user', userId: id, tokenId: null })).toEqual({
      capabilities: ['share', 'send'],
    })
    const { token } = await tokens.create({
      org: 'acme',
      userId: id,
      name: 't',
      scopes: ['read', 'write', 'share'],
    })
    expect(await authority.capabilities('acme', { kind: 'token', userId: id, tokenId: token.id })).toEqual({
      capabilities: ['share'],
    })
    await memberships.set('acme', id, 'viewer')
    expect(await authority.capabilities('acme', { kind: 'token', userId: id, tokenId: token.id })).toEqual({
      capabilities: [],
    })
  })

  it('gives nothing, with the reason, to a revoked, expired or foreign token, a removed member or a disabled user', async () => {
    const id = await person('a@example.com', 'admin')
    const all = ['read', 'write', 'share', 'send'] as const
    const revoked = (await tokens.create({ org: 'acme', userId: id, name: 'r', scopes: [...all] })).token
    await tokens.revoke('acme', revoked.id)
    const expired = (
      await tokens.create({
        org: 'acme',
        userId: id,
        name: 'e',
        scopes: [...all],
        expiresAt: new Date(Date.now() - 1000),
      })
    ).token
    const other = await person('o@example.com', 'admin')
    const foreign = (await tokens.create({ org: 'acme', userId: other, name: 'f', scopes: [...all] })).token
    const check = (tokenId: string) => authority.capabilities('acme', { kind: 'token', userId: id, tokenId })
    expect(await check(revoked.id)).toEqual({ capabilities: [], reason: 'TOKEN_REVOKED' })
    expect(await check(expired.id)).toEqual({ capabilities: [], reason: 'TOKEN_EXPIRED' })
    expect(await check(foreign.id)).toEqual({ capabilities: [], reason: 'TOKEN_NOT_FOUND' })
    await memberships.remove('acme', other)
    expect(await authority.capabilities('acme', { kind: 'user', userId: other, tokenId: null })).toEqual({
      capabilities: [],
      reason: 'NOT_A_MEMBER',
    })
    await users.setDisabled(id, true)
    expect(await authority.capabilities('acme', { kind: 'user', userId: id, tokenId: null })).toEqual({
      capabilities: [],
      reason: 'USER_DISABLED',
    })
  })
})
