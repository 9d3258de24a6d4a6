import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBEngine } from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWorkTable } from './common'

describe('createWorkTable', () => {
  let dir: string
  let engine: DuckDBEngine
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahub-work-'))
    engine = await DuckDBEngine.open({ path: join(dir, 'work.duckdb') })
    await engine.run(`CREATE TABLE people AS SELECT 'p' || (i % 3) AS id, i % 3 AS n, (i % 3)::VARCHAR AS tier,
      CAST((i % 3)::VARCHAR AS ENUM('0', '1', '2')) AS level FROM range(20000) t(i)`)
  })
  afterAll(async () => {
    await engine?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const compression = (table: string) =>
    engine.query<{ c: string; k: string }>(
      `SELECT column_name AS c, string_agg(DISTINCT compression) AS k FROM pragma_storage_info('${table}')
       WHERE segment_type = 'VARCHAR' GROUP BY ALL ORDER BY 1`,
    )

  it('names FSST for text key columns, keeps the rows and their order, and binds parameters', async () => {
    await engine.withSession(async (session) => {
      const ctx = { session, keys: ['id'] }
      await createWorkTable(ctx, 'w1', 'SELECT id, n, tier FROM people WHERE n >= $1 ORDER BY n DESC', [1])
      await createWorkTable(ctx, 'w2', 'SELECT id, level FROM people')
      await session.run('CHECKPOINT')
      // The same low-cardinality values: the engine alone stores them with a dictionary.
      expect(await compression('w1')).toEqual([
        { c: 'id', k: 'FSST' },
        { c: 'tier', k: 'Dictionary' },
      ])
      // An ENUM column is not written back into a definition: the engine types the table itself.
      expect(await compression('w2')).toEqual([{ c: 'id', k: 'Dictionary' }])
      const head = await session.query('SELECT * FROM w1 LIMIT 2')
      expect(head).toEqual([
        { id: 'p2', n: 2, tier: '2' },
        { id: 'p2', n: 2, tier: '2' },
      ])
      const counts = await session.query<{ a: number; b: number }>(
        'SELECT (SELECT count(*) FROM w1) AS a, (SELECT count(*) FROM w2) AS b',
      )
      expect(counts).toEqual([{ a: 13333, b: 20000 }])
      const types = await session.query<{ t: string }>(
        `SELECT data_type AS t FROM duckdb_columns() WHERE table_name = 'w2' AND column_name = 'level'`,
      )
      expect(types).toEqual([{ t: "ENUM('0', '1', '2')" }])
    })
  })
})
