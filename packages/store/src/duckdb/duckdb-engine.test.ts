import { describe, expect, it } from 'vitest'
import { DuckDBEngine } from './duckdb-engine'

describe('DuckDBEngine', () => {
  it('returns plain JS values: numbers, ISO timestamps, calendar dates', async () => {
    const engine = await DuckDBEngine.open({ path: ':memory:' })
    try {
      const sql = `SELECT 42::BIGINT AS n, DATE '2024-05-01' AS d, TIMESTAMP '2024-05-01 10:20:30' AS t,
        9007199254740993::BIGINT AS big, $1 AS p`
      const [row] = await engine.query(sql, ["it's bound"])
      expect(row).toEqual({
        n: 42,
        d: '2024-05-01',
        t: '2024-05-01T10:20:30.000Z',
        big: '9007199254740993',
        p: "it's bound",
      })
      const streamed: unknown[] = []
      await engine.stream(sql, ['x'], (rows) => {
        streamed.push(...rows)
      })
      expect(streamed).toEqual([{ ...row, p: 'x' }])
    } finally {
      await engine.close()
    }
  })

  it('binds whole numbers beyond BIGINT as DOUBLE (the driver threw on 1e20)', async () => {
    const engine = await DuckDBEngine.open({ path: ':memory:' })
    try {
      const [row] = await engine.query(
        'SELECT CAST($1 AS DOUBLE) < $2 AS lt, $3 AS big, $4 AS small',
        [1.5, 1e20, -1e300, 7],
      )
      expect(row).toEqual({ lt: true, big: -1e300, small: 7 })
      await engine.withSession((s) =>
        s.run('CREATE TEMP TABLE t AS SELECT CAST($1 AS DOUBLE) AS x', [2 ** 70]),
      )
    } finally {
      await engine.close()
    }
  })

  it('wraps engine errors with a stable code and keeps the cause', async () => {
    const engine = await DuckDBEngine.open({ path: ':memory:' })
    try {
      const e = await engine.query('SELECT * FROM nowhere').catch((x) => x)
      expect(e).toMatchObject({ code: 'STORE_ERROR' })
      expect(e.cause).toBeInstanceOf(Error)
    } finally {
      await engine.close()
    }
  })

  it('rolls a failed transaction back', async () => {
    const engine = await DuckDBEngine.open({ path: ':memory:' })
    try {
      await engine.run('CREATE TABLE t (x INTEGER)')
      await engine
        .transaction(async (s) => {
          await s.run('INSERT INTO t VALUES (1)')
          await s.run('INSERT INTO t VALUES (oops)')
        })
        .catch(() => undefined)
      expect(await engine.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }])
    } finally {
      await engine.close()
    }
  })
})
