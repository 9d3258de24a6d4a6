import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateDemo } from '@ahub/testing'
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import type { CompiledQuery, SqlParam } from '../context'
import { DEMO_TABLES } from './demo'

const TYPES: Record<string, string> = {
  string: 'VARCHAR',
  enum: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
}

/** An in-memory DuckDB holding the demo data set in schema `org_demo`. */
export interface DemoDb {
  conn: DuckDBConnection
  rows<T = Record<string, unknown>>(q: CompiledQuery | string, params?: SqlParam[]): Promise<T[]>
  close(): Promise<void>
}

/** Generates the demo data (deterministic for a seed) and loads it into a fresh in-memory DuckDB (bad cells become NULL). */
export async function openDemoDb(profiles: number, purchases: number, asOf: Date): Promise<DemoDb> {
  const dir = await mkdtemp(join(tmpdir(), 'ahub-query-'))
  await generateDemo({ profiles, purchases, seed: 7, out: dir, asOf })
  const instance = await DuckDBInstance.create(':memory:')
  const conn = await instance.connect()
  await conn.run('CREATE SCHEMA org_demo')
  for (const [name, def] of Object.entries(DEMO_TABLES)) {
    const cols = Object.entries(def.fields).map(
      ([c, f]) => `TRY_CAST(NULLIF("${c}", '') AS ${TYPES[f.type]}) AS "${c}"`,
    )
    await conn.run(
      `CREATE TABLE org_demo."${name}" AS SELECT ${cols.join(', ')} FROM read_csv('${join(dir, `${name}.csv`)}', header = true, all_varchar = true)`,
    )
  }
  await rm(dir, { recursive: true, force: true })
  return {
    conn,
    async rows<T>(q: CompiledQuery | string, params: SqlParam[] = []) {
      const sql = typeof q === 'string' ? q : q.sql
      const values = (typeof q === 'string' ? params : q.params).map((p) => p.value)
      const reader = await conn.runAndReadAll(sql, values)
      return reader.getRowObjectsJS() as T[]
    },
    async close() {
      conn.closeSync()
      instance.closeSync()
    },
  }
}
