import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseSchemaText } from '@ahub/core'
import { afterAll, describe, expect, it } from 'vitest'
import { Store } from '../store'

const SCHEMA = `
tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      email: { type: string, identity: { namespace: email, primary: true } }
      phone: { type: string, identity: { namespace: phone, countryField: country } }
      mobile: { type: string, identity: { namespace: phone, defaultCountry: FR } }
      country: { type: string }
`
const CSV = `id,email,phone,mobile,country
p1, Foo.Bar@Example.COM ,06 12 34 56 78,06 12 34 56 78,FR
p2,ann@example.com,+44 20 7946 0018,,GB
p3,,,,
`

const dir = mkdtempSync(join(tmpdir(), 'ahub-canonical-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const cond = (field: string, op: string, value: unknown) => ({ kind: 'condition', field, op, value })

async function rows(store: Store) {
  return store.engine.query<{
    id: string
    email: string | null
    phone: string | null
    mobile: string | null
  }>('SELECT id, email, phone, mobile FROM org_acme.profiles ORDER BY id')
}

describe('identity columns hold canonical values', () => {
  const dataDir = join(dir, 'data')

  it('stores the value the identity links hold, and a rule finds it whatever case, spaces or format', async () => {
    const store = await Store.open({ dataDir })
    try {
      await store.createOrg('acme', 'Acme')
      await store.catalog.apply('acme', parseSchemaText(SCHEMA))
      writeFileSync(join(dir, 'p.csv'), CSV)
      const report = await store.ingestor.ingest('acme', 'profiles', join(dir, 'p.csv'))
      expect(report.rejected).toBe(0)
      expect(await rows(store)).toEqual([
        { id: 'p1', email: 'foo.bar@example.com', phone: '+33612345678', mobile: '+33612345678' },
        { id: 'p2', email: 'ann@example.com', phone: '+442079460018', mobile: null },
        { id: 'p3', email: null, phone: null, mobile: null },
      ])
      const links = await store.engine.query<{ value: string }>(
        `SELECT DISTINCT value FROM org_acme._identity_links WHERE profile_key = 'p1' ORDER BY value`,
      )
      expect(links.map((l) => l.value)).toEqual(['+33612345678', 'foo.bar@example.com'])
      const count = async (rule: unknown) => (await store.rules.count('acme', rule)).count
      expect(await count(cond('email', '=', 'foo.bar@example.com'))).toBe(1)
      expect(await count(cond('email', '=', ' Foo.Bar@Example.COM'))).toBe(1)
      expect(await count(cond('email', '!=', 'FOO.BAR@example.com'))).toBe(1)
      expect(
        await count({ kind: 'condition', field: 'email', op: 'in', values: ['ANN@Example.com', 'x@y.z'] }),
      ).toBe(1)
      expect(await count(cond('phone', '=', '+33612345678'))).toBe(1)
      expect(await count(cond('phone', '=', '+33 6 12 34 56 78'))).toBe(1)
      // The field's default country reads a national number.
      expect(await count(cond('mobile', '=', '06 12 34 56 78'))).toBe(1)
      // Re-ingesting the same file changes nothing.
      const again = await store.ingestor.ingest('acme', 'profiles', join(dir, 'p.csv'))
      expect(again).toMatchObject({ unchanged: 3, updated: 0 })
    } finally {
      await store.close()
    }
  })

  it('migrates a data directory written before, once, reporting how many values changed', async () => {
    let store = await Store.open({ dataDir })
    try {
      // The values as an older version stored them, and no record of the migration.
      await store.engine.run(
        `UPDATE org_acme.profiles SET email = ' Foo.Bar@Example.COM ', phone = '06 12 34 56 78', mobile = '0612345678' WHERE id = 'p1'`,
      )
      await store.engine.run(`UPDATE org_acme.profiles SET email = 'ANN@example.com' WHERE id = 'p2'`)
      await store.engine.run('DELETE FROM meta.data_migrations')
    } finally {
      await store.close()
    }
    store = await Store.open({ dataDir })
    try {
      expect(store.dataMigrations).toEqual([
        {
          name: 'canonical-identity-columns',
          changed: 4,
          changes: [
            { org: 'acme', table: 'profiles', field: 'email', changed: 2 },
            { org: 'acme', table: 'profiles', field: 'phone', changed: 1 },
            { org: 'acme', table: 'profiles', field: 'mobile', changed: 1 },
          ],
        },
      ])
      expect(await rows(store)).toEqual([
        { id: 'p1', email: 'foo.bar@example.com', phone: '+33612345678', mobile: '+33612345678' },
        { id: 'p2', email: 'ann@example.com', phone: '+442079460018', mobile: null },
        { id: 'p3', email: null, phone: null, mobile: null },
      ])
      const [kept] = await store.engine.query<{ report: string }>('SELECT report FROM meta.data_migrations')
      expect(JSON.parse(kept!.report)).toMatchObject({ changed: 4 })
    } finally {
      await store.close()
    }
    store = await Store.open({ dataDir })
    try {
      expect(store.dataMigrations).toEqual([])
    } finally {
      await store.close()
    }
  })
})
