import type { IssueCode } from '@ahub/core'
import type { SqlParam } from '../context'
import type { ValueType } from '../schema-scope'

/** Longest string value a rule may hold (characters). */
export const MAX_STRING_VALUE = 65_536
/** Most values an `in` list may hold. */
export const MAX_LIST_VALUES = 10_000

export type Converted = { ok: true; param: SqlParam } | { ok: false; code: IssueCode; message: string }

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/
const TS_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0')
}

/** A Date as the 'YYYY-MM-DD' text all engines read. */
export function formatDate(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

/** A Date as 'YYYY-MM-DD HH:MM:SS.sss' (UTC, no zone), which DuckDB, PostgreSQL and ClickHouse all read. */
export function formatTimestamp(d: Date): string {
  return `${formatDate(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
}

/** Parses 'YYYY-MM-DD' strictly (the day must exist). */
export function parseDate(s: string): Date | undefined {
  const m = DATE_RE.exec(s)
  if (m === null) return undefined
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return formatDate(d) === s ? d : undefined
}

/** Parses an ISO date or date-time; without a zone it is UTC. */
export function parseTimestamp(s: string): Date | undefined {
  const m = TS_RE.exec(s)
  if (m === null) return undefined
  const [, y, mo, da, h = '00', mi = '00', se = '00', frac = '', zone] = m
  const day = parseDate(`${y}-${mo}-${da}`)
  if (day === undefined || Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return undefined
  let t =
    day.getTime() +
    ((Number(h) * 60 + Number(mi)) * 60 + Number(se)) * 1000 +
    Number(`0.${frac || '0'}`) * 1000
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    const offset = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000
    t -= sign * offset
  }
  const d = new Date(Math.floor(t))
  return Number.isNaN(d.getTime()) ? undefined : d
}

/** Converts a JSON literal to a bound parameter of a field's type, or says why it cannot be one. */
export function convertValue(value: string | number | boolean | null, type: ValueType): Converted {
  const mismatch = (): Converted => ({
    ok: false,
    code: 'RULE_TYPE_MISMATCH',
    message: `Expected a ${type} value, got ${value === null ? 'null' : typeof value}`,
  })
  if (value === null) return { ok: true, param: { value: null, type } }
  switch (type) {
    case 'string':
      return typeof value === 'string' ? { ok: true, param: { value, type } } : mismatch()
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value)
        ? { ok: true, param: { value, type } }
        : mismatch()
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? { ok: true, param: { value, type } }
        : mismatch()
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, param: { value, type } } : mismatch()
    case 'date': {
      if (typeof value !== 'string') return mismatch()
      const d = parseDate(value)
      return d === undefined
        ? { ok: false, code: 'RULE_BAD_DATE', message: `"${value.slice(0, 40)}" is not a date (YYYY-MM-DD)` }
        : { ok: true, param: { value: formatDate(d), type } }
    }
    case 'timestamp': {
      if (typeof value !== 'string') return mismatch()
      const d = parseTimestamp(value)
      return d === undefined
        ? { ok: false, code: 'RULE_BAD_DATE', message: `"${value.slice(0, 40)}" is not an ISO date-time` }
        : { ok: true, param: { value: formatTimestamp(d), type } }
    }
  }
}

export { OPERATORS_BY_TYPE } from './operators'
