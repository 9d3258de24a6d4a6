import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppError, type EngineName } from '@ahub/core'
import { Session } from 'chdb'
import fc from 'fast-check'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileCount, compileDistribution, compileExpression, compileRule } from './compile'
import type { CompileContext, CompiledQuery } from './context'
import { parseExpression } from './expr/parser'
import { OPERATORS } from './rule/ast'
import { validateRule } from './rule/validate'
import { DEMO_TABLES, demoContext } from './test-support/demo'
import { type DemoDb, openDemoDb } from './test-support/duckdb'

const PROFILE_FIELDS = [
  ...Object.keys(DEMO_TABLES.profiles!.fields),
  'nope',
  'x"; DROP TABLE y; --',
  '__proto__',
]
const PURCHASE_FIELDS = [...Object.keys(DEMO_TABLES.purchases!.fields), 'profile.country', 'profile.city']

const scalar = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    'FR',
    'Paris',
    '%a_',
    "'; --",
    '2026-01-01',
    '2025-13-40',
    '2026-03-01T10:00:00Z',
    'bronze',
    '',
  ),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
  fc.boolean(),
  fc.constant(null),
)
const relDate = fc.oneof(
  fc.record({ preset: fc.constantFrom('today', 'yesterday', 'this week', 'last month', 'this year') }),
  fc.record({
    preset: fc.constantFrom('last', 'next', 'before'),
    n: fc.integer({ min: 0, max: 400 }),
    unit: fc.constantFrom('days', 'weeks', 'months', 'years'),
  }),
)
const condition = (fields: string[]) =>
  fc.record(
    {
      kind: fc.constant('condition'),
      field: fc.constantFrom(...fields),
      op: fc.constantFrom(...OPERATORS, 'bogus'),
      value: scalar,
      values: fc.array(scalar, { minLength: 0, maxLength: 3 }),
      from: scalar,
      to: scalar,
      date: relDate,
    },
    { requiredKeys: ['kind', 'field', 'op'] },
  )

const c = (field: string, op: string, extra: Record<string, unknown> = {}) => ({
  kind: 'condition',
  field,
  op,
  ...extra,
})
const VALID_PROFILE_CONDITIONS = [
  c('country', '=', { value: 'FR' }),
  c('country', 'not in', { values: ['DE', 'US'] }),
  c('city', 'contains', { value: 'ar' }),
  c('city', '!=', { value: 'Paris' }),
  c('email', 'like', { value: '%@gmail.com' }),
  c('first_name', 'does not start with', { value: 'A' }),
  c('gender', 'is empty'),
  c('gender', 'in', { values: ['f', null] }),
  c('birth_date', 'between', { from: '1980-01-01', to: '1995-12-31' }),
  c('birth_date', '=', { date: { preset: 'before', n: 30, unit: 'years' } }),
  c('created_at', '=', { date: { preset: 'last', n: 90, unit: 'days' } }),
  c('created_at', '!=', { date: { preset: 'this year' } }),
  c('marketing_consent', '=', { value: true }),
  c('loyalty_tier', 'in', { values: ['gold', 'platinum'] }),
  c('phone', 'is not empty'),
]
const VALID_PURCHASE_CONDITIONS = [
  c('category', '=', { value: 'books' }),
  c('amount', '>', { value: 50 }),
  c('purchased_at', '=', { date: { preset: 'last', n: 30, unit: 'days' } }),
  c('profile.country', '=', { value: 'FR' }),
  c('channel', 'not in', { values: ['store'] }),
]
const VALID_AGGREGATES = [
  { fn: 'exists' },
  { fn: 'not exists' },
  { fn: 'count', op: '>=', value: 2 },
  { fn: 'count', op: '<', value: 2 },
  { fn: 'sum', field: 'amount', op: '>', value: 200 },
  { fn: 'avg', field: 'amount', op: '<=', value: 80 },
  { fn: 'max', field: 'purchased_at', op: '>=', value: '2026-01-01T00:00:00Z' },
]

const EXPR_ATOMS = [
  'city',
  'country',
  'birth_date',
  'created_at',
  'marketing_consent',
  'first_name',
  '1',
  '2.5',
  "'FR'",
  'null',
  'true',
  "date'2020-01-01'",
  'now()',
]
const EXPR_FNS = [
  'lower',
  'upper',
  'length',
  'year',
  'abs',
  'coalesce',
  'concat',
  'sha256',
  'normaliseEmail',
  'trim',
  'floor',
  'nope',
]
const exprText: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...EXPR_ATOMS),
    fc
      .tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '=', '!=', '<', '>=', 'and', 'or'), tie('e'))
      .map(([a, o, b]) => `(${a} ${o} ${b})`),
    fc.tuple(fc.constantFrom(...EXPR_FNS), tie('e')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([a, b, c]) => `case when ${a} then ${b} else ${c} end`),
    tie('e').map((a) => `not ${a}`),
    fc.constantFrom(
      'count(purchases where amount > 10)',
      'sum(purchases.amount)',
      'daysBetween(birth_date, now())',
    ),
  ),
})).e

const rule: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    condition(PROFILE_FIELDS),
    fc.constantFrom(...VALID_PROFILE_CONDITIONS),
    fc.constantFrom(...VALID_PROFILE_CONDITIONS),
    fc.record({
      kind: fc.constant('link'),
      link: fc.constant('purchases'),
      where: fc.constantFrom(...VALID_PURCHASE_CONDITIONS),
      aggregate: fc.constantFrom(...VALID_AGGREGATES),
    }),
    fc.record({
      kind: fc.constant('group'),
      op: fc.constantFrom('and', 'or', 'except'),
      children: fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
    }),
    fc.record(
      {
        kind: fc.constant('link'),
        link: fc.constantFrom('purchases', 'visitor_links', 'country'),
        where: condition(PURCHASE_FIELDS),
        aggregate: fc.record(
          {
            fn: fc.constantFrom('exists', 'not exists', 'count', 'sum', 'avg', 'min', 'max'),
            field: fc.constantFrom('amount', 'purchased_at', 'category'),
            op: fc.constantFrom('=', '!=', '>', '<', '>=', '<='),
            value: scalar,
          },
          { requiredKeys: ['fn'] },
        ),
      },
      { requiredKeys: ['kind', 'link', 'aggregate'] },
    ),
    fc.record({
      kind: fc.constant('audience'),
      audience: fc.constantFrom('vip', 'ghost'),
      negate: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('expression'), expression: exprText }),
    fc.anything({ maxDepth: 2 }),
  ),
})).node

const AS_OF = new Date('2026-03-15T10:30:00Z')
const NS = `q_prop_${randomBytes(4).toString('hex')}`

function ctx(dialect: EngineName, namespace: string): CompileContext {
  return demoContext(dialect, {
    namespace,
    audiences: (id) =>
      id === 'vip' ? { namespace, table: 'aud_vip', keyColumns: ['profile_id'] } : undefined,
  })
}

const PG_TYPES: Record<string, string> = {
  string: 'text',
  enum: 'text',
  integer: 'bigint',
  number: 'double precision',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
}
const CH_TYPES: Record<string, string> = {
  string: 'String',
  enum: 'String',
  integer: 'Int64',
  number: 'Float64',
  boolean: 'Bool',
  date: 'Date',
  timestamp: 'DateTime64(3)',
}

function ddl(
  types: Record<string, string>,
  q: (s: string) => string,
  nullable: (t: string) => string,
  engine: string,
): string[] {
  const tables = Object.entries(DEMO_TABLES).map(([name, def]) => {
    const cols = Object.entries(def.fields).map(([c, f]) => `${q(c)} ${nullable(types[f.type]!)}`)
    return `CREATE TABLE ${q(NS)}.${q(name)} (${cols.join(', ')})${engine}`
  })
  return [...tables, `CREATE TABLE ${q(NS)}.${q('aud_vip')} (${q('profile_id')} ${types.string})${engine}`]
}

let duck: DemoDb
const pgClient = new pg.Client({
  connectionString:
    process.env.AHUB_PG_URL ?? `postgres://${process.env.PGUSER ?? 'postgres'}@127.0.0.1:5432/test`,
})
const pgReady = await pgClient.connect().then(
  () => true,
  (e: Error) => {
    if (process.env.CI === 'true') throw e
    return false
  },
)
const chDir = mkdtempSync(join(tmpdir(), 'ahub-query-ch-'))
const ch = new Session(chDir)

beforeAll(async () => {
  duck = await openDemoDb(200, 1500, AS_OF)
  await duck.conn.run(`CREATE SCHEMA ${NS}`)
  for (const name of Object.keys(DEMO_TABLES))
    await duck.conn.run(`CREATE TABLE ${NS}.${name} AS SELECT * FROM org_demo.${name}`)
  await duck.conn.run(`CREATE TABLE ${NS}.aud_vip AS SELECT profile_id FROM org_demo.profiles LIMIT 20`)
  if (pgReady) {
    await pgClient.query(`CREATE SCHEMA "${NS}"`)
    for (const s of ddl(
      PG_TYPES,
      (x) => `"${x}"`,
      (t) => t,
      '',
    ))
      await pgClient.query(s)
  }
  ch.query(`CREATE DATABASE ${NS}`)
  for (const s of ddl(
    CH_TYPES,
    (x) => `\`${x}\``,
    (t) => `Nullable(${t})`,
    ' ENGINE = MergeTree ORDER BY tuple()',
  ))
    ch.query(s)
})

afterAll(async () => {
  await duck?.close()
  if (pgReady) {
    await pgClient.query(`DROP SCHEMA IF EXISTS "${NS}" CASCADE`)
    await pgClient.end()
  }
  ch.cleanup()
  rmSync(chDir, { recursive: true, force: true })
})

/** Compiles for a dialect: the result, or the AppError code; anything else fails the property. */
function tryCompile(f: () => CompiledQuery): CompiledQuery | string {
  try {
    return f()
  } catch (e) {
    if (e instanceof AppError) return e.code
    throw e
  }
}

async function runAll(make: (d: EngineName) => CompiledQuery): Promise<void> {
  const d = make('duckdb')
  await duck.rows(`SELECT count(*) FROM (${d.sql}) AS r`, d.params)
  if (pgReady) {
    const p = make('postgres')
    await pgClient.query(
      p.sql,
      p.params.map((x) => x.value),
    )
  }
  const c = make('clickhouse')
  ch.queryBind(c.sql, Object.fromEntries(c.params.map((x, i) => [`p${i + 1}`, x.value])), 'JSONEachRow')
}

describe('random rules and expressions', () => {
  it('validate and compile to AppErrors or SQL that runs on DuckDB, PostgreSQL and ClickHouse', async () => {
    let compiled = 0
    await fc.assert(
      fc.asyncProperty(rule, async (r) => {
        const issues = validateRule(r, ctx('duckdb', NS))
        const q = tryCompile(() => compileRule(r, ctx('duckdb', NS)))
        expect(typeof q === 'string').toBe(issues.length > 0)
        if (typeof q === 'string') return
        compiled++
        await runAll((d) => compileRule(r, ctx(d, NS)))
        await runAll((d) => compileCount(r, ctx(d, NS)))
        await runAll((d) => compileDistribution(r, 'loyalty_tier', ctx(d, NS), 5))
      }),
      { numRuns: 250, seed: 42 },
    )
    expect(compiled).toBeGreaterThan(40)
  })

  it('compile expressions to AppErrors or SQL that runs on every engine', async () => {
    let compiled = 0
    await fc.assert(
      fc.asyncProperty(exprText, async (text) => {
        const q = tryCompile(() => compileExpression(text, ctx('duckdb', NS)))
        if (typeof q === 'string') return
        compiled++
        await runAll((d) => {
          const e = compileExpression(text, ctx(d, NS))
          return { sql: e.select, params: e.params }
        })
      }),
      { numRuns: 200, seed: 7 },
    )
    expect(compiled).toBeGreaterThan(30)
  })

  it('parse arbitrary text into an AST or an AppError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: fc.constantFrom(..."()'., +-*/%=<>!abcdeinotrsw0123456789\n") }),
        ),
        (text) => {
          try {
            parseExpression(text)
          } catch (e) {
            expect(e).toBeInstanceOf(AppError)
            expect(['EXPR_PARSE', 'RULE_BAD_DATE', 'RULE_TOO_DEEP', 'RULE_VALUE_TOO_LARGE']).toContain(
              (e as AppError).code,
            )
          }
        },
      ),
      { numRuns: 2000, seed: 3 },
    )
  })
})
