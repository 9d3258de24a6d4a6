import { AppError } from '@ahub/core'
import type { SqlParamType } from '../context'
import { commonFn, type Dialect } from './dialect'

const TYPES: Record<SqlParamType, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
}

/** DuckDB: `$n` placeholders cast to their type; IN for semi joins, NOT EXISTS for anti joins (measured fastest). */
export const duckdb: Dialect = {
  name: 'duckdb',
  ident: (name) => `"${name.replaceAll('"', '""')}"`,
  placeholder: (n, type) => `CAST($${n} AS ${TYPES[type]})`,
  typeName: (t) => TYPES[t],
  boolean: (v) => (v ? 'TRUE' : 'FALSE'),
  fn(fn, a) {
    const common = commonFn(fn, a)
    if (common !== undefined) return common
    switch (fn) {
      case 'lower':
      case 'upper':
      case 'trim':
      case 'length':
      case 'replace':
      case 'sha256':
        return `${fn}(${a.join(', ')})`
      case 'substr':
        return `substring(${a.join(', ')})`
      case 'startsWith':
        return `starts_with(${a[0]}, ${a[1]})`
      case 'contains':
        return `(strpos(${a[0]}, ${a[1]}) > 0)`
      case 'year':
      case 'month':
      case 'day':
        return `CAST(${fn}(${a[0]}) AS BIGINT)`
      case 'daysBetween':
        return `date_diff('day', CAST(${a[0]} AS DATE), CAST(${a[1]} AS DATE))`
      case 'digits':
        return `regexp_replace(${a[0]}, '[^0-9]', '', 'g')`
      default:
        throw new AppError('INTERNAL', `No DuckDB spelling for ${fn}`)
    }
  },
  dateAdd: (unit, n, item, type) => `CAST(${item} + to_${unit}s(CAST(${n} AS INTEGER)) AS ${TYPES[type]})`,
  truncate: (unit, item, type) => `CAST(date_trunc('${unit}', ${item}) AS ${TYPES[type]})`,
  like: (item, pattern, negate) => `(${item} ${negate ? 'NOT LIKE' : 'LIKE'} ${pattern} ESCAPE '\\')`,
  window: (fn) => (fn === 'rank' ? 'rank()' : 'row_number()'),
  semiJoin: 'in',
  antiJoin: 'not in',
  statementSuffix: '',
}
