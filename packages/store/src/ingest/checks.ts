import {
  DEFAULT_MAX_LENGTH,
  ECID_MAX_HALF,
  EMAIL_PATTERN,
  type FieldDef,
  type TableDef,
  TRIM_CHARACTERS,
} from '@ahub/core'
import { ident, literal, type SqlValue } from '../engine'

/** One row check: a SQL condition that is true when the row breaks the rule. */
export interface RowCheck {
  column: string
  code: string
  reason: string
  cond: string
}

/** Builds SQL with bound parameters, numbering placeholders as it goes. */
export class SqlBuilder {
  readonly params: SqlValue[] = []
  bind(value: SqlValue): string {
    this.params.push(value)
    return `$${this.params.length}`
  }
}

/** The raw value of a field trimmed as the TypeScript normalisers trim it, NULL when empty. */
export function trimmedSql(field: string, table?: string): string {
  const col = table ? `${table}.${ident(field)}` : ident(field)
  // Trimming with a character set is slow; most values start and end with a visible ASCII
  // character and need none. TRIM_CHARACTERS is a constant of our code, inlined, not input.
  return `CASE WHEN ord(${col}[1]) BETWEEN 33 AND 126 AND ord(${col}[-1]) BETWEEN 33 AND 126 THEN ${col}
               ELSE nullif(trim(${col}, ${literal(TRIM_CHARACTERS)}), '') END`
}

/**
 * The SQL expression that normalises an identity value (`value` is SQL for the trimmed raw value),
 * NULL when it is not valid. Phones are normalised in JavaScript (see phones.ts), not here.
 */
export function normalisedIdentitySql(value: string, def: FieldDef): string {
  const ns = def.identity!.namespace
  switch (ns) {
    case 'email':
      return `CASE WHEN length(${value}) <= 254 AND regexp_full_match(lower(${value}), ${literal(EMAIL_PATTERN)}) THEN lower(${value}) END`
    case 'ecid': {
      const max = literal(ECID_MAX_HALF)
      return `CASE WHEN regexp_full_match(${value}, '[0-9]{38}') AND substr(${value}, 1, 19) <= ${max} AND substr(${value}, 20, 19) <= ${max} THEN ${value} END`
    }
    case 'email_sha256':
    case 'phone_sha256':
      return `CASE WHEN regexp_full_match(${value}, '[0-9a-fA-F]{64}') THEN lower(${value})
                   WHEN regexp_full_match(${value}, '[A-Za-z0-9+/]{43}=') AND to_base64(from_base64(${value})) = ${value}
                   THEN lower(hex(from_base64(${value}))) END`
    case 'phone':
      throw new Error('phones are normalised in JavaScript')
    default:
      if (ns === 'crm') {
        return `CASE WHEN length(${value}) <= 256 AND NOT regexp_matches(${value}, '[\\x{00}-\\x{1f}\\x{7f}-\\x{9f}]') THEN ${value} END`
      }
      return `CASE WHEN length(${value}) <= 1024 THEN ${value} END`
  }
}

/** Every rule a row must satisfy, given which fields the file provides. */
export function rowChecks(
  table: TableDef,
  present: Set<string>,
  opExpr: string,
  b: SqlBuilder,
  options: { typeFlags?: boolean; jsonFlag?: boolean; enumsTyped?: boolean } = {},
): RowCheck[] {
  const checks: RowCheck[] = []
  if (options.jsonFlag) {
    checks.push({
      column: '',
      code: 'MALFORMED_JSON',
      reason: 'The line is not a JSON object',
      cond: 'NOT _json_ok',
    })
  }
  const pk = new Set(table.primaryKey)
  const isDelete = `(${opExpr} = 'D')`
  if (present.has('_change_request_type')) {
    checks.push({
      column: '_change_request_type',
      code: 'INVALID_CHANGE_TYPE',
      reason: '_change_request_type must be U (upsert) or D (delete)',
      cond: `${opExpr} NOT IN ('U', 'D')`,
    })
  }
  for (const [name, field] of Object.entries(table.fields)) {
    const col = ident(name)
    const required = pk.has(name) || field.nullable === false || table.versionField === name
    if (!present.has(name)) {
      if (required && !pk.has(name)) {
        checks.push({
          column: name,
          code: 'REQUIRED',
          reason: `${name} is required for upserts`,
          cond: `NOT ${isDelete}`,
        })
      }
      continue
    }
    if (options.typeFlags && field.type !== 'string' && field.type !== 'enum') {
      checks.push({
        column: name,
        code: 'WRONG_TYPE',
        reason: `${name} is not a valid ${field.type}`,
        cond: ident(`_t_${name}`),
      })
    }
    if (required) {
      const onlyUpserts = pk.has(name) ? '' : ` AND NOT ${isDelete}`
      checks.push({
        column: name,
        code: 'REQUIRED',
        reason: `${name} is required`,
        cond: `(${col} IS NULL${onlyUpserts})`,
      })
    }
    if (pk.has(name) && field.type === 'string') {
      // A key of spaces only would be a member nobody can name (trimmed, it is empty).
      checks.push({
        column: name,
        code: 'KEY_BLANK',
        reason: `${name} (primary key) holds only spaces`,
        cond: `(${col} IS NOT NULL AND ${trimmedSql(name)} IS NULL)`,
      })
    }
    if (field.type === 'enum' && !options.enumsTyped) {
      const values = (field.values ?? []).map((v) => b.bind(v)).join(', ')
      checks.push({
        column: name,
        code: 'ENUM_VALUE',
        reason: `${name} must be one of ${(field.values ?? []).slice(0, 20).join(', ')}`,
        cond: `(${col} IS NOT NULL AND ${col} NOT IN (${values}))`,
      })
    }
    if (field.type === 'string') {
      const max = field.maxLength ?? DEFAULT_MAX_LENGTH
      checks.push({
        column: name,
        code: 'TOO_LONG',
        reason: `${name} is longer than ${max} characters`,
        cond: `(length(${col}) > ${b.bind(max)})`,
      })
    }
    if (field.identity) {
      checks.push({
        column: name,
        code: 'IDENTITY_INVALID',
        reason: `${name} is not a valid ${field.identity.namespace}`,
        // A value that trims to nothing is absent, not invalid; trimming is tested only where the
        // normalised value is missing.
        cond: `CASE WHEN ${ident(`_n_${name}`)} IS NOT NULL THEN false ELSE ${trimmedSql(name)} IS NOT NULL END`,
      })
    }
  }
  return checks
}
