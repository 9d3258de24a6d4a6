import { AppError } from '@ahub/core'
import type { SqlParamType } from '../context'
import type { DatePart } from '../sql/ast'
import { commonFn, type Dialect } from './dialect'

const TYPES: Record<SqlParamType, string> = {
  string: 'String',
  integer: 'Int64',
  number: 'Float64',
  boolean: 'Bool',
  date: 'Date32',
  timestamp: 'DateTime64(3)',
}

const ADD: Record<DatePart, string> = {
  day: 'addDays',
  week: 'addWeeks',
  month: 'addMonths',
  year: 'addYears',
}
const START: Record<DatePart, string> = {
  day: 'toStartOfDay',
  week: 'toMonday',
  month: 'toStartOfMonth',
  year: 'toStartOfYear',
}

/**
 * ClickHouse: typed `{pN:Type}` placeholders bound by name, UTF-8 aware string functions, and
 * 1-N tests as `(keys) IN (SELECT ...)` because correlated subqueries are not decorrelated.
 */
export const clickhouse: Dialect = {
  name: 'clickhouse',
  ident: (name) => `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``,
  placeholder: (n, type) => `{p${n}:${TYPES[type]}}`,
  typeName: (t) => (t === 'string' ? 'Nullable(String)' : `Nullable(${TYPES[t]})`),
  boolean: (v) => (v ? 'true' : 'false'),
  fn(fn, a) {
    const common = commonFn(fn, a)
    if (common !== undefined) return common
    switch (fn) {
      case 'lower':
        return `lowerUTF8(${a[0]})`
      case 'upper':
        return `upperUTF8(${a[0]})`
      case 'trim':
        return `trimBoth(${a[0]})`
      case 'length':
        return `CAST(lengthUTF8(${a[0]}) AS Nullable(Int64))`
      case 'replace':
        return `replaceAll(${a.join(', ')})`
      case 'substr':
        return a.length === 3
          ? `substringUTF8(${a[0]}, ${a[1]}, greatest(${a[2]}, 0))`
          : `substringUTF8(${a[0]}, ${a[1]})`
      case 'startsWith':
        return `startsWith(${a[0]}, ${a[1]})`
      case 'contains':
        return `(position(${a[0]}, ${a[1]}) > 0)`
      case 'sha256':
        return `lower(hex(SHA256(${a[0]})))`
      case 'year':
        return `CAST(toYear(${a[0]}) AS Nullable(Int64))`
      case 'month':
        return `CAST(toMonth(${a[0]}) AS Nullable(Int64))`
      case 'day':
        return `CAST(toDayOfMonth(${a[0]}) AS Nullable(Int64))`
      case 'daysBetween':
        return `CAST(dateDiff('day', toDate(${a[0]}), toDate(${a[1]})) AS Nullable(Int64))`
      case 'digits':
        return `replaceRegexpAll(${a[0]}, '[^0-9]', '')`
      default:
        throw new AppError('INTERNAL', `No ClickHouse spelling for ${fn}`)
    }
  },
  dateAdd: (unit, n, item, type) => `CAST(${ADD[unit]}(${item}, ${n}) AS Nullable(${TYPES[type]}))`,
  truncate: (unit, item, type) => `CAST(${START[unit]}(${item}) AS Nullable(${TYPES[type]}))`,
  like: (item, pattern, negate) => `(${item} ${negate ? 'NOT LIKE' : 'LIKE'} ${pattern})`,
  window: (fn) => (fn === 'rank' ? 'rank()' : 'row_number()'),
  semiJoin: 'in',
  antiJoin: 'not in',
  statementSuffix: ' SETTINGS join_use_nulls = 1',
}
