import type { EngineName, Issue, TableDef } from '@ahub/core'
import type { RuleNode } from './rule/ast'

/** Where an audience's members are stored: a table holding the member keys. */
export interface AudienceTarget {
  namespace: string
  table: string
  /** Columns of the member table, in the order of the dimension's primary key. */
  keyColumns: string[]
  /** Audiences this one's rule uses (directly), so cycles can be found. */
  dependsOn?: string[]
}
export type AudienceResolver = (id: string) => AudienceTarget | undefined

export type FilterParamType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp'

/** One declared parameter of a saved filter. */
export interface FilterParam {
  name: string
  type: FilterParamType
  /** Used when the caller gives no value; without it the parameter is required. */
  default?: string | number | boolean | null
}

/** A named, parameterised filter: its rule uses `{ "param": name }` as value placeholders. */
export interface SavedFilter {
  params: FilterParam[]
  rule: unknown
}
export type SavedFilterResolver = (name: string) => SavedFilter | undefined

/** Everything the compiler needs to know besides the rule. */
export interface CompileContext {
  dialect: EngineName
  /** The org's tables (e.g. SchemaCatalog.definitions(org)). */
  tables: Record<string, TableDef>
  /** Table the rule selects from, e.g. 'profiles'. */
  dimension: string
  /** Evaluation time for relative dates and now(). */
  asOf: Date
  /** Engine schema (DuckDB/PostgreSQL) or database (ClickHouse) holding the org's tables. */
  namespace: string
  audiences?: AudienceResolver
  filters?: SavedFilterResolver
  /** The audience being defined, if any: using it (directly or through others) is circular. */
  selfAudience?: string
}

/** One problem in a rule or expression, located by its JSON path (and line/column inside an expression). */
export type RuleIssue = Issue & { line?: number; column?: number }

export type SqlParamType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp'

/**
 * A bound value. Dates are 'YYYY-MM-DD', timestamps 'YYYY-MM-DD HH:MM:SS.sss' (UTC, no zone),
 * which all three engines parse.
 */
export interface SqlParam {
  value: string | number | boolean | null
  type: SqlParamType
}

/** SQL text for one dialect plus its parameters, in placeholder order ($1.. or {p1:..}). */
export interface CompiledQuery {
  sql: string
  params: SqlParam[]
}

export type { RuleNode, TableDef }
