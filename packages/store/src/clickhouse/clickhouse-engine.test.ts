import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ClickHouseEngine, type ClickHouseEngine as Engine } from './clickhouse-engine'

const dir = mkdtempSync(join(tmpdir(), 'ahub-chdb-'))

describe('ClickHouseEngine on chDB', () => {
  let ch: Engine

  beforeAll(async () => {
    ch = await ClickHouseEngine.open({ backend: 'chdb', path: join(dir, 'db') })
    await ch.run('CREATE DATABASE IF NOT EXISTS org_t')
  })
  afterAll(async () => {
    await ch.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('returns plain JS values and binds {pN:Type} placeholders from positional params', async () => {
    const [row] = await ch.query(
      `SELECT toInt64(42) AS n, toDate32('2024-05-01') AS d,
        toDateTime64('2024-05-01 10:20:30.5', 3, 'UTC') AS t, toInt64(9007199254740993) AS big,
        {p1:String} AS p, {p2:Nullable(Int64)} AS z, {p3:DateTime64(3)} < {p4:DateTime64(3)} AS before,
        {p5:Bool} AS b`,
      ["it's bound", null, new Date('2026-11-01T00:00:00Z'), new Date('2026-11-01T00:00:00.001Z'), true],
    )
    expect(row).toEqual({
      n: 42,
      d: '2024-05-01',
      t: '2024-05-01T10:20:30.500Z',
      big: '9007199254740993',
      p: "it's bound",
      z: null,
      before: 1,
      b: true,
    })
  })

  it('keeps state in its path: tables, nullable columns, text appends with escapes', async () => {
    await ch.run('CREATE TABLE org_t.words (id Int64, a Nullable(String)) ENGINE = MergeTree ORDER BY id')
    const tricky = ['tab\there', 'new\nline', 'back\\slash', 'quote\'"', '', 'école']
    await ch.appendTextColumns('org_t.words', [
      ['1', '2', '3', '4', '5', '6', '7'],
      [...tricky, null],
    ])
    const rows = await ch.query<{ a: string | null }>('SELECT a FROM org_t.words ORDER BY id')
    expect(rows.map((r) => r.a)).toEqual([...tricky, null])
    const like = await ch.query('SELECT id FROM org_t.words WHERE a LIKE {p1:String}', ['%\\\\%'])
    expect(like).toEqual([{ id: 3 }])
  })

  it('inserts CSV with a header and streams rows in batches', async () => {
    await ch.run('CREATE TABLE org_t.csv (id String, n Nullable(Int64)) ENGINE = MergeTree ORDER BY id')
    await ch.insertText('org_t.csv', 'id,n\n"a,1",1\nb,\\N\n', 'CSVWithNames')
    expect(await ch.query('SELECT * FROM org_t.csv ORDER BY id')).toEqual([
      { id: 'a,1', n: 1 },
      { id: 'b', n: null },
    ])
    let total = 0
    const n = await ch.stream('SELECT number AS x FROM numbers({p1:UInt64})', [100_000], (rows) => {
      total += rows.length
      expect(typeof rows[0]?.x).toBe('number')
    })
    expect(n).toBe(100_000)
    expect(total).toBe(100_000)
    expect(await ch.queryColumns('SELECT number AS g FROM numbers(3)')).toEqual({ g: [0, 1, 2] })
  })

  it('wraps engine errors with a stable code and keeps the cause', async () => {
    const e = await ch.query('SELECT * FROM nowhere_at_all').catch((x) => x)
    expect(e).toMatchObject({ code: 'STORE_ERROR', details: { clickhouseCode: 60 } })
    expect(e.cause).toBeInstanceOf(Error)
    const missing = await ch.query('SELECT {p1:String} AS x').catch((x) => x)
    expect(missing).toMatchObject({ code: 'STORE_ERROR' })
  })

  it('reports an error raised after the first rows were written', async () => {
    const sql = "SELECT number, throwIf(number = 100000, 'boom') AS x FROM numbers(200000)"
    const e = await ch.query(sql).catch((x) => x)
    expect(e).toMatchObject({ code: 'STORE_ERROR', details: { clickhouseCode: 395 } })
    const s = await ch.stream(sql, [], () => undefined).catch((x) => x)
    expect(s).toMatchObject({ code: 'STORE_ERROR' })
  })

  it('refuses transactions with STORE_UNSUPPORTED', async () => {
    const e = await ch.transaction(async () => 1).catch((x) => x)
    expect(e).toMatchObject({ code: 'STORE_UNSUPPORTED' })
  })
})

const serverUrl = process.env.CLICKHOUSE_URL

// No ClickHouse server runs on the development machine: this part needs CLICKHOUSE_URL (e.g. http://127.0.0.1:8123).
describe.skipIf(!serverUrl)('ClickHouseEngine on a server (skipped: CLICKHOUSE_URL is not set)', () => {
  it('binds named typed parameters, inserts and streams through @clickhouse/client', async () => {
    const ch = await ClickHouseEngine.open({ backend: 'http', url: serverUrl as string })
    const db = `ahub_t_${Date.now()}`
    try {
      await ch.run(`CREATE DATABASE ${db}`)
      await ch.run(`CREATE TABLE ${db}.t (id String, n Nullable(Int64)) ENGINE = MergeTree ORDER BY id`)
      await ch.appendTextColumns(`${db}.t`, [
        ['a', 'b'],
        ['1', null],
      ])
      expect(await ch.query(`SELECT id, n FROM ${db}.t WHERE id = {p1:String}`, ['b'])).toEqual([
        { id: 'b', n: null },
      ])
      const n = await ch.stream(`SELECT id FROM ${db}.t`, [], () => undefined)
      expect(n).toBe(2)
    } finally {
      await ch.run(`DROP DATABASE IF EXISTS ${db}`).catch(() => undefined)
      await ch.close()
    }
  })
})
