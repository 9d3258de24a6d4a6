import { AppError } from '@ahub/core'
import type { SqlParamType } from '../context'
import { commonFn, type Dialect } from './dialect'

const TYPES: Record<SqlParamType, string> = {
  string: 'text',
  integer: 'bigint',
  number: 'double precision',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
}

/** PostgreSQL: `$n::type` placeholders, correlated EXISTS (planned as hash semi/anti joins). */
export const postgres: Dialect = {
  name: 'postgres',
  ident: (name) => `"${name.replaceAll('"', '""')}"`,
  placeholder: (n, type) => `$${n}::${TYPES[type]}`,
  typeName: (t) => TYPES[t],
  boolean: (v) => (v ? 'TRUE' : 'FALSE'),
  fn(fn, a) {
    const common = commonFn(fn, a)
    if (common !== undefined) return common
    switch (fn) {
      case 'lower':
      case 'upper':
      case 'length':
      case 'replace':
        return `${fn}(${a.join(', ')})`
      case 'trim':
        return `btrim(${a[0]}, ' ')`
      case 'substr':
        return `substr(${[a[0], ...a.slice(1).map((x) => `CAST(${x} AS integer)`)].join(', ')})`
      case 'startsWith':
        return `starts_with(${a[0]}, ${a[1]})`
      case 'contains':
        return `(strpos(${a[0]}, ${a[1]}) > 0)`
      case 'sha256':
        return `encode(sha256(convert_to(${a[0]}, 'UTF8')), 'hex')`
      case 'year':
      case 'month':
      case 'day':
        return `CAST(extract(${fn} from ${a[0]}) AS bigint)`
      case 'daysBetween':
        return `CAST(CAST(${a[1]} AS date) - CAST(${a[0]} AS date) AS bigint)`
      case 'digits':
        return `regexp_replace(${a[0]}, '[^0-9]', '', 'g')`
      default:
        throw new AppError('INTERNAL', `No PostgreSQL spelling for ${fn}`)
    }
  },
  dateAdd: (unit, n, item, type) =>
    `CAST(${item} + make_interval(${unit}s => CAST(${n} AS integer)) AS ${TYPES[type]})`,
  truncate: (unit, item, type) => `CAST(date_trunc('${unit}', CAST(${item} AS timestamp)) AS ${TYPES[type]})`,
  like: (item, pattern, negate) => `(${item} ${negate ? 'NOT LIKE' : 'LIKE'} ${pattern} ESCAPE '\\')`,
  window: (fn) => (fn === 'rank' ? 'rank()' : 'row_number()'),
  semiJoin: 'exists',
  antiJoin: 'not exists',
  statementSuffix: '',
}
