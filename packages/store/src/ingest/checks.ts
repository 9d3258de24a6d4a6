import {
  DEFAULT_MAX_LENGTH,
  ECID_MAX_HALF,
  EMAIL_PATTERN,
  type FieldDef,
  type TableDef,
  TRIM_CHARACTERS,
} from '@ahub/core'
import { ident, type SqlValue } from '../engine'

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

/** The SQL expression that normalises an identity field's raw value (NULL when it cannot). */
export function normalisedIdentitySql(
  field: string,
  def: FieldDef,
  present: Set<string>,
  b: SqlBuilder,
): string {
  const col = `nullif(trim(${ident(field)}, ${b.bind(TRIM_CHARACTERS)}), '')`
  const ns = def.identity!.namespace
  switch (ns) {
    case 'email':
      return `CASE WHEN length(${col}) <= 254 AND regexp_full_match(lower(${col}), ${b.bind(EMAIL_PATTERN)}) THEN lower(${col}) END`
    case 'phone': {
      const cf = def.identity!.countryField
      const country =
        cf && present.has(cf) ? `upper(trim(${ident(cf)}))` : b.bind(def.identity!.defaultCountry ?? null)
      return `ahub_phone_e164(${col}, ${country})`
    }
    case 'ecid': {
      const max = b.bind(ECID_MAX_HALF)
      return `CASE WHEN regexp_full_match(${col}, '[0-9]{38}') AND substr(${col}, 1, 19) <= ${max} AND substr(${col}, 20, 19) <= ${max} THEN ${col} END`
    }
    case 'email_sha256':
    case 'phone_sha256':
      return `CASE WHEN regexp_full_match(${col}, '[0-9a-fA-F]{64}') THEN lower(${col})
                   WHEN regexp_full_match(${col}, '[A-Za-z0-9+/]{43}=') AND to_base64(from_base64(${col})) = ${col}
                   THEN lower(hex(from_base64(${col}))) END`
    default: {
      if (ns === 'crm') {
        return `CASE WHEN length(${col}) <= 256 AND NOT regexp_matches(${col}, '[\\x{00}-\\x{1f}\\x{7f}-\\x{9f}]') THEN ${col} END`
      }
      return `CASE WHEN length(${col}) <= 1024 THEN ${col} END`
    }
  }
}

/** Every rule a row must satisfy, given which fields the file provides. */
export function rowChecks(
  table: TableDef,
  present: Set<string>,
  opExpr: string,
  b: SqlBuilder,
  options: { typeFlags?: boolean; jsonFlag?: boolean } = {},
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
    if (field.type === 'enum') {
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
        cond: `(nullif(trim(${col}, ${b.bind(TRIM_CHARACTERS)}), '') IS NOT NULL AND ${ident(`_n_${name}`)} IS NULL)`,
      })
    }
  }
  return checks
}
