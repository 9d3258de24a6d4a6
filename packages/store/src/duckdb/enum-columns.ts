import { ident, type Session } from '../engine'
import { enumTypeSql } from './types'

/** The engine's type of a column, e.g. `VARCHAR` or `ENUM('a', 'b')`; '' when there is no such column. */
export async function columnType(s: Session, schema: string, table: string, column: string): Promise<string> {
  const rows = await s.query<{ t: string }>(
    'SELECT data_type AS t FROM duckdb_columns() WHERE schema_name = $1 AND table_name = $2 AND column_name = $3',
    [schema, table, column],
  )
  return rows[0]?.t ?? ''
}

/** The values of an engine ENUM type as the catalog prints it: `ENUM('a', 'it''s')`. */
export function enumValues(type: string): string[] {
  return [...type.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replaceAll("''", "'"))
}

/**
 * Retypes a column (ENUM or text) to an ENUM of `values` plus every value its rows hold, so that
 * nothing stored becomes unreadable. `schema` and `table` are unquoted, checked names.
 */
export async function retypeToEnum(
  s: Session,
  schema: string,
  table: string,
  column: string,
  values: string[],
): Promise<void> {
  const qualified = `${ident(schema)}.${ident(table)}`
  const col = ident(column)
  const stored = await s.query<{ v: string }>(
    `SELECT DISTINCT CAST(${col} AS VARCHAR) AS v FROM ${qualified} WHERE ${col} IS NOT NULL`,
  )
  await s.run(
    `ALTER TABLE ${qualified} ALTER COLUMN ${col} TYPE ${enumTypeSql([...values, ...stored.map((r) => r.v)])} USING CAST(${col} AS VARCHAR)`,
  )
}
