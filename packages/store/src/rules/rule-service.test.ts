import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AppError, parseSchemaText } from '@ahub/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Store } from '../store'

const SCHEMA = `
tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      country: { type: string }
      score: { type: integer }
    relationships:
      orders: { target: orders, cardinality: 1-N, on: { id: profile_id } }
  orders:
    primaryKey: [order_id]
    fields:
      order_id: { type: string, nullable: false }
      profile_id: { type: string, nullable: false }
      amount: { type: number }
      ordered_at: { type: timestamp }
`
const AS_OF = new Date('2026-11-01T00:00:00Z')
const cond = (field: string, op: string, value: unknown) => ({ kind: 'condition', field, op, value })

let dir: string
let store: Store

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ahub-rules-'))
  store = await Store.open({ dataDir: join(dir, 'data') })
  await store.createOrg('acme', 'Acme')
  await store.catalog.apply('acme', parseSchemaText(SCHEMA))
  // p0..p9: even ids are FR, odd DE; score = i * 10. Profile i has i orders, one a day back from as-of.
  const profiles = ['id,country,score']
  const orders = ['order_id,profile_id,amount,ordered_at']
  for (let i = 0; i < 10; i++) {
    profiles.push(`p${i},${i % 2 ? 'DE' : 'FR'},${i * 10}`)
    for (let k = 0; k < i; k++) {
      const at = new Date(AS_OF.getTime() - (k + 1) * 86_400_000 - 3_600_000).toISOString()
      orders.push(`o${i}-${k},p${i},${10 * (k + 1)},${at}`)
    }
  }
  writeFileSync(join(dir, 'profiles.csv'), `${profiles.join('\n')}\n`)
  writeFileSync(join(dir, 'orders.csv'), `${orders.join('\n')}\n`)
  await store.ingestor.ingest('acme', 'profiles', join(dir, 'profiles.csv'))
  await store.ingestor.ingest('acme', 'orders', join(dir, 'orders.csv'))
})

afterAll(async () => {
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('rule tools on the embedded engine', () => {
  it('counts the rows a rule selects, as of a given time', async () => {
    expect((await store.rules.count('acme', cond('country', '=', 'FR'))).count).toBe(5)
    // At least one order in the last 3 days: profiles with 1 or more orders (p1..p9).
    const recent = {
      kind: 'link',
      link: 'orders',
      where: {
        kind: 'condition',
        field: 'ordered_at',
        op: '=',
        date: { preset: 'last', n: 3, unit: 'days' },
      },
      aggregate: { fn: 'exists' },
    }
    const r = await store.rules.count('acme', recent, { asOf: AS_OF })
    expect(r).toMatchObject({ count: 9, dimension: 'profiles', asOf: AS_OF.toISOString() })
    // Total spend over 100: profile i spends 10 * i(i+1)/2, so p4 (100) is out and p5..p9 are in.
    const spend = {
      kind: 'link',
      link: 'orders',
      aggregate: { fn: 'sum', field: 'amount', op: '>', value: 100 },
    }
    expect((await store.rules.count('acme', spend, { asOf: AS_OF })).count).toBe(5)
  })

  it('lists every issue with its path, and refuses an unknown dimension', async () => {
    const issues = await store.rules.validate('acme', {
      kind: 'group',
      op: 'or',
      children: [cond('shoe', '=', 1), cond('score', 'contains', 'x')],
    })
    expect(issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['children.0.field', 'RULE_UNKNOWN_FIELD'],
      ['children.1.op', expect.stringMatching(/^RULE_/)],
    ])
    await expect(
      store.rules.count('acme', cond('id', '=', 'p1'), { dimension: 'nope' }),
    ).rejects.toMatchObject({
      code: 'RULE_UNKNOWN_DIMENSION',
    } satisfies Partial<AppError>)
  })

  it('prints the SQL per dialect with values bound, never inlined', async () => {
    const evil = "FR'; DROP TABLE profiles; --"
    for (const dialect of ['duckdb', 'postgres', 'clickhouse'] as const) {
      const q = await store.rules.sql('acme', cond('country', '=', evil), { dialect })
      expect(q.sql).not.toContain('DROP TABLE')
      expect(q.params.map((p) => p.value)).toEqual([evil])
    }
    expect((await store.rules.count('acme', cond('country', '=', evil))).count).toBe(0)
    expect((await store.rules.explain('acme', cond('country', '=', 'FR'))).plan).toMatch(/profiles/i)
  })

  it('gives the distribution of values among the selected rows', async () => {
    const all = await store.rules.distribution('acme', 'country')
    expect(all.values).toEqual(
      expect.arrayContaining([
        { value: 'FR', count: 5 },
        { value: 'DE', count: 5 },
      ]),
    )
    const high = await store.rules.distribution('acme', 'country', { rule: cond('score', '>=', 70) })
    expect(high.values).toEqual(
      expect.arrayContaining([
        { value: 'FR', count: 1 },
        { value: 'DE', count: 2 },
      ]),
    )
  })

  it('resolves "in audience" through the audience catalog', async () => {
    const { audience } = await store.audiences.create('acme', {
      label: 'High scorers',
      type: 'query',
      dimension: 'profiles',
      rule: cond('score', '>=', 50),
    })
    const id = audience.id
    const inIt = {
      kind: 'group',
      op: 'and',
      children: [cond('country', '=', 'FR'), { kind: 'audience', audience: id }],
    }
    // FR and score >= 50: p6, p8.
    expect((await store.rules.count('acme', inIt)).count).toBe(2)
    const unknown = await store.rules.validate('acme', { kind: 'audience', audience: 'a_missing' })
    expect(unknown.map((i) => i.code)).toEqual(['RULE_UNKNOWN_AUDIENCE'])
  })
})
