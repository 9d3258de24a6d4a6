import { randomBytes } from 'node:crypto'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type EngineName, parseSchemaText, type TableDef } from '@ahub/core'
import {
  bulkLoadCsv,
  ClickHouseEngine,
  cleanCsvFiles,
  DuckDBEngine,
  type Engine,
  PostgresEngine,
  postgresUrlFromEnv,
  type SqlValue,
} from '@ahub/store'
import { DEMO_SCHEMA_YAML } from '../generator/demo-schema'
import { generateDemo } from '../generator/generate-demo'
import { invalidProfileRows } from '../generator/invalid-rows'
import { CONFORMANCE_AS_OF, CONFORMANCE_DATA, trickyProfilesCsv, vipMembers } from './fixtures'

/** The audiences conformance rules may use, with the table holding their members. */
export const CONFORMANCE_AUDIENCES: Record<string, { table: string; keyColumns: string[] }> = {
  vip: { table: 'aud_vip', keyColumns: ['profile_id'] },
}

/** The saved filters conformance rules may use. */
export const CONFORMANCE_FILTERS = {
  in_country: {
    params: [{ name: 'country', type: 'string' as const, default: 'FR' }],
    rule: { kind: 'condition', field: 'country', op: '=', value: { param: 'country' } },
  },
  big_spender: {
    params: [{ name: 'min', type: 'number' as const }],
    rule: {
      kind: 'link',
      link: 'purchases',
      aggregate: { fn: 'sum', field: 'amount', op: '>', value: { param: 'min' } },
    },
  },
}

export interface ConformanceSetup {
  namespace: string
  tables: Record<string, TableDef>
  asOf: Date
  /** The engines that run, loaded with identical data. */
  engines: Partial<Record<EngineName, Engine>>
  /** Engines that do not run here, with the reason. */
  missing: Partial<Record<EngineName, string>>
  /** Profiles per engine after loading (the same everywhere). */
  profiles: number
  close(): Promise<void>
}

const AUDIENCE_TABLE: TableDef = {
  primaryKey: ['profile_id'],
  fields: { profile_id: { type: 'string', nullable: false } },
}

/**
 * Generates the conformance data set once (plus the tricky profiles), keeps its valid rows, and loads the
 * same clean files into DuckDB (in memory), chDB (temp folder) and PostgreSQL (a temp schema, dropped on
 * close). Without a PostgreSQL server the setup carries on without it, unless `CI=true`.
 */
export async function openConformanceEngines(): Promise<ConformanceSetup> {
  const dir = mkdtempSync(join(tmpdir(), 'ahub-conformance-'))
  const namespace = `org_conf_${randomBytes(4).toString('hex')}`
  const tables = parseSchemaText(DEMO_SCHEMA_YAML).tables
  const demo = await generateDemo({ ...CONFORMANCE_DATA, out: join(dir, 'raw'), asOf: CONFORMANCE_AS_OF })
  const raw = Object.fromEntries(demo.files.map((f) => [f.name.replace(/\.csv$/, ''), f.path]))
  const profilesPath = raw.profiles as string
  const lines = readFileSync(profilesPath, 'utf8').split('\n')
  const invalid = invalidProfileRows(CONFORMANCE_DATA.profiles).map(
    (r) => lines[r.index + 1]?.split(',')[0] ?? '',
  )
  appendFileSync(profilesPath, trickyProfilesCsv())
  const ids = lines
    .slice(1)
    .map((l) => l.split(',')[0] ?? '')
    .filter((id) => id !== '' && !invalid.includes(id))
  const audiencePath = join(dir, 'aud_vip.csv')
  writeFileSync(audiencePath, `profile_id\n${vipMembers(ids).join('\n')}\n`)

  const { files } = await cleanCsvFiles({
    namespace,
    tables,
    files: raw,
    outDir: join(dir, 'clean'),
    exclude: { profiles: invalid },
  })
  const allTables = { ...tables, aud_vip: AUDIENCE_TABLE }
  const allFiles = { ...files, aud_vip: audiencePath }

  const engines: Partial<Record<EngineName, Engine>> = {}
  const missing: Partial<Record<EngineName, string>> = {}
  engines.duckdb = await DuckDBEngine.open({ path: ':memory:' })
  engines.clickhouse = await ClickHouseEngine.open({ backend: 'chdb', path: join(dir, 'chdb') })
  const url = postgresUrlFromEnv()
  try {
    engines.postgres = await PostgresEngine.open({ connectionString: url, max: 4 })
  } catch (e) {
    if (process.env.CI === 'true') throw e
    missing.postgres = `no PostgreSQL server answers at ${url}`
  }
  let profiles = -1
  for (const engine of Object.values(engines)) {
    const report = await bulkLoadCsv(engine, { namespace, tables: allTables, files: allFiles })
    profiles = report.profiles?.loaded ?? 0
  }
  return {
    namespace,
    tables,
    asOf: CONFORMANCE_AS_OF,
    engines,
    missing,
    profiles,
    async close() {
      const pg = engines.postgres
      if (pg) await pg.run(`DROP SCHEMA IF EXISTS "${namespace}" CASCADE`).catch(() => undefined)
      for (const engine of Object.values(engines)) await engine.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Runs a member query and returns its rows as sorted keys (the selected columns joined by `|`). */
export async function memberKeys(engine: Engine, sql: string, params: SqlValue[]): Promise<string[]> {
  const rows = await engine.query(sql, params)
  return rows.map((r) => Object.values(r).map(String).join('|')).sort()
}
