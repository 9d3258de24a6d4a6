import { createReadStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError, assertNever, type TableDef } from '@ahub/core'
import { ClickHouseEngine } from '../clickhouse/clickhouse-engine'
import { DuckDBEngine } from '../duckdb/duckdb-engine'
import { duckdbType } from '../duckdb/types'
import { type Engine, ident, literal, type SqlValue } from '../engine'
import { PostgresEngine } from '../postgres/postgres-engine'
import { columnTypes, createTables, isNullable, tableName } from './ddl'

export interface CsvTables {
  /** Schema (DuckDB, PostgreSQL) or database (ClickHouse) that holds the tables, e.g. `org_demo`. */
  namespace: string
  tables: Record<string, TableDef>
  /** CSV file with a header line, per table name. Tables without a file are created empty. */
  files: Record<string, string>
}

/** Rows per table after a load or a clean. */
export type LoadReport = Record<string, { loaded: number; rejected: number }>

const CSV_READ = "header = true, delim = ',', quote = '\"', escape = '\"', allow_quoted_nulls = false"

/**
 * Keeps the rows of raw CSV files that fit the schema (types parse, enum values are known, required
 * fields are present, the primary key is not in `exclude`) and writes them to `outDir/<table>.csv`,
 * ordered by primary key, NULL as an empty field and empty strings quoted: the form `bulkLoadCsv`
 * reads identically on every engine. Uses an in-memory DuckDB.
 */
export async function cleanCsvFiles(
  options: CsvTables & { outDir: string; exclude?: Record<string, string[]> },
): Promise<{ files: Record<string, string>; report: LoadReport }> {
  const { namespace, tables, outDir } = options
  await mkdir(outDir, { recursive: true })
  const duck = await DuckDBEngine.open({ path: ':memory:' })
  const files: Record<string, string> = {}
  const report: LoadReport = {}
  try {
    await createTables(duck, namespace, tables)
    for (const [name, table] of Object.entries(tables)) {
      const path = options.files[name]
      if (!path) continue
      const { where, params } = validRows(table, options.exclude?.[name] ?? [])
      const casts = Object.entries(table.fields).map(
        ([f, def]) => `TRY_CAST(${ident(f)} AS ${duckdbType(def)}) AS ${ident(f)}`,
      )
      const source = `read_csv(${literal(path)}, all_varchar = true, ${CSV_READ})`
      await duck.run(
        `INSERT INTO ${tableName(namespace, name)} SELECT ${casts.join(', ')} FROM ${source} WHERE ${where}`,
        params,
      )
      const [total] = await duck.query<{ n: number }>(`SELECT count(*) AS n FROM ${source}`)
      const loaded = await count(duck, namespace, name)
      report[name] = { loaded, rejected: (total?.n ?? 0) - loaded }
      const out = join(outDir, `${name}.csv`)
      const order = table.primaryKey.map(ident).join(', ')
      await duck.run(
        `COPY (SELECT * FROM ${tableName(namespace, name)} ORDER BY ${order}) TO ${literal(out)} (HEADER, DELIMITER ',')`,
      )
      files[name] = out
    }
  } finally {
    await duck.close()
  }
  return { files, report }
}

/** The filter that keeps rows whose text values fit the table's types, plus its bound values. */
function validRows(table: TableDef, exclude: string[]): { where: string; params: SqlValue[] } {
  const params: SqlValue[] = []
  const bind = (v: SqlValue) => {
    params.push(v)
    return `$${params.length}`
  }
  const conditions = Object.entries(table.fields).map(([name, field]) => {
    const c = ident(name)
    const present = isNullable(table, name) ? `${c} IS NULL OR ` : ''
    const required = isNullable(table, name) ? '' : `${c} IS NOT NULL AND `
    if (field.type === 'enum')
      return `(${required}(${present}${c} IN (${(field.values ?? []).map(bind).join(', ') || 'NULL'})))`
    if (field.type === 'string') return `(${required}TRUE)`
    return `(${required}(${present}TRY_CAST(${c} AS ${duckdbType(field)}) IS NOT NULL))`
  })
  if (exclude.length > 0) {
    if (table.primaryKey.length !== 1) {
      throw new AppError('VALIDATION_FAILED', 'Rows can be excluded only from a table with a one-field key', {
        details: { primaryKey: table.primaryKey },
      })
    }
    conditions.push(`${ident(table.primaryKey[0] as string)} NOT IN (${exclude.map(bind).join(', ')})`)
  }
  return { where: conditions.join(' AND '), params }
}

/**
 * Creates the namespace and tables, then loads clean CSV files (as written by `cleanCsvFiles`) through the
 * engine's bulk path: DuckDB `read_csv`, PostgreSQL `COPY ... FROM STDIN`, ClickHouse `file()` (chDB) or a
 * streamed `CSVWithNames` insert (server). Returns the rows each table holds afterwards.
 */
export async function bulkLoadCsv(engine: Engine, options: CsvTables): Promise<LoadReport> {
  const { namespace, tables } = options
  await createTables(engine, namespace, tables)
  const report: LoadReport = {}
  for (const [name, table] of Object.entries(tables)) {
    const path = options.files[name]
    if (path) await loadOne(engine, namespace, name, table, path)
    report[name] = { loaded: await count(engine, namespace, name), rejected: 0 }
  }
  return report
}

async function loadOne(engine: Engine, namespace: string, name: string, table: TableDef, path: string) {
  const target = tableName(namespace, name)
  const columns = columnTypes(engine.kind, table)
  const list = columns.map((c) => ident(c.name)).join(', ')
  switch (engine.kind) {
    case 'duckdb': {
      const struct = columns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ')
      await engine.run(
        `INSERT INTO ${target} (${list}) SELECT ${list} FROM read_csv(${literal(path)}, columns = {${struct}}, auto_detect = false, ${CSV_READ})`,
      )
      return
    }
    case 'postgres':
      if (!(engine instanceof PostgresEngine)) break
      await engine.copyFrom(
        `COPY ${target} (${list}) FROM STDIN (FORMAT csv, HEADER true)`,
        createReadStream(path),
      )
      return
    case 'clickhouse':
      if (!(engine instanceof ClickHouseEngine)) break
      await engine.insertCsvFile(`${namespace}.${name}`, path, columns)
      return
    default:
      return assertNever(engine.kind)
  }
  throw new AppError('STORE_UNSUPPORTED', `This ${engine.kind} engine has no bulk load path`, {
    details: { engine: engine.kind },
  })
}

async function count(engine: Engine, namespace: string, name: string): Promise<number> {
  const [row] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${tableName(namespace, name)}`)
  return Number(row?.n ?? 0)
}
