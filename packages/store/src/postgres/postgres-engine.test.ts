import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ident } from '../engine'
import { postgresUrlFromEnv } from './connection'
import { PostgresEngine } from './postgres-engine'

const url = postgresUrlFromEnv()
const engine = await PostgresEngine.open({ connectionString: url, max: 4 }).catch((e: Error) => {
  if (process.env.CI === 'true') throw e
  return undefined
})
const schema = `t_pg_${randomBytes(4).toString('hex')}`
const t = (name: string) => `${ident(schema)}.${ident(name)}`

// Without CI the suite is skipped (with this reason) when no PostgreSQL answers at the URL.
describe.skipIf(!engine)(`PostgresEngine (skipped: no PostgreSQL at ${url})`, () => {
  const pg = engine as PostgresEngine

  beforeAll(async () => {
    await pg.run(`CREATE SCHEMA ${ident(schema)}`)
  })
  afterAll(async () => {
    await pg.run(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`)
    await pg.close()
  })

  it('returns plain JS values: numbers, ISO timestamps, calendar dates', async () => {
    const sql = `SELECT 42::BIGINT AS n, DATE '2024-05-01' AS d, TIMESTAMP '2024-05-01 10:20:30' AS t,
      TIMESTAMPTZ '2024-05-01 10:20:30+02' AS tz, 9007199254740993::BIGINT AS big, $1::text AS p,
      1.5::float8 AS f, true AS b, NULL::text AS z`
    const [row] = await pg.query(sql, ["it's bound"])
    expect(row).toEqual({
      n: 42,
      d: '2024-05-01',
      t: '2024-05-01T10:20:30.000Z',
      tz: '2024-05-01T08:20:30.000Z',
      big: '9007199254740993',
      p: "it's bound",
      f: 1.5,
      b: true,
      z: null,
    })
  })

  it('binds dates as UTC instants', async () => {
    const [row] = await pg.query('SELECT $1::timestamp AS t, $1::timestamp < $2::timestamp AS before', [
      new Date('2026-11-01T00:00:00Z'),
      new Date('2026-11-01T00:00:01Z'),
    ])
    expect(row).toEqual({ t: '2026-11-01T00:00:00.000Z', before: true })
  })

  it('streams in batches through a cursor and returns columns', async () => {
    const batches: number[] = []
    const total = await pg.stream('SELECT g FROM generate_series(1, $1::int) AS g', [2500], (rows) => {
      batches.push(rows.length)
    })
    expect(total).toBe(2500)
    expect(batches).toEqual([1000, 1000, 500])
    expect(await pg.queryColumns('SELECT g, g * 2 AS h FROM generate_series(1, 3) AS g')).toEqual({
      g: [1, 2, 3],
      h: [2, 4, 6],
    })
  })

  it('appends text columns through COPY, keeping NULLs and escapes', async () => {
    await pg.run(`CREATE TABLE ${t('words')} (a text, b bigint)`)
    const tricky = ['tab\there', 'new\nline', 'back\\slash', 'quote\'"', '', 'école']
    await pg.appendTextColumns(`${schema}.words`, [
      [...tricky, null],
      ['1', '2', '3', '4', '5', '6', null],
    ])
    const rows = await pg.query<{ a: string | null; b: number | null }>(
      `SELECT a, b FROM ${t('words')} ORDER BY b NULLS LAST`,
    )
    expect(rows.map((r) => r.a)).toEqual([...tricky, null])
    expect(rows.at(-1)?.b).toBeNull()
  })

  it('copies CSV from a stream', async () => {
    await pg.run(`CREATE TABLE ${t('csv')} (id text, n bigint)`)
    async function* csv() {
      yield 'id,n\n"a,1",1\n'
      yield 'b,\n'
    }
    const n = await pg.copyFrom(`COPY ${t('csv')} FROM STDIN (FORMAT csv, HEADER true)`, csv())
    expect(n).toBe(2)
    expect(await pg.query(`SELECT * FROM ${t('csv')} ORDER BY id`)).toEqual([
      { id: 'a,1', n: 1 },
      { id: 'b', n: null },
    ])
    const bad = await pg
      .copyFrom(
        `COPY ${t('csv')} FROM STDIN (FORMAT csv)`,
        (async function* () {
          yield 'x,notanumber\n'
        })(),
      )
      .catch((e) => e)
    expect(bad).toMatchObject({ code: 'STORE_ERROR' })
    expect(await pg.query(`SELECT count(*) AS n FROM ${t('csv')}`)).toEqual([{ n: 2 }])
  })

  it('wraps engine errors with a stable code and keeps the cause', async () => {
    const e = await pg.query('SELECT * FROM nowhere_at_all').catch((x) => x)
    expect(e).toMatchObject({ code: 'STORE_ERROR', details: { sqlState: '42P01' } })
    expect(e.cause).toBeInstanceOf(Error)
  })

  it('rolls a failed transaction back and keeps the pool usable', async () => {
    await pg.run(`CREATE TABLE ${t('tx')} (x integer)`)
    const e = await pg
      .transaction(async (s) => {
        await s.run(`INSERT INTO ${t('tx')} VALUES (1)`)
        await s.run(`INSERT INTO ${t('tx')} VALUES ('oops')`)
      })
      .catch((x) => x)
    expect(e).toMatchObject({ code: 'STORE_ERROR' })
    expect(await pg.query(`SELECT count(*) AS n FROM ${t('tx')}`)).toEqual([{ n: 0 }])
    await pg.transaction(async (s) => {
      await s.run(`INSERT INTO ${t('tx')} VALUES ($1)`, [7])
    })
    expect(await pg.query(`SELECT x FROM ${t('tx')}`)).toEqual([{ x: 7 }])
  })

  it('keeps temp tables on the session', async () => {
    const n = await pg.withSession(async (s) => {
      await s.run('CREATE TEMP TABLE scratch (v text)')
      await s.appendTextColumns('scratch', [['a', 'b']], { temp: true })
      const [row] = await s.query<{ n: number }>('SELECT count(*) AS n FROM scratch')
      return row?.n
    })
    expect(n).toBe(2)
  })

  it('reports progress at the start and the end of a statement', async () => {
    const seen: number[] = []
    await pg.runWithProgress('SELECT pg_sleep(0.01)', [], (p) => seen.push(p.percentage))
    expect(seen).toEqual([0, 100])
  })
})
