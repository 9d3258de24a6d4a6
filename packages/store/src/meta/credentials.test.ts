import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Store } from '../store'
import { CredentialRepository, SigningKeyRepository } from './credentials'
import { IdentityRepository } from './identities'
import { UserRepository } from './users'

describe('sign-in metadata', () => {
  let store: Store
  let userId: string

  beforeAll(async () => {
    store = await Store.open({ dataDir: ':memory:' })
    userId = (await new UserRepository(store.engine).create({ email: 'ann@example.com' })).id
  })
  afterAll(() => store.close())

  it('keeps one password hash per user, replaced on reset and removable', async () => {
    const credentials = new CredentialRepository(store.engine)
    expect(await credentials.passwordHash(userId)).toBeUndefined()
    await credentials.setPasswordHash(userId, '$argon2id$first')
    await credentials.setPasswordHash(userId, '$argon2id$second')
    expect(await credentials.passwordHash(userId)).toBe('$argon2id$second')
    const rows = await store.engine.query('SELECT * FROM meta.credentials WHERE user_id = $1', [userId])
    expect(rows).toHaveLength(1)
    expect(await credentials.removePassword(userId)).toBe(true)
    expect(await credentials.passwordHash(userId)).toBeUndefined()
    expect(await credentials.removePassword(userId)).toBe(false)
  })

  it('links an issuer subject to one user and keeps the first link', async () => {
    const identities = new IdentityRepository(store.engine)
    expect(await identities.find('https://idp.example', 'sub-1')).toBeUndefined()
    const linked = await identities.link('https://idp.example', 'sub-1', userId, 'ann@example.com')
    expect(linked).toMatchObject({
      issuer: 'https://idp.example',
      subject: 'sub-1',
      userId,
      email: 'ann@example.com',
    })
    const again = await identities.link('https://idp.example', 'sub-1', 'u_someone_else', null)
    expect(again.userId).toBe(userId)
    // The same subject at another issuer is another person.
    expect(await identities.find('https://other.example', 'sub-1')).toBeUndefined()
    await identities.touch('https://idp.example', 'sub-1')
    expect((await identities.find('https://idp.example', 'sub-1'))?.lastSignInAt).not.toBeNull()
    expect(await identities.ofUser(userId)).toHaveLength(1)
  })

  it('stores signing keys as JSON, newest first', async () => {
    const keys = new SigningKeyRepository(store.engine)
    await keys.add('k1', { kty: 'EC', d: 'secret', kid: 'k1' })
    const listed = await keys.list()
    expect(listed[0]).toMatchObject({ kid: 'k1', privateJwk: { kty: 'EC', d: 'secret', kid: 'k1' } })
  })
})
