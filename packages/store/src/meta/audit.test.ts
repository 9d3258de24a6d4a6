import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Store } from '../store'
import { AuditRepository, type NewAuditEvent } from './audit'

const base: NewAuditEvent = {
  org: 'acme',
  actorUser: 'u_1',
  actorToken: null,
  action: 'token.create',
  target: 't_1',
  outcome: 'ok',
  reason: null,
  ip: '127.0.0.1',
  userAgent: 'test',
  requestId: 'r1',
}

describe('audit log (DuckDB)', () => {
  let store: Store
  let audit: AuditRepository

  beforeAll(async () => {
    store = await Store.open({ dataDir: ':memory:' })
    audit = new AuditRepository(store.engine)
  })
  afterAll(() => store.close())

  it('appends events and reads them newest first, by page', async () => {
    for (let i = 0; i < 5; i++) await audit.append({ ...base, target: `t_${i}`, details: { i } })
    await audit.append({ ...base, action: 'auth.denied', outcome: 'denied', reason: 'TOKEN_REVOKED' })
    await audit.append({ ...base, org: 'beta' })
    const first = await audit.list({ org: 'acme', limit: 4 })
    expect(first.events).toHaveLength(4)
    expect(first.events[0]).toMatchObject({
      action: 'auth.denied',
      outcome: 'denied',
      reason: 'TOKEN_REVOKED',
    })
    expect(first.nextCursor).toBe(first.events[3]!.id)
    const second = await audit.list({ org: 'acme', limit: 4, cursor: first.nextCursor! })
    expect(second.events.map((e) => e.target)).toEqual(['t_1', 't_0'])
    expect(second.events[1]).toMatchObject({ details: { i: 0 }, ip: '127.0.0.1', requestId: 'r1' })
    expect(second.nextCursor).toBeNull()
  })

  it('filters by action (exact or prefix*) and by time', async () => {
    expect((await audit.list({ org: 'acme', action: 'auth.denied' })).events).toHaveLength(1)
    expect((await audit.list({ org: 'acme', action: 'token.*' })).events).toHaveLength(5)
    expect((await audit.list({ org: 'acme', since: new Date(Date.now() + 60_000) })).events).toEqual([])
    expect((await audit.list({ org: 'acme', since: new Date(Date.now() - 60_000) })).events).toHaveLength(6)
    expect((await audit.list({ org: 'beta' })).events).toHaveLength(1)
  })

  it('has no update or delete path anywhere in the code', () => {
    const packages = fileURLToPath(new URL('../../../', import.meta.url))
    const offenders = readdirSync(packages, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.includes('src') && f.endsWith('.ts') && !f.includes('node_modules'))
      .filter((f) =>
        /(UPDATE|DELETE\s+FROM|TRUNCATE|DROP\s+TABLE)\s+meta\.audit\b/i.test(
          readFileSync(join(packages, f), 'utf8'),
        ),
      )
    expect(offenders).toEqual([])
  })
})
