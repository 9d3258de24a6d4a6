import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppError, parseSchemaText } from '@ahub/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Store } from '../store'

const SCHEMA = `tables:
  profiles:
    primaryKey: [profile_id]
    fields:
      profile_id: { type: string, nullable: false }
      email: { type: string, identity: { namespace: email, primary: true } }
      city: { type: string }
    relationships:
      purchases: { target: purchases, cardinality: 1-N, on: { profile_id: profile_id }, inverse: profile }
  purchases:
    primaryKey: [purchase_id]
    fields:
      purchase_id: { type: string, nullable: false }
      profile_id: { type: string, nullable: false }
      amount: { type: number }
`

/** The demo schema with a change applied to its text. */
const changed = (from: string, to: string) => {
  if (!SCHEMA.includes(from)) throw new Error(`"${from}" is not in the schema`)
  return parseSchemaText(SCHEMA.replace(from, to))
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('expected the promise to reject with an AppError')
}

describe('SchemaCatalog on DuckDB', () => {
  let dir: string
  let store: Store

  const file = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }
  const rows = async (org: string, table: string) =>
    (await store.datasets.list(org)).find((d) => d.table === table)?.rows
  const columns = async (org: string, table: string) =>
    (
      await store.engine.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2
         ORDER BY ordinal_position`,
        [`org_${org}`, table],
      )
    ).map((c) => c.column_name)

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahub-'))
    store = await Store.open({ dataDir: dir })
    await store.createOrg('acme', 'Acme')
    await store.createOrg('other', 'Other')
  })
  afterAll(async () => {
    await store?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('creates the tables of a schema, empty', async () => {
    const result = await store.catalog.apply('acme', parseSchemaText(SCHEMA))
    expect(result).toEqual({ created: ['profiles', 'purchases'], updated: [], unchanged: [] })

    const tables = await store.catalog.list('acme')
    expect(tables.map((t) => [t.name, t.revision])).toEqual([
      ['profiles', 1],
      ['purchases', 1],
    ])
    expect(tables[0]?.definition).toEqual(parseSchemaText(SCHEMA).tables.profiles)
    expect(await store.datasets.list('acme')).toEqual([
      { table: 'profiles', rows: 0, revision: 1, lastBatch: null },
      { table: 'purchases', rows: 0, revision: 1, lastBatch: null },
    ])
    expect(await columns('acme', 'profiles')).toEqual(['profile_id', 'email', 'city', '_batch'])
  })

  it('reports a second application of the same schema as unchanged', async () => {
    const result = await store.catalog.apply('acme', parseSchemaText(SCHEMA))
    expect(result).toEqual({ created: [], updated: [], unchanged: ['profiles', 'purchases'] })
    expect((await store.catalog.get('acme', 'profiles')).revision).toBe(1)
  })

  it('loads rows to keep through the changes below', async () => {
    const report = await store.ingestor.ingest(
      'acme',
      'profiles',
      file(
        'profiles.csv',
        'profile_id,email,city\np1,ann@example.com,Paris\np2,bob@example.com,Lyon\np3,,Nice\n',
      ),
    )
    expect(report).toMatchObject({ status: 'succeeded', received: 3, inserted: 3, rejected: 0 })
    const purchases = await store.ingestor.ingest(
      'acme',
      'purchases',
      file('purchases.csv', 'purchase_id,profile_id,amount\nx1,p1,10.5\nx2,p2,20\n'),
    )
    expect(purchases).toMatchObject({ status: 'succeeded', inserted: 2 })
    expect(await rows('acme', 'profiles')).toBe(3)
  })

  it('previews a change without applying it on a dry run', async () => {
    const result = await store.catalog.apply(
      'acme',
      changed(
        '      city: { type: string }\n',
        '      city: { type: string }\n      age: { type: integer }\n',
      ),
      { dryRun: true },
    )
    expect(result.updated).toEqual([
      {
        table: 'profiles',
        diff: { added: ['age'], removed: [], retyped: [], enumValuesRemoved: [], keyChanged: false },
      },
    ])
    expect((await store.catalog.get('acme', 'profiles')).revision).toBe(1)
    expect(await columns('acme', 'profiles')).not.toContain('age')
  })

  it('adds a field online, keeping the rows', async () => {
    const result = await store.catalog.apply(
      'acme',
      changed(
        '      city: { type: string }\n',
        '      city: { type: string }\n      tier: { type: enum, values: [bronze, gold] }\n',
      ),
    )
    expect(result.unchanged).toEqual(['purchases'])
    expect(result.updated).toEqual([
      {
        table: 'profiles',
        diff: { added: ['tier'], removed: [], retyped: [], enumValuesRemoved: [], keyChanged: false },
      },
    ])
    const stored = await store.catalog.get('acme', 'profiles')
    expect(stored.revision).toBe(2)
    expect(Object.keys(stored.definition.fields)).toEqual(['profile_id', 'email', 'city', 'tier'])
    expect(await columns('acme', 'profiles')).toEqual(['profile_id', 'email', 'city', '_batch', 'tier'])
    expect(await rows('acme', 'profiles')).toBe(3)
    const sample = (await store.datasets.show('acme', 'profiles', 10)).sample
    expect(sample.find((r) => r.profile_id === 'p1')).toMatchObject({ city: 'Paris', tier: null })
  })

  it('refuses to remove a field without allowDestructive, and changes nothing', async () => {
    // The current definition has tier; dropping city from it is destructive.
    const withoutCity = changed(
      '      city: { type: string }\n',
      '      tier: { type: enum, values: [bronze, gold] }\n',
    )
    const error = await rejection(store.catalog.apply('acme', withoutCity))
    expect(error.code).toBe('SCHEMA_DESTRUCTIVE_CHANGE')
    expect(error.details?.changes).toEqual([
      {
        table: 'profiles',
        diff: { added: [], removed: ['city'], retyped: [], enumValuesRemoved: [], keyChanged: false },
      },
    ])
    expect((await store.catalog.get('acme', 'profiles')).revision).toBe(2)
    expect(await columns('acme', 'profiles')).toContain('city')
  })

  it('refuses to remove a field that another table relationship uses, even with allowDestructive', async () => {
    const purchasesOnly = parseSchemaText(`tables:
  purchases:
    primaryKey: [purchase_id]
    fields:
      purchase_id: { type: string, nullable: false }
      amount: { type: number }
`)
    for (const allowDestructive of [false, true]) {
      const error = await rejection(store.catalog.apply('acme', purchasesOnly, { allowDestructive }))
      expect(error.code).toBe('SCHEMA_FIELD_IN_USE')
      expect(error.message).toContain('profiles.purchases')
      expect(error.details?.conflicts).toEqual([
        {
          table: 'purchases',
          field: 'profile_id',
          users: [{ kind: 'relationship', name: 'profiles.purchases' }],
        },
      ])
    }
    expect(await columns('acme', 'purchases')).toContain('profile_id')
    expect(await rows('acme', 'purchases')).toBe(2)
  })

  it('removes an unused field with allowDestructive and keeps the rows', async () => {
    const withoutCity = changed(
      '      city: { type: string }\n',
      '      tier: { type: enum, values: [bronze, gold] }\n',
    )
    const result = await store.catalog.apply('acme', withoutCity, { allowDestructive: true })
    expect(result.updated).toEqual([
      {
        table: 'profiles',
        diff: { added: [], removed: ['city'], retyped: [], enumValuesRemoved: [], keyChanged: false },
      },
    ])
    expect((await store.catalog.get('acme', 'profiles')).revision).toBe(3)
    expect(await columns('acme', 'profiles')).toEqual(['profile_id', 'email', '_batch', 'tier'])
    expect(await rows('acme', 'profiles')).toBe(3)
    const sample = (await store.datasets.show('acme', 'profiles', 10)).sample
    expect(sample.map((r) => [r.profile_id, r.email]).sort()).toEqual([
      ['p1', 'ann@example.com'],
      ['p2', 'bob@example.com'],
      ['p3', null],
    ])
    expect(sample.every((r) => !('city' in r))).toBe(true)
  })

  describe('organisations are isolated', () => {
    const OTHER_SCHEMA = `tables:
  profiles:
    primaryKey: [profile_id]
    fields:
      profile_id: { type: string, nullable: false }
      nickname: { type: string }
`

    it('lists no tables of another organisation', async () => {
      expect(await store.catalog.list('other')).toEqual([])
      expect(await store.datasets.list('other')).toEqual([])
      expect(await store.catalog.find('other', 'profiles')).toBeUndefined()
      expect((await rejection(store.catalog.get('other', 'purchases'))).code).toBe('SCHEMA_NOT_FOUND')
      expect((await rejection(store.datasets.show('other', 'profiles'))).code).toBe('SCHEMA_NOT_FOUND')
    })

    it('does not resolve relationships to the tables of another organisation', async () => {
      const error = await rejection(
        store.catalog.apply(
          'other',
          parseSchemaText(`tables:
  orders:
    primaryKey: [order_id]
    fields:
      order_id: { type: string, nullable: false }
      profile_id: { type: string }
    relationships:
      profile: { target: profiles, cardinality: N-1, on: { profile_id: profile_id } }
`),
        ),
      )
      expect(error.code).toBe('SCHEMA_INVALID')
      expect(error.details?.issues).toEqual([
        expect.objectContaining({
          path: ['tables', 'orders', 'relationships', 'profile', 'target'],
          code: 'UNKNOWN_TABLE',
        }),
      ])
      expect(await store.catalog.list('other')).toEqual([])
    })

    it('keeps a table of the same name apart, with its own definition and rows', async () => {
      const result = await store.catalog.apply('other', parseSchemaText(OTHER_SCHEMA))
      expect(result.created).toEqual(['profiles'])

      const report = await store.ingestor.ingest(
        'other',
        'profiles',
        file('other-profiles.csv', 'profile_id,nickname\np1,Zed\n'),
      )
      expect(report).toMatchObject({ org: 'other', inserted: 1, updated: 0 })

      expect((await store.catalog.list('other')).map((t) => t.name)).toEqual(['profiles'])
      expect((await store.catalog.list('acme')).map((t) => t.name)).toEqual(['profiles', 'purchases'])
      expect(Object.keys((await store.catalog.get('other', 'profiles')).definition.fields)).toEqual([
        'profile_id',
        'nickname',
      ])
      expect((await store.catalog.get('acme', 'profiles')).revision).toBe(3)

      expect(await rows('other', 'profiles')).toBe(1)
      expect(await rows('acme', 'profiles')).toBe(3)
      const otherSample = (await store.datasets.show('other', 'profiles', 10)).sample
      expect(otherSample).toEqual([{ profile_id: 'p1', nickname: 'Zed' }])
      const acmeSample = (await store.datasets.show('acme', 'profiles', 10)).sample
      expect(acmeSample.find((r) => r.profile_id === 'p1')).toMatchObject({ email: 'ann@example.com' })

      expect((await store.batches.list('other')).map((b) => b.table)).toEqual(['profiles'])
      expect((await store.batches.list('acme')).every((b) => b.file !== 'other-profiles.csv')).toBe(true)
    })

    it('applies a destructive change in one organisation only', async () => {
      const result = await store.catalog.apply(
        'other',
        parseSchemaText(OTHER_SCHEMA.replace('      nickname: { type: string }\n', '')),
        { allowDestructive: true },
      )
      expect(result.updated.map((u) => u.diff.removed)).toEqual([['nickname']])
      expect(await columns('other', 'profiles')).toEqual(['profile_id', '_batch'])
      expect(await columns('acme', 'profiles')).toEqual(['profile_id', 'email', '_batch', 'tier'])
    })
  })
})
