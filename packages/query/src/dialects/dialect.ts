import type { EngineName } from '@ahub/core'
import type { SqlParamType } from '../context'
import type { DatePart, SqlFn } from '../sql/ast'

/**
 * The small hooks a SQL dialect overrides. Arguments arrive already printed; every hook
 * returns a self-contained (parenthesised where needed) SQL fragment.
 */
export interface Dialect {
  name: EngineName
  /** Quotes an identifier taken from the schema. */
  ident(name: string): string
  /** The placeholder of the n-th parameter (1-based). */
  placeholder(n: number, type: SqlParamType): string
  /** The engine type of a value type, for CAST. */
  typeName(type: SqlParamType): string
  boolean(value: boolean): string
  fn(fn: SqlFn, args: string[]): string
  dateAdd(unit: DatePart, n: string, item: string, type: 'date' | 'timestamp'): string
  truncate(unit: DatePart, item: string, type: 'date' | 'timestamp'): string
  like(item: string, pattern: string, negate: boolean): string
  window(fn: 'rank' | 'rowNumber'): string
  /**
   * Positive 1-N and membership tests: 'in' prints `(keys) IN (SELECT ...)`, 'exists' a correlated
   * EXISTS (decorrelated into a hash semi join). Grouped tests always print IN.
   */
  semiJoin: 'exists' | 'in'
  /** Negated tests: 'not exists' (a hash anti join in PostgreSQL) or 'not in' (DuckDB, ClickHouse; NULL keys are kept out of the set). */
  antiJoin: 'not exists' | 'not in'
  /** Appended to every top-level statement (ClickHouse: NULLs for unmatched LEFT JOIN rows). */
  statementSuffix: string
}

/** Functions whose spelling is the same on every engine. */
export function commonFn(fn: SqlFn, args: string[]): string | undefined {
  switch (fn) {
    case 'concat':
      return `concat(${args.join(', ')})`
    case 'abs':
    case 'floor':
    case 'ceil':
    case 'least':
    case 'greatest':
    case 'coalesce':
      return `${fn}(${args.join(', ')})`
    default:
      return undefined
  }
}
