import {
  AppError,
  EMAIL_PATTERN,
  type FieldDef,
  type FieldType,
  isIdentifier,
  type SchemaFile,
} from '@ahub/core'
import { ident, literal, type Session } from '../engine'
import { type CsvOptions, type FileFormat, resolveSource, type SourceFile } from './source'

export interface InferResult {
  schema: SchemaFile
  /** Things the user should look at before applying: renamed columns, guesses made. */
  notes: string[]
  sampledRows: number
}

const SAMPLE_ROWS = 20_000
const ENUM_MAX_VALUES = 20

const NAME_HINTS: [RegExp, string][] = [
  [/^(e_?mail|email_address|mail)$/, 'email'],
  [/^(phone|mobile|phone_number|msisdn|tel|telephone)$/, 'phone'],
  [/^(ecid|mcid|visitor_id|experience_cloud_id)$/, 'ecid'],
  [/^(crm_id|crmid|customer_id|declared_id)$/, 'crm'],
  [/^(email_sha256|hashed_email)$/, 'email_sha256'],
  [/^(phone_sha256|hashed_phone)$/, 'phone_sha256'],
]

/**
 * Guesses a one-table schema from a sample of a file with the engine's own sniffer: types, a
 * primary key (a unique `id` / `*_id` column), enums (few distinct values), identity fields (by
 * name, or e-mails by content). The user reviews and applies it.
 */
export async function inferSchema(
  s: Session,
  path: string,
  options: { table: string; format?: FileFormat; csv?: CsvOptions; name?: string },
): Promise<InferResult> {
  if (!isIdentifier(options.table)) {
    throw new AppError('INVALID_IDENTIFIER', `Table name "${options.table}" is not an identifier`)
  }
  const source = resolveSource(path, { format: options.format, csv: options.csv, name: options.name })
  const from = readerSql(source)
  try {
    await s.run(`CREATE OR REPLACE TEMP TABLE _sample AS SELECT * FROM ${from} LIMIT ${SAMPLE_ROWS}`)
  } catch (cause) {
    throw new AppError(
      'SCHEMA_INFER_FAILED',
      `Cannot read a sample of ${source.name}: ${(cause as Error).message}`,
      {
        cause,
      },
    )
  }
  const columns = await s.query<{ column_name: string; column_type: string }>('DESCRIBE _sample')
  const total = Number((await s.query<{ n: number }>('SELECT count(*) AS n FROM _sample'))[0]?.n ?? 0)
  const notes: string[] = []
  const fields: Record<string, FieldDef> = {}
  let primaryKey: string | undefined
  let primaryIdentity = false
  for (const { column_name: column, column_type: engineType } of columns) {
    const name = column
    if (!isIdentifier(name)) {
      notes.push(
        `Column "${column}" is not an identifier; rename it in the file (e.g. to lower_snake_case) before ingesting`,
      )
      continue
    }
    const stats = (
      await s.query<{ distinct: number; nonnull: number; emails: number }>(
        `SELECT count(DISTINCT ${ident(column)}) AS distinct, count(${ident(column)}) AS nonnull,
                count(*) FILTER (WHERE regexp_full_match(lower(trim(CAST(${ident(column)} AS VARCHAR))), $1)) AS emails
         FROM _sample`,
        [EMAIL_PATTERN],
      )
    )[0]!
    let type = fieldType(engineType)
    const field: FieldDef = { type }
    if (stats.nonnull === total && total > 0) field.nullable = false
    const hint =
      NAME_HINTS.find(([re]) => re.test(name))?.[1] ??
      (stats.nonnull > 0 && stats.emails / stats.nonnull > 0.9 ? 'email' : undefined)
    if (hint && type !== 'string') {
      type = 'string'
      field.type = 'string'
    }
    if (hint) {
      field.identity = { namespace: hint, ...(primaryIdentity ? {} : { primary: true }) }
      primaryIdentity = true
      notes.push(`${name}: identity ${hint} (guessed)`)
    } else if (type === 'string' && total >= 100 && stats.distinct > 0 && stats.distinct <= ENUM_MAX_VALUES) {
      const values = await s.query<{ v: string }>(
        `SELECT DISTINCT CAST(${ident(column)} AS VARCHAR) AS v FROM _sample WHERE ${ident(column)} IS NOT NULL ORDER BY 1`,
      )
      field.type = 'enum'
      field.values = values.map((v) => v.v)
      notes.push(`${name}: enum of ${values.length} values (guessed from the sample)`)
    }
    if (!primaryKey && (name === 'id' || name.endsWith('_id')) && stats.distinct === total && total > 0) {
      primaryKey = name
      field.nullable = false
    }
    fields[name] = field
  }
  if (Object.keys(fields).length === 0) {
    throw new AppError('SCHEMA_INFER_FAILED', `No usable columns in ${source.name}`, { details: { notes } })
  }
  if (!primaryKey) {
    primaryKey = Object.keys(fields)[0]!
    notes.push(`No unique id column found; ${primaryKey} is the primary key: check it`)
  }
  fields[primaryKey]!.nullable = false
  await s.run('DROP TABLE _sample')
  return {
    schema: { tables: { [options.table]: { primaryKey: [primaryKey], fields } } },
    notes,
    sampledRows: total,
  }
}

function readerSql(source: SourceFile): string {
  const path = literal(source.path)
  switch (source.format) {
    case 'csv':
      return `read_csv(${path}, header = ${source.csv.header}, delim = ${literal(source.csv.delimiter)},
        quote = ${literal(source.csv.quote)}, encoding = ${literal(source.csv.encoding)}, sample_size = ${SAMPLE_ROWS})`
    case 'ndjson':
      return `read_json(${path}, format = 'newline_delimited', sample_size = ${SAMPLE_ROWS})`
    case 'parquet':
      return `read_parquet(${path})`
  }
}

function fieldType(engineType: string): FieldType {
  const t = engineType.toUpperCase()
  if (/^(BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT)$/.test(t))
    return 'integer'
  if (/^(DOUBLE|FLOAT|REAL)$/.test(t) || t.startsWith('DECIMAL')) return 'number'
  if (t === 'BOOLEAN') return 'boolean'
  if (t === 'DATE') return 'date'
  if (t.startsWith('TIMESTAMP')) return 'timestamp'
  return 'string'
}
