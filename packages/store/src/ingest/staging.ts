import { AppError, type TableDef } from '@ahub/core'
import { duckdbStorageType, duckdbType } from '../duckdb/types'
import { ident, literal, type QueryProgress, type Session } from '../engine'
import { readFirstLine, type SourceFile, splitHeader } from './source'

export const OP_COLUMN = '_change_request_type'

/** What the staging step produced: the temp table `_read` and how to find lines in the file. */
export interface Staged {
  /** Fields (and the op column) the file provides. */
  present: Set<string>
  /** True when `_read` carries `_line` (NDJSON, Parquet); CSV lines are derived from rowids and rejects. */
  hasLineColumn: boolean
  /** Per-field `_t_<field>` type-failure flags exist (NDJSON, Parquet). */
  typeFlags: boolean
  /** `_json_ok` exists (NDJSON). */
  jsonFlag: boolean
  /** Enum fields were read as engine ENUMs: the reader rejected values outside the list. */
  enumsTyped: boolean
  /** Lines the reader itself rejected (CSV), with DuckDB's reasons. */
  readerRejects: { line: number; column: string | null; errorType: string; message: string }[]
}

const MAX_LINE_BYTES = 16 * 1024 * 1024

/** Maps file columns to fields, refusing unknown columns and missing keys with every problem listed. */
export function mapColumns(table: TableDef, columns: string[], hasOpColumn: boolean): Set<string> {
  const known = new Set([...Object.keys(table.fields), OP_COLUMN])
  const unknown = columns.filter((c) => !known.has(c))
  const duplicated = columns.filter((c, i) => columns.indexOf(c) !== i)
  const mustHave = new Set([...table.primaryKey])
  if (!hasOpColumn) {
    for (const [name, f] of Object.entries(table.fields)) if (f.nullable === false) mustHave.add(name)
    if (table.versionField) mustHave.add(table.versionField)
  }
  const missing = [...mustHave].filter((c) => !columns.includes(c))
  if (unknown.length > 0 || missing.length > 0 || duplicated.length > 0) {
    const parts: string[] = []
    if (unknown.length > 0)
      parts.push(`unknown column(s) ${unknown.map((c) => `"${c.slice(0, 60)}"`).join(', ')}`)
    if (missing.length > 0) parts.push(`missing required column(s) ${missing.join(', ')}`)
    if (duplicated.length > 0) parts.push(`repeated column(s) ${duplicated.join(', ')}`)
    const hint = columns.length === 1 && /[;,\t|]/.test(columns[0] ?? '') ? ' (is the delimiter right?)' : ''
    throw new AppError(
      'INGEST_HEADER_MISMATCH',
      `The file does not match the schema: ${parts.join('; ')}${hint}`,
      {
        details: { unknown: unknown.map((c) => c.slice(0, 200)), missing, duplicated, expected: [...known] },
      },
    )
  }
  return new Set(columns)
}

/**
 * Columns computed from the read ones in the same pass: `extend` wraps the reader's SELECT (whose
 * columns are the fields in `present`) in a SELECT that adds them.
 */
export type ExtendRead = (select: string, present: Set<string>) => string

/** Loads the file into the temp table `_read` with the engine's own reader. */
export async function stage(
  s: Session,
  source: SourceFile,
  table: TableDef,
  onProgress: (p: QueryProgress) => void,
  extend: ExtendRead = (select) => select,
): Promise<Staged> {
  try {
    switch (source.format) {
      case 'csv':
        return await stageCsv(s, source, table, onProgress, extend)
      case 'ndjson':
        return await stageNdjson(s, source, table, onProgress, extend)
      case 'parquet':
        return await stageParquet(s, source, table, onProgress, extend)
    }
  } catch (cause) {
    throw unreadable(cause, source)
  }
}

/**
 * The engine's reader refusing the file (bad compression, encoding or syntax for the options) is
 * bad input, INGEST_MALFORMED_FILE, named as the caller named the file; anything else stays as it
 * was (a failure of the server).
 */
function unreadable(cause: unknown, source: SourceFile): unknown {
  if (!(cause instanceof AppError) || cause.code !== 'STORE_ERROR') return cause
  if (!/^(IO|Invalid Input|Conversion|Parser) Error/.test(cause.message)) return cause
  if (/No space left|Permission denied|Too many open files/i.test(cause.message)) return cause
  const reason = (cause.message.split('\n')[0] ?? cause.message).replaceAll(source.path, source.name)
  return new AppError(
    'INGEST_MALFORMED_FILE',
    `${source.name} cannot be read with these options: ${reason}`,
    {
      cause,
      details: { file: source.name },
    },
  )
}

async function stageCsv(
  s: Session,
  source: SourceFile,
  table: TableDef,
  onProgress: (p: QueryProgress) => void,
  extend: ExtendRead,
) {
  const { csv } = source
  let columns: string[]
  if (csv.header) {
    const line = await readFirstLine(source)
    if (line.trim() === '') throw new AppError('INGEST_EMPTY_FILE', `${source.name} has no header line`)
    columns = splitHeader(line, csv.delimiter, csv.quote)
  } else {
    columns = Object.keys(table.fields)
  }
  const present = mapColumns(table, columns, columns.includes(OP_COLUMN))
  // Enum fields are read straight into their ENUM type: cheaper to read and store than text, and
  // a value outside the list is rejected by the reader (reported as ENUM_VALUE below).
  const types = columns
    .map(
      (c) => `${literal(c)}: ${literal(c === OP_COLUMN ? 'VARCHAR' : duckdbStorageType(table.fields[c]!))}`,
    )
    .join(', ')
  const read = `SELECT * FROM read_csv(${literal(source.path)},
      columns = {${types}}, header = ${csv.header}, delim = ${literal(csv.delimiter)}, quote = ${literal(csv.quote)},
      escape = ${literal(csv.escape)}, encoding = ${literal(csv.encoding)}, compression = ${literal(source.gzip ? 'gzip' : 'none')},
      auto_detect = false, store_rejects = true, rejects_table = '_rejects', rejects_scan = '_reject_scans',
      max_line_size = ${MAX_LINE_BYTES}, nullstr = '', strict_mode = true)`
  await s.runWithProgress(`CREATE TEMP TABLE _read AS ${extend(read, present)}`, [], onProgress)
  const rejects = (await readerRejects(s)).map((r) => {
    const field = r.column === null ? undefined : table.fields[r.column]
    if (r.errorType !== 'CAST' || field?.type !== 'enum') return r
    const values = field.values ?? []
    return {
      ...r,
      errorType: 'ENUM_VALUE',
      message: `${r.column} must be one of ${values.slice(0, 20).join(', ')}${values.length > 20 ? ', ...' : ''}`,
    }
  })
  return {
    present,
    hasLineColumn: false,
    typeFlags: false,
    jsonFlag: false,
    enumsTyped: true,
    readerRejects: rejects,
  }
}

async function stageNdjson(
  s: Session,
  source: SourceFile,
  table: TableDef,
  onProgress: (p: QueryProgress) => void,
  extend: ExtendRead,
) {
  // Each line is read as text so that a malformed line is reported with its raw text, not skipped.
  await s.runWithProgress(
    `CREATE TEMP TABLE _lines AS SELECT line FROM read_csv(${literal(source.path)}, columns = {'line': 'VARCHAR'},
       header = false, delim = ${literal('\u001f')}, quote = '', escape = '', auto_detect = false,
       compression = ${literal(source.gzip ? 'gzip' : 'none')}, max_line_size = ${MAX_LINE_BYTES},
       store_rejects = true, rejects_table = '_rejects', rejects_scan = '_reject_scans')`,
    [],
    onProgress,
  )
  const keys = await s.query<{ k: string }>(
    `SELECT DISTINCT unnest(json_keys(line)) AS k FROM _lines WHERE coalesce(CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' END, false) LIMIT 1000`,
  )
  const fileKeys = keys.map((r) => r.k)
  const present = mapColumns(
    table,
    fileKeys.length > 0 ? fileKeys : [...table.primaryKey],
    fileKeys.includes(OP_COLUMN),
  )
  const cols: string[] = [
    `rowid + 1 AS _line`,
    `line AS _raw`,
    // Vectorised AND does not short-circuit, so json_type only sees valid JSON through CASE.
    `coalesce(CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' END, false) AS _json_ok`,
  ]
  for (const name of present) {
    const path = literal(`$.${name}`)
    const text = `CASE WHEN json_valid(line) THEN json_extract_string(line, ${path}) END`
    if (name === OP_COLUMN) {
      cols.push(`${text} AS ${ident(name)}`)
      continue
    }
    cols.push(...typedColumns(name, text, duckdbType(table.fields[name]!)))
  }
  await s.run(
    `CREATE TEMP TABLE _read AS ${extend(`SELECT ${cols.join(', ')} FROM _lines WHERE line IS NOT NULL AND trim(line) <> ''`, present)}`,
  )
  await s.run('DROP TABLE _lines')
  return {
    present,
    hasLineColumn: true,
    typeFlags: true,
    jsonFlag: true,
    enumsTyped: false,
    // NDJSON is read as one text column: a reader reject concerns the whole line.
    readerRejects: (await readerRejects(s)).map((r) => ({ ...r, column: null })),
  }
}

async function stageParquet(
  s: Session,
  source: SourceFile,
  table: TableDef,
  onProgress: (p: QueryProgress) => void,
  extend: ExtendRead,
) {
  let described: { column_name: string }[]
  try {
    described = await s.query<{ column_name: string }>(
      `DESCRIBE SELECT * FROM read_parquet(${literal(source.path)})`,
    )
  } catch (cause) {
    throw new AppError('INGEST_MALFORMED_FILE', `${source.name} is not a readable Parquet file`, { cause })
  }
  const present = mapColumns(
    table,
    described.map((d) => d.column_name),
    described.some((d) => d.column_name === OP_COLUMN),
  )
  const cols: string[] = ['file_row_number + 1 AS _line', 'NULL::VARCHAR AS _raw']
  for (const name of present) {
    if (name === OP_COLUMN) {
      cols.push(`CAST(${ident(name)} AS VARCHAR) AS ${ident(name)}`)
      continue
    }
    cols.push(...typedColumns(name, ident(name), duckdbType(table.fields[name]!)))
  }
  await s.runWithProgress(
    `CREATE TEMP TABLE _read AS ${extend(`SELECT ${cols.join(', ')} FROM read_parquet(${literal(source.path)}, file_row_number = true)`, present)}`,
    [],
    onProgress,
  )
  return {
    present,
    hasLineColumn: true,
    typeFlags: true,
    jsonFlag: false,
    enumsTyped: false,
    readerRejects: [],
  }
}

/**
 * A field read from untyped input: the value cast to its type, and for non-text types a flag
 * `_t_<field>` that is true when a value was there but did not cast (reported as WRONG_TYPE).
 */
function typedColumns(name: string, source: string, type: string): string[] {
  const cols = [`TRY_CAST(${source} AS ${type}) AS ${ident(name)}`]
  if (type !== 'VARCHAR')
    cols.push(`(${source} IS NOT NULL AND TRY_CAST(${source} AS ${type}) IS NULL) AS ${ident(`_t_${name}`)}`)
  return cols
}

/** The lines the engine's reader rejected in this session's scan, with its reasons. */
async function readerRejects(s: Session): Promise<Staged['readerRejects']> {
  const rows = await s.query<{
    line: number
    column_name: string | null
    error_type: string
    error_message: string
  }>('SELECT line, column_name, error_type, error_message FROM _rejects ORDER BY line, column_idx')
  return rows.map((r) => ({
    line: Number(r.line),
    column: r.column_name,
    errorType: r.error_type,
    message: r.error_message.split('\n')[0] ?? r.error_type,
  }))
}
