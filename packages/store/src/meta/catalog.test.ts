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

/** A store in a temporary folder holding these orgs, open for the tests of the enclosing block. */
function openStore(...orgs: string[]): { dir: string; store: Store } {
  const opened = {} as { dir: string; store: Store }
  beforeAll(async () => {
    opened.dir = mkdtempSync(join(tmpdir(), 'ahub-'))
    opened.store = await Store.open({ dataDir: opened.dir })
    for (const org of orgs) await opened.store.createOrg(org, `${org[0]!.toUpperCase()}${org.slice(1)}`)
  })
  afterAll(async () => {
    await opened.store?.close()
    rmSync(opened.dir, { recursive: true, force: true })
  })
  return opened
}

describe('SchemaCatalog on DuckDB', () => {
  const t = openStore('acme', 'other')

  const file = (name: string, text: string) => {
    const path = join(t.dir, name)
    writeFileSync(path, text)
    return path
  }
  const rows = async (org: string, table: string) =>
    (await t.store.datasets.list(org)).find((d) => d.table === table)?.rows
  const columns = async (org: string, table: string) =>
    (
      await t.store.engine.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2
         ORDER BY ordinal_position`,
        [`org_${org}`, table],
      )
    ).map((c) => c.column_name)

  it('creates the tables of a schema, empty', async () => {
    const result = await t.store.catalog.apply('acme', parseSchemaText(SCHEMA))
    expect(result).toEqual({ created: ['profiles', 'purchases'], updated: [], unchanged: [] })

    const tables = await t.store.catalog.list('acme')
    expect(tables.map((t) => [t.name, t.revision])).toEqual([
      ['profiles', 1],
      ['purchases', 1],
    ])
    expect(tables[0]?.definition).toEqual(parseSchemaText(SCHEMA).tables.profiles)
    expect(await t.store.datasets.list('acme')).toEqual([
      { table: 'profiles', rows: 0, revision: 1, lastBatch: null },
      { table: 'purchases', rows: 0, revision: 1, lastBatch: null },
    ])
    expect(await columns('acme', 'profiles')).toEqual(['profile_id', 'email', 'city', '_batch'])
  })

  it('reports a second application of the same schema as unchanged', async () => {
    const result = await t.store.catalog.apply('acme', parseSchemaText(SCHEMA))
    expect(result).toEqual({ created: [], updated: [], unchanged: ['profiles', 'purchases'] })
    expect((await t.store.catalog.get('acme', 'profiles')).revision).toBe(1)
  })

  it('loads rows to keep through the changes below', async () => {
    const report = await t.store.ingestor.ingest(
      'acme',
      'profiles',
      file(
        'profiles.csv',
        'profile_id,email,city\np1,ann@example.com,Paris\np2,bob@example.com,Lyon\np3,,Nice\n',
      ),
    )
    expect(report).toMatchObject({ status: 'succeeded', received: 3, inserted: 3, rejected: 0 })
    const purchases = await t.store.ingestor.ingest(
      'acme',
      'purchases',
      file('purchases.csv', 'purchase_id,profile_id,amount\nx1,p1,10.5\nx2,p2,20\n'),
    )
    expect(purchases).toMatchObject({ status: 'succeeded', inserted: 2 })
    expect(await rows('acme', 'profiles')).toBe(3)
  })

  it('previews a change without applying it on a dry run', async () => {
    const result = await t.store.catalog.apply(
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
    expect((await t.store.catalog.get('acme', 'profiles')).revision).toBe(1)
    expect(await columns('acme', 'profiles')).not.toContain('age')
  })

  it('adds a field online, keeping the rows', async () => {
    const result = await t.store.catalog.apply(
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
    const stored = await t.store.catalog.get('acme', 'profiles')
    expect(stored.revision).toBe(2)
    expect(Object.keys(stored.definition.fields)).toEqual(['profile_id', 'email', 'city', 'tier'])
    expect(await columns('acme', 'profiles')).toEqual(['profile_id', 'email', 'city', '_batch', 'tier'])
    expect(await rows('acme', 'profiles')).toBe(3)
    const sample = (await t.store.datasets.show('acme', 'profiles', 10)).sample
    expect(sample.find((r) => r.profile_id === 'p1')).toMatchObject({ city: 'Paris', tier: null })
  })

  it('refuses to remove a field without allowDestructive, and changes nothing', async () => {
    // The current definition has tier; dropping city from it is destructive.
    const withoutCity = changed(
      '      city: { type: string }\n',
      '      tier: { type: enum, values: [bronze, gold] }\n',
    )
    const error = await rejection(t.store.catalog.apply('acme', withoutCity))
    expect(error.code).toBe('SCHEMA_DESTRUCTIVE_CHANGE')
    expect(error.details?.changes).toEqual([
      {
        table: 'profiles',
        diff: { added: [], removed: ['city'], retyped: [], enumValuesRemoved: [], keyChanged: false },
      },
    ])
    expect((await t.store.catalog.get('acme', 'profiles')).revision).toBe(2)
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
      const error = await rejection(t.store.catalog.apply('acme', purchasesOnly, { allowDestructive }))
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
    const result = await t.store.catalog.apply('acme', withoutCity, { allowDestructive: true })
    expect(result.updated).toEqual([
      {
        table: 'profiles',
        diff: { added: [], removed: ['city'], retyped: [], enumValuesRemoved: [], keyChanged: false },
      },
    ])
    expect((await t.store.catalog.get('acme', 'profiles')).revision).toBe(3)
    expect(await columns('acme', 'profiles')).toEqual(['profile_id', 'email', '_batch', 'tier'])
    expect(await rows('acme', 'profiles')).toBe(3)
    const sample = (await t.store.datasets.show('acme', 'profiles', 10)).sample
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
      expect(await t.store.catalog.list('other')).toEqual([])
      expect(await t.store.datasets.list('other')).toEqual([])
      expect(await t.store.catalog.find('other', 'profiles')).toBeUndefined()
      expect((await rejection(t.store.catalog.get('other', 'purchases'))).code).toBe('SCHEMA_NOT_FOUND')
      expect((await rejection(t.store.datasets.show('other', 'profiles'))).code).toBe('SCHEMA_NOT_FOUND')
    })

    it('does not resolve relationships to the tables of another organisation', async () => {
      const error = await rejection(
        t.store.catalog.apply(
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
      expect(await t.store.catalog.list('other')).toEqual([])
    })

    it('keeps a table of the same name apart, with its own definition and rows', async () => {
      const result = await t.store.catalog.apply('other', parseSchemaText(OTHER_SCHEMA))
      expect(result.created).toEqual(['profiles'])

      const report = await t.store.ingestor.ingest(
        'other',
        'profiles',
        file('other-profiles.csv', 'profile_id,nickname\np1,Zed\n'),
      )
      expect(report).toMatchObject({ org: 'other', inserted: 1, updated: 0 })

      expect((await t.store.catalog.list('other')).map((t) => t.name)).toEqual(['profiles'])
      expect((await t.store.catalog.list('acme')).map((t) => t.name)).toEqual(['profiles', 'purchases'])
      expect(Object.keys((await t.store.catalog.get('other', 'profiles')).definition.fields)).toEqual([
        'profile_id',
        'nickname',
      ])
      expect((await t.store.catalog.get('acme', 'profiles')).revision).toBe(3)

      expect(await rows('other', 'profiles')).toBe(1)
      expect(await rows('acme', 'profiles')).toBe(3)
      const otherSample = (await t.store.datasets.show('other', 'profiles', 10)).sample
      expect(otherSample).toEqual([{ profile_id: 'p1', nickname: 'Zed' }])
      const acmeSample = (await t.store.datasets.show('acme', 'profiles', 10)).sample
      expect(acmeSample.find((r) => r.profile_id === 'p1')).toMatchObject({ email: 'ann@example.com' })

      expect((await t.store.batches.list('other')).map((b) => b.table)).toEqual(['profiles'])
      expect((await t.store.batches.list('acme')).every((b) => b.file !== 'other-profiles.csv')).toBe(true)
    })

    it('applies a destructive change in one organisation only', async () => {
      const result = await t.store.catalog.apply(
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

describe('storage of enum fields and batch numbers', () => {
  const t = openStore('acme')
  const TIERS = `tables:
  members:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      tier: { type: enum, values: [silver, gold, "o'brien", bronze] }
      note: { type: string }
`
  const schema = (text: string) => parseSchemaText(text)
  const typeOf = async (column: string) =>
    (
      await t.store.engine.query<{ t: string }>(
        `SELECT data_type AS t FROM duckdb_columns() WHERE schema_name = 'org_acme' AND table_name = 'members' AND column_name = $1`,
        [column],
      )
    )[0]?.t
  const ingest = (name: string, text: string) => {
    const path = join(t.dir, name)
    writeFileSync(path, text)
    return t.store.ingestor.ingest('acme', 'members', path)
  }
  const tiers = async () =>
    (
      await t.store.engine.query<{ id: string; tier: string | null }>(
        'SELECT id, tier FROM org_acme.members ORDER BY tier, id',
      )
    ).map((r) => `${r.id}:${r.tier}`)

  it('stores an enum as an engine ENUM in byte order, so it sorts and compares as text', async () => {
    await t.store.catalog.apply('acme', schema(TIERS))
    expect(await typeOf('tier')).toBe(`ENUM('bronze', 'gold', 'o''brien', 'silver')`)
    const r = await ingest('a.csv', "id,tier\nm1,silver\nm2,gold\nm3,o'brien\nm4,\nm5,copper\n")
    expect(r).toMatchObject({ inserted: 4, rejected: 1 })
    expect(r.rejectSample[0]).toMatchObject({ code: 'ENUM_VALUE', column: 'tier' })
    expect(await tiers()).toEqual(['m2:gold', "m3:o'brien", 'm1:silver', 'm4:null'])
    const above = await t.store.engine.query('SELECT id FROM org_acme.members WHERE tier > $1 ORDER BY id', [
      'h',
    ])
    expect(above).toEqual([{ id: 'm1' }, { id: 'm3' }])
    expect(
      await t.store.engine.query('SELECT id FROM org_acme.members WHERE tier = $1', ['unknown']),
    ).toEqual([])
  })

  it('writes the batch sequence number into _batch', async () => {
    const batches = await t.store.engine.query<{ id: string; seq: number }>(
      'SELECT id, seq FROM meta.batches ORDER BY seq',
    )
    const r = await ingest('b.csv', 'id,tier\nm1,gold\n')
    const seq = (
      await t.store.engine.query<{ seq: number }>('SELECT seq FROM meta.batches WHERE id = $1', [r.batchId])
    )[0]?.seq
    expect(seq).toBeGreaterThan(batches.at(-1)!.seq)
    const written = await t.store.engine.query('SELECT id, _batch FROM org_acme.members ORDER BY id')
    expect(written).toEqual([
      { id: 'm1', _batch: seq },
      { id: 'm2', _batch: batches.at(-1)!.seq },
      { id: 'm3', _batch: batches.at(-1)!.seq },
      { id: 'm4', _batch: batches.at(-1)!.seq },
    ])
  })

  it('adds enum values online and keeps removed ones readable', async () => {
    await t.store.catalog.apply('acme', schema(TIERS.replace('bronze]', 'bronze, aluminium]')))
    expect(await typeOf('tier')).toBe(`ENUM('aluminium', 'bronze', 'gold', 'o''brien', 'silver')`)
    await ingest('c.csv', 'id,tier\nm5,aluminium\n')
    // Removing values is destructive; the stored rows keep theirs (no row holds silver any more).
    await t.store.catalog.apply('acme', schema(TIERS.replace('silver, gold, "o\'brien", bronze', 'bronze')), {
      allowDestructive: true,
    })
    expect(await typeOf('tier')).toBe(`ENUM('aluminium', 'bronze', 'gold', 'o''brien')`)
    expect(await tiers()).toEqual(['m5:aluminium', 'm1:gold', 'm2:gold', "m3:o'brien", 'm4:null'])
    const r = await ingest('d.csv', 'id,tier\nm6,gold\nm7,bronze\n')
    expect(r).toMatchObject({ inserted: 1, rejected: 1 })
  })

  it('retypes text to enum and back, keeping the values', async () => {
    await t.store.catalog.apply(
      'acme',
      schema(TIERS.replace('note: { type: string }', 'note: { type: enum, values: [x] }')),
      {
        allowDestructive: true,
      },
    )
    await ingest('e.csv', 'id,note\nm1,x\n')
    expect(await typeOf('note')).toBe(`ENUM('x')`)
    await t.store.catalog.apply('acme', schema(TIERS), { allowDestructive: true })
    expect(await typeOf('note')).toBe('VARCHAR')
    await ingest('f.csv', 'id,note\nm2,free text\n')
    const notes = await t.store.engine.query(
      'SELECT id, note FROM org_acme.members WHERE note IS NOT NULL ORDER BY id',
    )
    expect(notes).toEqual([
      { id: 'm1', note: 'x' },
      { id: 'm2', note: 'free text' },
    ])
  })

  it('keeps working on tables created when enums and batch numbers were text', async () => {
    await t.store.engine.run('ALTER TABLE org_acme.members ALTER COLUMN tier TYPE VARCHAR')
    await t.store.engine.run('ALTER TABLE org_acme.members ALTER COLUMN _batch TYPE VARCHAR')
    const r = await ingest('g.csv', 'id,tier\nm1,silver\nm8,bronze\n')
    expect(r).toMatchObject({ inserted: 1, updated: 1 })
    await t.store.catalog.apply('acme', schema(TIERS.replace('bronze]', 'bronze, tin]')))
    expect(await typeOf('tier')).toBe('VARCHAR')
    const m8 = await t.store.engine.query<{ tier: string; _batch: string }>(
      'SELECT tier, _batch FROM org_acme.members WHERE id = $1',
      ['m8'],
    )
    expect(m8[0]?.tier).toBe('bronze')
    expect(m8[0]?._batch).toMatch(/^\d+$/)
  })
})

describe('compression of text columns whose values are distinct', () => {
  const t = openStore('acme')

  it('stores a text key, identity fields and identity links with FSST, other text as the engine chooses', async () => {
    await t.store.catalog.apply(
      'acme',
      parseSchemaText(`tables:
  people:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      email: { type: string, identity: { namespace: email, primary: true } }
      city: { type: string }
`),
    )
    // The e-mail and the city hold the same three values, which the engine left to itself stores
    // with a dictionary.
    const towns = ['paris', 'lyon', 'lille']
    const rows = Array.from(
      { length: 5000 },
      (_, i) => `${i},${towns[i % 3]}@example.com,${towns[i % 3]}@example.com`,
    )
    writeFileSync(join(t.dir, 'people.csv'), ['id,email,city', ...rows].join('\n'))
    expect(await t.store.ingestor.ingest('acme', 'people', join(t.dir, 'people.csv'))).toMatchObject({
      inserted: 5000,
    })
    await t.store.engine.run('CHECKPOINT')
    const compression = async (table: string) =>
      Object.fromEntries(
        (
          await t.store.engine.query<{ c: string; k: string }>(
            `SELECT column_name AS c, string_agg(DISTINCT compression) AS k FROM pragma_storage_info('org_acme.${table}')
             WHERE segment_type = 'VARCHAR' GROUP BY ALL`,
          )
        ).map((r) => [r.c, r.k]),
      )
    expect(await compression('people')).toEqual({ id: 'FSST', email: 'FSST', city: 'Dictionary' })
    expect(await compression('_identity_links')).toEqual({ profile_key: 'FSST', value: 'FSST' })
  })
})
