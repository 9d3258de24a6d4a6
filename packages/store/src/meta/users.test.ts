import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Store } from '../store'
import { MembershipRepository } from './memberships'
import { UserRepository } from './users'

describe('users and memberships (DuckDB)', () => {
  let store: Store
  let users: UserRepository
  let memberships: MembershipRepository

  beforeAll(async () => {
    store = await Store.open({ dataDir: ':memory:' })
    await store.createOrg('acme', 'Acme')
    await store.createOrg('beta', 'Beta')
    users = new UserRepository(store.engine)
    memberships = new MembershipRepository(store.engine)
  })
  afterAll(() => store.close())

  it('creates users with lower-cased unique e-mail addresses', async () => {
    const ann = await users.create({ email: ' Ann@Example.COM ', name: 'Ann' })
    expect(ann).toMatchObject({ email: 'ann@example.com', name: 'Ann', disabled: false })
    expect(ann.id).toMatch(/^u_/)
    expect(Date.parse(ann.createdAt)).not.toBeNaN()
    await expect(users.create({ email: 'ANN@example.com' })).rejects.toMatchObject({ code: 'USER_EXISTS' })
    await expect(users.create({ email: 'not an address' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    expect(await users.findByEmail('ann@EXAMPLE.com')).toEqual(ann)
    expect(await users.findByEmail('nobody@example.com')).toBeNull()
    expect(await users.get(ann.id)).toEqual(ann)
    await expect(users.get('u_missing')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' })
  })

  it('disables and enables a user', async () => {
    const bob = await users.create({ email: 'bob@example.com' })
    expect(bob.name).toBeNull()
    await users.setDisabled(bob.id, true)
    expect((await users.get(bob.id)).disabled).toBe(true)
    await users.setDisabled(bob.id, false)
    expect((await users.get(bob.id)).disabled).toBe(false)
    await expect(users.setDisabled('u_missing', true)).rejects.toMatchObject({ code: 'USER_NOT_FOUND' })
    expect((await users.list()).map((u) => u.email)).toEqual(['ann@example.com', 'bob@example.com'])
  })

  it('keeps one role per user and org', async () => {
    const ann = (await users.findByEmail('ann@example.com'))!
    const bob = (await users.findByEmail('bob@example.com'))!
    await memberships.set('acme', ann.id, 'viewer')
    await memberships.set('acme', ann.id, 'admin')
    await memberships.set('beta', ann.id, 'marketer')
    await memberships.set('acme', bob.id, 'viewer')
    expect(await memberships.roleIn(ann.id, 'acme')).toBe('admin')
    expect(await memberships.roleIn(bob.id, 'beta')).toBeNull()
    expect(await memberships.ofUser(ann.id)).toEqual([
      { org: 'acme', role: 'admin', status: 'active' },
      { org: 'beta', role: 'marketer', status: 'active' },
    ])
    expect((await memberships.ofOrg('acme')).map((m) => [m.user.email, m.role])).toEqual([
      ['ann@example.com', 'admin'],
      ['bob@example.com', 'viewer'],
    ])
    await memberships.remove('acme', bob.id)
    await memberships.remove('acme', bob.id)
    expect(await memberships.roleIn(bob.id, 'acme')).toBeNull()
    await expect(memberships.set('acme', bob.id, 'owner' as 'admin')).rejects.toThrow()
  })
})
