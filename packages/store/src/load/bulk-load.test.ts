import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseSchemaText } from '@ahub/core'
import { DEMO_SCHEMA_YAML, generateDemo, invalidProfileRows } from '@ahub/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ClickHouseEngine } from '../clickhouse/clickhouse-engine'
import { DuckDBEngine } from '../duckdb/duckdb-engine'
import type { Engine } from '../engine'
import { postgresUrlFromEnv } from '../postgres/connection'
import { PostgresEngine } from '../postgres/postgres-engine'
import { bulkLoadCsv, cleanCsvFiles, type LoadReport } from './bulk-load'
import { tableDdl } from './ddl'

const { tables } = parseSchemaText(DEMO_SCHEMA_YAML)
const dir = mkdtempSync(join(tmpdir(), 'ahub-load-'))
const namespace = `org_load_${randomBytes(4).toString('hex')}`
const pg = await PostgresEngine.open({ connectionString: postgresUrlFromEnv(), max: 2 }).catch((e: Error) => {
  if (process.env.CI === 'true') throw e
  return undefined
})

/** One fingerprint of the whole data set, computed the same way in every engine. */
const FINGERPRINT = `SELECT count(*) AS n, count(DISTINCT p.profile_id) AS buyers,
  sum(floor(pu.amount * 100 + 0.5)) AS cents, min(pu.purchased_at) AS first, max(p.birth_date) AS youngest,
  sum(CASE WHEN p.gender IS NULL THEN 1 ELSE 0 END) AS no_gender,
  sum(CASE WHEN p.marketing_consent THEN 1 ELSE 0 END) AS consent
  FROM NS.profiles p JOIN NS.purchases pu ON pu.profile_id = p.profile_id`

describe('bulk load of the demo data set', () => {
  let clean: Record<string, string>
  let cleanReport: LoadReport
  const engines: Engine[] = []

  beforeAll(async () => {
    const demo = await generateDemo({
      profiles: 1200,
      purchases: 5000,
      seed: 3,
      out: join(dir, 'raw'),
      asOf: new Date('2026-11-01T00:00:00Z'),
    })
    const files = Object.fromEntries(demo.files.map((f) => [f.name.replace('.csv', ''), f.path]))
    const profileLines = readFileSync(files.profiles as string, 'utf8').split('\n')
    const exclude = invalidProfileRows(1200).map((r) => profileLines[r.index + 1]?.split(',')[0] as string)
    const cleaned = await cleanCsvFiles({
      namespace,
      tables,
      files,
      outDir: join(dir, 'clean'),
      exclude: { profiles: exclude },
    })
    clean = cleaned.files
    cleanReport = cleaned.report
  })
  afterAll(async () => {
    if (pg) {
      await pg.run(`DROP SCHEMA IF EXISTS "${namespace}" CASCADE`)
      await pg.close()
    }
    for (const e of engines) await e.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('keeps valid rows only, and leaves out excluded keys', () => {
    expect(cleanReport.profiles).toEqual({ loaded: 1199, rejected: 1 })
    expect(cleanReport.purchases?.loaded).toBe(5000)
  })

  it('loads identical data into DuckDB, PostgreSQL and chDB', async () => {
    const duck = await DuckDBEngine.open({ path: ':memory:' })
    const ch = await ClickHouseEngine.open({ backend: 'chdb', path: join(dir, 'chdb') })
    engines.push(duck, ch)
    const targets: Engine[] = [duck, ch, ...(pg ? [pg] : [])]
    const fingerprints: unknown[] = []
    for (const engine of targets) {
      const report = await bulkLoadCsv(engine, { namespace, tables, files: clean })
      expect(report.profiles?.loaded, engine.kind).toBe(1199)
      expect(report.purchases?.loaded, engine.kind).toBe(5000)
      expect(report.visitor_links?.loaded, engine.kind).toBe(cleanReport.visitor_links?.loaded)
      const [row] = await engine.query(FINGERPRINT.replaceAll('NS', `"${namespace}"`))
      fingerprints.push(row)
      const [tricky] = await engine.query(
        `SELECT count(*) AS n FROM "${namespace}".profiles WHERE gender IS NULL AND city IS NOT NULL`,
      )
      expect(Number((tricky as { n: number }).n)).toBeGreaterThan(0)
    }
    for (const f of fingerprints.slice(1)) expect(f).toEqual(fingerprints[0])
  })
})

describe('table DDL', () => {
  it('wraps nullable fields for ClickHouse and orders its MergeTree by the primary key', () => {
    expect(tableDdl('clickhouse', 'org_x', 'visitor_links', tables.visitor_links!)).toBe(
      'CREATE TABLE IF NOT EXISTS "org_x"."visitor_links" ("visitor_id" String, "profile_id" String, "seen_at" DateTime64(3, \'UTC\')) ENGINE = MergeTree ORDER BY ("visitor_id", "profile_id")',
    )
    expect(tableDdl('postgres', 'org_x', 'purchases', tables.purchases!)).toContain(
      '"amount" double precision, "currency" text',
    )
  })

  it('refuses identifiers that are not plain names', () => {
    expect(() => tableDdl('duckdb', 'org"; drop', 't', tables.purchases!)).toThrow(
      expect.objectContaining({ code: 'INVALID_IDENTIFIER' }),
    )
  })
})
