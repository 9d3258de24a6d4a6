import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileCount, compileDistribution, compileExpression, compileRule } from './compile'
import { demoContext } from './test-support/demo'
import { type DemoDb, openDemoDb } from './test-support/duckdb'
import { BENCHMARK_RULES } from './test-support/rules'

const ctx = demoContext('duckdb')
let db: DemoDb

beforeAll(async () => {
  db = await openDemoDb(1500, 12_000, ctx.asOf)
  // Give the NULL-semantics checks some empty cities and genders to work with.
  await db.conn.run(`UPDATE org_demo.profiles SET city = NULL WHERE profile_id LIKE '%3'`)
  await db.conn.run(`UPDATE org_demo.profiles SET city = '' WHERE profile_id LIKE '%7'`)
})

afterAll(async () => {
  await db?.close()
})

async function members(rule: unknown): Promise<string[]> {
  const rows = await db.rows<{ profile_id: string }>(compileRule(rule, ctx))
  return rows.map((r) => r.profile_id).sort()
}

async function handWritten(sql: string, params: unknown[] = []): Promise<string[]> {
  const reader = await db.conn.runAndReadAll(sql, params as never)
  return (reader.getRowObjectsJS() as { profile_id: string }[]).map((r) => r.profile_id).sort()
}

const cond = (field: string, op: string, extra: Record<string, unknown> = {}) => ({
  kind: 'condition',
  field,
  op,
  ...extra,
})

describe('compiled rules on DuckDB', () => {
  it('answer "FR with a purchase in the last 30 days" like the hand-written query', async () => {
    const got = await members(BENCHMARK_RULES['FR with a purchase in the last 30 days'])
    const want = await handWritten(
      `SELECT p.profile_id FROM org_demo.profiles p WHERE p.country = 'FR' AND EXISTS (
         SELECT 1 FROM org_demo.purchases x WHERE x.profile_id = p.profile_id AND x.purchased_at >= TIMESTAMP '2026-02-13 10:30:00')`,
    )
    expect(want.length).toBeGreaterThan(5)
    expect(got).toEqual(want)
  })

  it('answer "over 500 in 365 days and never electronics" like the hand-written query', async () => {
    const got = await members(BENCHMARK_RULES['spent over 500 in 365 days and never bought electronics'])
    const want = await handWritten(
      `SELECT p.profile_id FROM org_demo.profiles p
       WHERE p.profile_id IN (SELECT profile_id FROM org_demo.purchases WHERE purchased_at >= TIMESTAMP '2025-03-15 10:30:00'
                              GROUP BY profile_id HAVING sum(amount) > 500)
         AND NOT EXISTS (SELECT 1 FROM org_demo.purchases x WHERE x.profile_id = p.profile_id AND x.category = 'electronics')`,
    )
    expect(want.length).toBeGreaterThan(5)
    expect(got).toEqual(want)
  })

  it('count and distribution agree with the members', async () => {
    const rule = BENCHMARK_RULES['FR with a purchase in the last 30 days']
    const [{ count }] = (await db.rows<{ count: bigint }>(compileCount(rule, ctx))) as [{ count: bigint }]
    expect(Number(count)).toBe((await members(rule)).length)
    const dist = await db.rows<{ value: string; count: bigint }>(
      compileDistribution(rule, 'loyalty_tier', ctx, 3),
    )
    expect(dist.length).toBeLessThanOrEqual(3)
    const counts = dist.map((d) => Number(d.count))
    expect(counts).toEqual([...counts].sort((a, b) => b - a))
  })

  it('include parents without linked rows when 0 satisfies a count or sum test', async () => {
    const got = await members({
      kind: 'link',
      link: 'purchases',
      aggregate: { fn: 'count', op: '<', value: 3 },
    })
    const want = await handWritten(
      `SELECT p.profile_id FROM org_demo.profiles p LEFT JOIN org_demo.purchases x ON x.profile_id = p.profile_id
       GROUP BY p.profile_id HAVING count(x.purchase_id) < 3`,
    )
    expect(got).toEqual(want)
    const none = await handWritten(
      'SELECT profile_id FROM org_demo.profiles WHERE profile_id NOT IN (SELECT profile_id FROM org_demo.purchases)',
    )
    expect(none.length).toBeGreaterThan(0)
    expect(got).toEqual(expect.arrayContaining(none))
    const sumLow = await members({
      kind: 'link',
      link: 'purchases',
      aggregate: { fn: 'sum', field: 'amount', op: '<=', value: 50 },
    })
    expect(sumLow).toEqual(expect.arrayContaining(none))
  })

  it('never match an empty value (NULL or \'\') with a negative operator; "is empty" covers both', async () => {
    const all = await handWritten('SELECT profile_id FROM org_demo.profiles')
    const nullCity = await handWritten('SELECT profile_id FROM org_demo.profiles WHERE city IS NULL')
    const blankCity = await handWritten(`SELECT profile_id FROM org_demo.profiles WHERE city = ''`)
    expect(nullCity.length).toBeGreaterThan(0)
    expect(blankCity.length).toBeGreaterThan(0)
    const empties = [...nullCity, ...blankCity]
    for (const rule of [
      cond('city', '!=', { value: 'Paris' }),
      cond('city', 'not in', { values: ['Paris'] }),
      cond('city', 'does not contain', { value: 'zzz' }),
      cond('city', 'does not start with', { value: 'P' }),
      cond('city', 'not like', { value: 'P%' }),
      cond('city', 'like', { value: '%' }),
      cond('city', '<', { value: 'B' }),
      cond('city', 'contains', { value: '' }),
    ]) {
      const got = await members(rule)
      expect(got.length, JSON.stringify(rule)).toBeGreaterThan(0)
      expect(
        got.filter((id) => empties.includes(id)),
        JSON.stringify(rule),
      ).toEqual([])
    }
    // '' is the empty value: "= ''" is "is empty", "!= ''" is "is not empty", '' in a list matches empties.
    expect(await members(cond('city', '=', { value: '' }))).toEqual(empties.sort())
    expect(await members(cond('city', 'in', { values: ['', 'Paris'] }))).toEqual(
      [...empties, ...(await members(cond('city', '=', { value: 'Paris' })))].sort(),
    )
    const empty = await members(cond('city', 'is empty'))
    expect(empty).toEqual([...nullCity, ...blankCity].sort())
    const notEmpty = await members(cond('city', 'is not empty'))
    expect(notEmpty.length + empty.length).toBe(all.length)
  })

  it('treat EXCEPT as a set difference even when the removed part is unknown (NULL)', async () => {
    const all = await handWritten('SELECT profile_id FROM org_demo.profiles')
    const paris = await members(cond('city', '=', { value: 'Paris' }))
    const got = await members({
      kind: 'group',
      op: 'except',
      children: [cond('profile_id', 'is not empty'), cond('city', '=', { value: 'Paris' })],
    })
    expect(got.length).toBe(all.length - paris.length)
  })

  it('evaluates expression conditions and 1-N aggregates in expressions', async () => {
    const got = await members({
      kind: 'expression',
      expression: "count(purchases where category = 'books') >= 2 and country = 'DE'",
    })
    const want = await handWritten(
      `SELECT p.profile_id FROM org_demo.profiles p WHERE p.country = 'DE' AND
         (SELECT count(*) FROM org_demo.purchases x WHERE x.profile_id = p.profile_id AND x.category = 'books') >= 2`,
    )
    expect(want.length).toBeGreaterThan(0)
    expect(got).toEqual(want)
  })

  it('evaluates N-1 paths from purchases through a join', async () => {
    const q = compileCount(cond('profile.country', '=', { value: 'FR' }), { ...ctx, dimension: 'purchases' })
    const [{ count }] = (await db.rows<{ count: bigint }>(q)) as [{ count: bigint }]
    const [{ c }] = (await db.rows<{ c: bigint }>(
      `SELECT count(*) AS c FROM org_demo.purchases x JOIN org_demo.profiles p USING (profile_id) WHERE p.country = 'FR'`,
    )) as [{ c: bigint }]
    expect(count).toBe(c)
  })

  it('runs computed expressions with window functions', async () => {
    const e = compileExpression(
      'rowNumber() over (partition by country order by created_at desc, profile_id)',
      ctx,
    )
    expect(e.type).toBe('integer')
    const rows = await db.rows<{ value: bigint }>(`SELECT max(value) AS value FROM (${e.select})`, e.params)
    expect(Number(rows[0]!.value)).toBeGreaterThan(1)
  })
})
