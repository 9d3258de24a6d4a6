import type { EngineName } from '@ahub/core'
import { DuckDBInstance } from '@duckdb/node-api'
import { queryBind } from 'chdb'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { compileExpression } from '../compile'
import type { CompiledQuery } from '../context'
import { demoContext } from '../test-support/demo'

// The same literal expressions, printed for each dialect, must give the same value on each engine.
const CASES: [expression: string, expected: unknown][] = [
  ["sha256('johndoe@example.com')", '55e79200c1635b37ad31a378c39feb12f120f116625093a19bc32fff15041149'],
  ["normaliseEmail('  John.Doe@Example.COM ')", 'john.doe@example.com'],
  ["normalisePhone('06 12 34 56 78', '33')", '+33612345678'],
  ["normalisePhone('+44 20 7946 0958')", '+442079460958'],
  ["normalisePhone('0033 6 12 34 56 78', '33')", '+33612345678'],
  ["normalisePhone(' - ')", null],
  ["lower('ÉCOLE')", 'école'],
  ["upper('école')", 'ÉCOLE'],
  ["length('héllo')", 5],
  ["substr('héllo', 2, 3)", 'éll'],
  ["substr('héllo', 3)", 'llo'],
  ["trim('  a b  ')", 'a b'],
  ["replace('a-b-c', '-', '+')", 'a+b+c'],
  ["concat('a', null, 1, '-', true)", 'a1-true'],
  ["startsWith('Paris', 'Pa')", true],
  ["contains('Paris', 'ri')", true],
  ["contains('Paris', 'RI')", false],
  ['round(2.5)', 3],
  ['round(-2.5)', -3],
  ['round(1.2345, 2)', 1.23],
  ['floor(-1.5)', -2],
  ['ceil(1.2)', 2],
  ['abs(-3)', 3],
  ['7 / 2', 3.5],
  ['7 % 3', 1],
  ['7 / 0', null],
  ['least(3, 1, 2)', 1],
  ['greatest(3, null)', null],
  ['coalesce(null, 2)', 2],
  ["dateAdd('month', 1, date'2026-01-31')", '2026-02-28'],
  ["dateAdd('day', -1, date'2026-03-01')", '2026-02-28'],
  ["dateAdd('year', 1, timestamp'2024-02-29T12:00:00Z')", '2025-02-28 12:00:00.000'],
  ["truncate('week', date'2026-03-15')", '2026-03-09'],
  ["truncate('month', timestamp'2026-03-15T10:30:00Z') = timestamp'2026-03-01T00:00:00Z'", true],
  ["truncate('day', timestamp'2026-03-15T10:30:00Z') < timestamp'2026-03-15T00:00:01Z'", true],
  ["daysBetween(date'2026-01-01', timestamp'2026-03-01T23:00:00Z')", 59],
  ["year(date'2026-03-15') * 100 + month(date'2026-03-15')", 202603],
  ['day(now())', 15],
  ["case when 1 > 2 then 'a' when 2 > 1 then 'b' else 'c' end", 'b'],
  ["'x' in ('a', 'x')", true],
  ['null is null and not (1 = 2)', true],
  ["concat('at ', timestamp'2026-03-15T10:30:00Z')", 'at 2026-03-15 10:30:00'],
  ["concat('on ', date'2026-03-15', ' ', false, ' ', 2.5)", 'on 2026-03-15 false 2.5'],
  // Computed arguments out of range give NULL on every engine (literal ones are refused).
  ["substr('héllo', length('héllo') - 9)", null],
  ["substr('héllo', 2, length('héllo') - 9)", null],
  ["dateAdd('day', length('héllo') * 1000000, date'2026-01-31')", null],
  ["dateAdd('year', length('héllo') * 1000, date'2026-01-31')", '7026-01-31'],
]

type Run = (q: CompiledQuery) => Promise<unknown>

function normalise(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v)
  if (v instanceof Date) {
    const iso = v.toISOString()
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('T', ' ').replace('Z', '')
  }
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v))
    return v.replace('T', ' ').replace('Z', '').padEnd(23, '.000')
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(v)) return `${v}.000`
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v)
  return v
}

const duck = await DuckDBInstance.create(':memory:')
const duckConn = await duck.connect()
const runDuck: Run = async (q) => {
  const r = await duckConn.runAndReadAll(
    `SELECT ${q.sql} AS value`,
    q.params.map((p) => p.value),
  )
  return (r.getRowObjectsJS()[0] as { value: unknown }).value
}

const pgUrl = process.env.AHUB_PG_URL ?? `postgres://${process.env.PGUSER ?? 'postgres'}@127.0.0.1:5432/test`
const pgClient = new pg.Client({ connectionString: pgUrl })
const pgReady = await pgClient.connect().then(
  () => true,
  (e: Error) => {
    if (process.env.CI === 'true') throw e
    return false
  },
)
pg.types.setTypeParser(1114, (s) => s)
pg.types.setTypeParser(1082, (s) => s)
const runPg: Run = async (q) => {
  const r = await pgClient.query(
    `SELECT ${q.sql} AS value`,
    q.params.map((p) => p.value),
  )
  return r.rows[0].value
}

const runClickHouse: Run = async (q) => {
  const args = Object.fromEntries(q.params.map((p, i) => [`p${i + 1}`, p.value]))
  const text = queryBind(`SELECT ${q.sql} AS value`, args, 'JSONEachRow')
  return (JSON.parse(text) as { value: unknown }).value
}

afterAll(async () => {
  duckConn.closeSync()
  duck.closeSync()
  if (pgReady) await pgClient.end()
})

const ENGINES: [EngineName, Run, boolean][] = [
  ['duckdb', runDuck, true],
  ['postgres', runPg, pgReady],
  ['clickhouse', runClickHouse, true],
]

for (const [dialect, run, ready] of ENGINES) {
  describe.skipIf(!ready)(
    `expression functions on ${dialect}${ready ? '' : ' (skipped: no PostgreSQL)'}`,
    () => {
      it.each(CASES)('%s', async (expression, expected) => {
        const q = compileExpression(expression, demoContext(dialect))
        expect(normalise(await run(q))).toEqual(expected)
      })
    },
  )
}
