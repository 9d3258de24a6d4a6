import { MembershipRepository, Store, UserRepository } from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AccessCache } from './access'

let store: Store
let users: UserRepository
let memberships: MembershipRepository
let loads = 0

beforeAll(async () => {
  store = await Store.open({ dataDir: ':memory:' })
  await store.createOrg('acme', 'Acme')
  users = new UserRepository(store.engine)
  memberships = new MembershipRepository(store.engine)
  // Counts the real repository's reads.
  const ofUser = memberships.ofUser.bind(memberships)
  memberships.ofUser = (id) => {
    loads++
    return ofUser(id)
  }
})
afterAll(() => store.close())

describe('the access cache', () => {
  it('loads a user once however many requests arrive together, and forgets at once on a change', async () => {
    const ann = await users.create({ email: 'ann@example.com', name: 'Ann' })
    await memberships.set('acme', ann.id, 'viewer')
    const cache = new AccessCache(users, memberships)
    loads = 0
    const roles = await Promise.all(Array.from({ length: 200 }, () => cache.roleIn(ann.id, 'acme')))
    expect(new Set(roles)).toEqual(new Set(['viewer']))
    expect(loads).toBe(1)
    await memberships.set('acme', ann.id, 'admin')
    cache.forget(ann.id)
    expect(await cache.roleIn(ann.id, 'acme')).toBe('admin')
    expect(loads).toBe(2)
  })

  it('serves an expired entry while one reload runs, then the reloaded one', async () => {
    const bo = await users.create({ email: 'bo@example.com', name: 'Bo' })
    await memberships.set('acme', bo.id, 'viewer')
    const cache = new AccessCache(users, memberships)
    expect(await cache.roleIn(bo.id, 'acme')).toBe('viewer')
    // Changed by another process: this cache only learns it when its entry is reloaded.
    await memberships.set('acme', bo.id, 'marketer')
    const realNow = Date.now
    Date.now = () => realNow() + 11_000
    try {
      loads = 0
      const during = await Promise.all(Array.from({ length: 50 }, () => cache.roleIn(bo.id, 'acme')))
      expect(new Set(during)).toEqual(new Set(['viewer']))
      await new Promise((r) => setTimeout(r, 50))
      expect(loads).toBe(1)
      expect(await cache.roleIn(bo.id, 'acme')).toBe('marketer')
    } finally {
      Date.now = realNow
    }
  })
})
