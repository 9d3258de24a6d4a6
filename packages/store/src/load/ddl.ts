import type { EngineName } from '@ahub/core'
import { assertIdentifier, assertNever, type FieldDef, type TableDef } from '@ahub/core'
import { duckdbType } from '../duckdb/types'
import { type Engine, ident } from '../engine'

/** The PostgreSQL column type that stores a field. */
export function postgresType(field: FieldDef): string {
  switch (field.type) {
    case 'string':
    case 'enum':
      return 'text'
    case 'integer':
      return 'bigint'
    case 'number':
      return 'double precision'
    case 'boolean':
      return 'boolean'
    case 'date':
      return 'date'
    case 'timestamp':
      return 'timestamp'
    default:
      return assertNever(field.type)
  }
}

/** The ClickHouse column type that stores a field (without the Nullable wrapper). */
export function clickhouseType(field: FieldDef): string {
  switch (field.type) {
    case 'string':
    case 'enum':
      return 'String'
    case 'integer':
      return 'Int64'
    case 'number':
      return 'Float64'
    case 'boolean':
      return 'Bool'
    case 'date':
      return 'Date32'
    case 'timestamp':
      return "DateTime64(3, 'UTC')"
    default:
      return assertNever(field.type)
  }
}

/** A field may hold NULL unless it says `nullable: false` or is part of the primary key. */
export function isNullable(table: TableDef, name: string): boolean {
  return table.fields[name]?.nullable !== false && !table.primaryKey.includes(name)
}

/** The columns of a table in the given engine: name and full type, nullability included for ClickHouse. */
export function columnTypes(kind: EngineName, table: TableDef): { name: string; type: string }[] {
  return Object.entries(table.fields).map(([name, field]) => {
    assertIdentifier(name, 'field name')
    if (kind === 'clickhouse') {
      const t = clickhouseType(field)
      return { name, type: isNullable(table, name) ? `Nullable(${t})` : t }
    }
    return { name, type: kind === 'postgres' ? postgresType(field) : duckdbType(field) }
  })
}

/** The qualified name of a table in a namespace (schema in DuckDB/PostgreSQL, database in ClickHouse). */
export function tableName(namespace: string, table: string): string {
  return `${ident(assertIdentifier(namespace, 'namespace'))}.${ident(assertIdentifier(table, 'table name'))}`
}

/** DDL that creates the namespace (schema or database) if it is missing. */
export function namespaceDdl(kind: EngineName, namespace: string): string {
  const name = ident(assertIdentifier(namespace, 'namespace'))
  return kind === 'clickhouse'
    ? `CREATE DATABASE IF NOT EXISTS ${name}`
    : `CREATE SCHEMA IF NOT EXISTS ${name}`
}

/**
 * DDL that creates a table for a schema table. PostgreSQL gets a primary key; ClickHouse a MergeTree
 * ordered by the primary key (its columns are non-nullable by default, so nullable fields are wrapped).
 */
export function tableDdl(kind: EngineName, namespace: string, name: string, table: TableDef): string {
  const columns = columnTypes(kind, table).map((c) => {
    const notNull = kind !== 'clickhouse' && !isNullable(table, c.name) ? ' NOT NULL' : ''
    return `${ident(c.name)} ${c.type}${notNull}`
  })
  const key = table.primaryKey.map((k) => ident(assertIdentifier(k, 'primary key field'))).join(', ')
  const target = tableName(namespace, name)
  switch (kind) {
    case 'postgres':
      return `CREATE TABLE IF NOT EXISTS ${target} (${columns.join(', ')}, PRIMARY KEY (${key}))`
    case 'clickhouse':
      return `CREATE TABLE IF NOT EXISTS ${target} (${columns.join(', ')}) ENGINE = MergeTree ORDER BY (${key})`
    case 'duckdb':
      return `CREATE TABLE IF NOT EXISTS ${target} (${columns.join(', ')})`
    default:
      return assertNever(kind)
  }
}

/** Creates the namespace and every table of `tables` in it. */
export async function createTables(engine: Engine, namespace: string, tables: Record<string, TableDef>) {
  await engine.run(namespaceDdl(engine.kind, namespace))
  for (const [name, table] of Object.entries(tables)) {
    await engine.run(tableDdl(engine.kind, namespace, name, table))
  }
}
