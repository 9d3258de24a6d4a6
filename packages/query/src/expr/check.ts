import type { IssueCode, ResolvedRelationship } from '@ahub/core'
import type { FieldRef, SchemaView, ValueType } from '../schema-scope'
import type { Expr, Pos } from './ast'

export type ExprType = ValueType | 'null'

/** What the checker learnt about one node: its type and what its names refer to. */
export interface NodeInfo {
  type: ExprType
  field?: FieldRef
  link?: ResolvedRelationship
}

export interface ExprIssue {
  code: IssueCode
  message: string
  pos: Pos
}

/** Where an expression is used: window functions only make sense in select lists (sort and dedup keys). */
export interface ExprScope {
  schema: SchemaView
  table: string
  allowWindow: boolean
}

export const DATE_UNITS_EXPR = ['day', 'week', 'month', 'year'] as const

type Sig = (args: ExprType[], call: Extract<Expr, { kind: 'call' }>) => ExprType | string

const isNum = (t: ExprType) => t === 'integer' || t === 'number' || t === 'null'
const isStr = (t: ExprType) => t === 'string' || t === 'null'
const isTime = (t: ExprType) => t === 'date' || t === 'timestamp' || t === 'null'

function unitArg(call: Extract<Expr, { kind: 'call' }>): string | undefined {
  const a = call.args[0]
  return a?.kind === 'literal' &&
    a.type === 'string' &&
    (DATE_UNITS_EXPR as readonly string[]).includes(a.value)
    ? a.value
    : undefined
}

/** The common type of values that may mix (integer and number widen to number, null fits anything). */
export function commonType(types: ExprType[]): ExprType | undefined {
  let out: ExprType = 'null'
  for (const t of types) {
    if (t === 'null' || t === out) continue
    if (out === 'null') out = t
    else if (isNum(t) && isNum(out)) out = 'number'
    else if (isTime(t) && isTime(out)) out = 'timestamp'
    else return undefined
  }
  return out
}

const unary =
  (ok: (t: ExprType) => boolean, want: string, result: (t: ExprType) => ExprType): Sig =>
  (args) => {
    if (args.length !== 1) return `expects 1 argument, got ${args.length}`
    return ok(args[0]!) ? result(args[0]!) : `expects ${want}, got ${args[0]}`
  }

const str1 = unary(isStr, 'a string', () => 'string')
const num1 = unary(isNum, 'a number', (t) => (t === 'null' ? 'number' : t))
const time1 = unary(isTime, 'a date or timestamp', () => 'integer')

/** Scalar functions: name -> signature check returning the result type or an error message. */
const SCALAR: Record<string, Sig> = {
  lower: str1,
  upper: str1,
  trim: str1,
  normaliseEmail: str1,
  sha256: str1,
  length: unary(isStr, 'a string', () => 'integer'),
  concat: (args) => (args.length >= 1 ? 'string' : 'expects at least 1 argument'),
  substr: (a) =>
    (a.length === 2 || a.length === 3) &&
    isStr(a[0]!) &&
    a.slice(1).every((t) => t === 'integer' || t === 'null')
      ? 'string'
      : 'expects (string, integer[, integer])',
  replace: (a) => (a.length === 3 && a.every(isStr) ? 'string' : 'expects (string, string, string)'),
  startsWith: (a) => (a.length === 2 && a.every(isStr) ? 'boolean' : 'expects (string, string)'),
  contains: (a) => (a.length === 2 && a.every(isStr) ? 'boolean' : 'expects (string, string)'),
  normalisePhone: (a, call) => {
    const c = call.args[1]
    const code =
      c === undefined || (c.kind === 'literal' && c.type === 'string' && /^[1-9][0-9]{0,2}$/.test(c.value))
    return (a.length === 1 || a.length === 2) && a.every(isStr) && code
      ? 'string'
      : "expects (string[, calling code such as '33'])"
  },
  abs: num1,
  floor: num1,
  ceil: num1,
  round: (a, call) => {
    const d = call.args[1]
    const literalDigits =
      d === undefined || (d.kind === 'literal' && d.type === 'number' && d.integer && d.value <= 15)
    return (a.length === 1 || a.length === 2) && isNum(a[0]!) && literalDigits
      ? 'number'
      : 'expects (number[, digits]) with digits a whole number from 0 to 15'
  },
  least: (a) =>
    a.length >= 1 && commonType(a) !== undefined ? commonType(a)! : 'expects values of one type',
  greatest: (a) =>
    a.length >= 1 && commonType(a) !== undefined ? commonType(a)! : 'expects values of one type',
  coalesce: (a) =>
    a.length >= 1 && commonType(a) !== undefined ? commonType(a)! : 'expects values of one type',
  now: (a) => (a.length === 0 ? 'timestamp' : 'expects no arguments'),
  dateAdd: (a, call) =>
    a.length === 3 && unitArg(call) !== undefined && (a[1] === 'integer' || a[1] === 'null') && isTime(a[2]!)
      ? a[2] === 'null'
        ? 'timestamp'
        : a[2]!
      : "expects ('day'|'week'|'month'|'year', integer, date or timestamp)",
  truncate: (a, call) =>
    a.length === 2 && unitArg(call) !== undefined && isTime(a[1]!)
      ? a[1] === 'null'
        ? 'timestamp'
        : a[1]!
      : "expects ('day'|'week'|'month'|'year', date or timestamp)",
  daysBetween: (a) =>
    a.length === 2 && a.every(isTime) ? 'integer' : 'expects (date or timestamp, date or timestamp)',
  year: time1,
  month: time1,
  day: time1,
}

export const AGGREGATES = ['count', 'sum', 'avg', 'min', 'max'] as const
export const WINDOWS = ['rank', 'rowNumber'] as const
/** Every function name of the expression language. */
export const FUNCTION_NAMES = [...Object.keys(SCALAR), ...AGGREGATES, ...WINDOWS]

/** Type-checks an expression against the schema, collecting every issue; returns per-node information. */
export function checkExpression(
  expr: Expr,
  scope: ExprScope,
): { type: ExprType; info: Map<Expr, NodeInfo>; issues: ExprIssue[] } {
  const info = new Map<Expr, NodeInfo>()
  const issues: ExprIssue[] = []
  const type = check(expr, scope, info, issues)
  return { type, info, issues }
}

function check(e: Expr, scope: ExprScope, info: Map<Expr, NodeInfo>, issues: ExprIssue[]): ExprType {
  const set = (t: ExprType, extra: Omit<NodeInfo, 'type'> = {}): ExprType => {
    info.set(e, { type: t, ...extra })
    return t
  }
  const fail = (code: IssueCode, message: string): ExprType => {
    issues.push({ code, message, pos: e.pos })
    return set('null')
  }
  const sub = (x: Expr) => check(x, scope, info, issues)
  switch (e.kind) {
    case 'literal':
      if (e.type === 'number') return set(e.integer ? 'integer' : 'number')
      return set(e.type)
    case 'field': {
      const r = scope.schema.field(scope.table, e.path.join('.'))
      if (!r.ok) return fail(r.code, r.message)
      return set(r.value.type, { field: r.value })
    }
    case 'unary': {
      const t = sub(e.operand)
      if (e.op === 'not')
        return t === 'boolean' || t === 'null'
          ? set('boolean')
          : fail('EXPR_TYPE', `"not" needs a boolean, got ${t}`)
      return isNum(t) ? set(t === 'null' ? 'number' : t) : fail('EXPR_TYPE', `"-" needs a number, got ${t}`)
    }
    case 'binary': {
      const l = sub(e.left)
      const r = sub(e.right)
      switch (e.op) {
        case 'and':
        case 'or':
          return [l, r].every((t) => t === 'boolean' || t === 'null')
            ? set('boolean')
            : fail('EXPR_TYPE', `"${e.op}" needs booleans, got ${l} and ${r}`)
        case '+':
        case '-':
        case '*':
        case '/':
        case '%': {
          if (!isNum(l) || !isNum(r)) return fail('EXPR_TYPE', `"${e.op}" needs numbers, got ${l} and ${r}`)
          if (e.op === '%' && (l === 'number' || r === 'number'))
            return fail('EXPR_TYPE', `"%" needs integers, got ${l} and ${r}`)
          const integer = l === 'integer' && r === 'integer' && e.op !== '/'
          if (integer && literalMagnitude(e) > Number.MAX_SAFE_INTEGER)
            return fail(
              'RULE_VALUE_OUT_OF_RANGE',
              `Integer arithmetic out of range: the literal factors of "${e.op}" exceed ${Number.MAX_SAFE_INTEGER}`,
            )
          return set(integer ? 'integer' : 'number')
        }
        default:
          return commonType([l, r]) === undefined
            ? fail('EXPR_TYPE', `Cannot compare ${l} with ${r}`)
            : set('boolean')
      }
    }
    case 'in': {
      const types = [sub(e.operand), ...e.list.map(sub)]
      return commonType(types) === undefined
        ? fail('EXPR_TYPE', `"in" mixes ${types.join(', ')}`)
        : set('boolean')
    }
    case 'isNull':
      sub(e.operand)
      return set('boolean')
    case 'case': {
      for (const w of e.whens) {
        const c = sub(w.when)
        if (c !== 'boolean' && c !== 'null')
          issues.push({ code: 'EXPR_TYPE', message: `"when" needs a boolean, got ${c}`, pos: w.when.pos })
      }
      const results = [...e.whens.map((w) => sub(w.result)), ...(e.else ? [sub(e.else)] : [])]
      const t = commonType(results)
      return t === undefined ? fail('EXPR_TYPE', `"case" branches mix ${results.join(', ')}`) : set(t)
    }
    case 'call':
      return checkCall(e, scope, info, issues, set, fail)
  }
}

function checkCall(
  e: Extract<Expr, { kind: 'call' }>,
  scope: ExprScope,
  info: Map<Expr, NodeInfo>,
  issues: ExprIssue[],
  set: (t: ExprType, extra?: Omit<NodeInfo, 'type'>) => ExprType,
  fail: (code: IssueCode, message: string) => ExprType,
): ExprType {
  if ((AGGREGATES as readonly string[]).includes(e.name)) {
    if (e.over !== undefined)
      return fail('EXPR_TYPE', `"${e.name}" is an aggregate over a link, it takes no "over"`)
    const arg = e.args[0]
    if (e.args.length !== 1 || arg?.kind !== 'field')
      return fail(
        'EXPR_TYPE',
        `${e.name}() takes one 1-N link or link.field, e.g. ${e.name}(purchases${e.name === 'count' ? '' : '.amount'})`,
      )
    const link = scope.schema.link(scope.table, arg.path[0]!)
    if (!link.ok)
      return fail(link.code === 'RULE_UNKNOWN_FIELD' ? 'RULE_UNKNOWN_FIELD' : 'RULE_NOT_A_LINK', link.message)
    const inner: ExprScope = { ...scope, table: link.value.target, allowWindow: false }
    if (e.where !== undefined) {
      const w = check(e.where, inner, info, issues)
      if (w !== 'boolean' && w !== 'null')
        issues.push({ code: 'EXPR_TYPE', message: `"where" needs a boolean, got ${w}`, pos: e.where.pos })
    }
    if (arg.path.length === 1) {
      if (e.name !== 'count')
        return fail(
          'EXPR_TYPE',
          `${e.name}() needs a field of the link, e.g. ${e.name}(${arg.path[0]}.amount)`,
        )
      return set('integer', { link: link.value })
    }
    const f = scope.schema.field(link.value.target, arg.path.slice(1).join('.'))
    if (!f.ok) return fail(f.code, f.message)
    info.set(arg, { type: f.value.type, field: f.value })
    const t = f.value.type
    switch (e.name) {
      case 'count':
        return set('integer', { link: link.value })
      case 'sum':
      case 'avg':
        if (!isNum(t)) return fail('EXPR_TYPE', `${e.name}() needs a numeric field, got ${t}`)
        return set(e.name === 'sum' && t === 'integer' ? 'integer' : 'number', { link: link.value })
      default:
        if (t === 'boolean') return fail('EXPR_TYPE', `${e.name}() does not apply to booleans`)
        return set(t, { link: link.value })
    }
  }
  if (e.where !== undefined) return fail('EXPR_TYPE', `Only aggregates over a link take "where"`)
  if ((WINDOWS as readonly string[]).includes(e.name)) {
    if (!scope.allowWindow)
      return fail(
        'EXPR_TYPE',
        `${e.name}() is a window function: only sort, dedup and computed keys may use it`,
      )
    if (e.over === undefined)
      return fail('EXPR_TYPE', `${e.name}() needs "over (partition by ... order by ...)"`)
    if (e.args.length !== 0) return fail('EXPR_TYPE', `${e.name}() takes no arguments`)
    const inner: ExprScope = { ...scope, allowWindow: false }
    for (const p of e.over.partitionBy) check(p, inner, info, issues)
    for (const o of e.over.orderBy) check(o.expr, inner, info, issues)
    return set('integer')
  }
  if (e.over !== undefined) return fail('EXPR_TYPE', `${e.name}() is not a window function`)
  if (!Object.hasOwn(SCALAR, e.name)) return fail('EXPR_UNKNOWN_FUNCTION', `Unknown function "${e.name}"`)
  const types = e.args.map((a) => check(a, scope, info, issues))
  const r = SCALAR[e.name]!(types, e)
  if (typeof r === 'string' && !isType(r)) return fail('EXPR_TYPE', `${e.name}() ${r}`)
  const range = argumentRange(e)
  if (range !== undefined) return fail('RULE_VALUE_OUT_OF_RANGE', `${e.name}() ${range}`)
  return set(r as ExprType)
}

/** Largest |n| of dateAdd per unit: about 10 000 years, within every engine's date range arithmetic. */
export const DATE_ADD_LIMITS: Record<string, number> = {
  day: 3_652_425,
  week: 521_775,
  month: 120_000,
  year: 10_000,
}
/** Largest substr position or length (a 32-bit integer on every engine). */
export const SUBSTR_LIMIT = 2_147_483_647

/** The value of an integer literal (or of `-literal`), else undefined. */
export function integerLiteral(e: Expr | undefined): number | undefined {
  if (e?.kind === 'literal' && e.type === 'number' && e.integer) return e.value
  if (e?.kind === 'unary' && e.op === '-') {
    const v = integerLiteral(e.operand)
    return v === undefined ? undefined : -v
  }
  return undefined
}

/**
 * Literal arguments outside what the function accepts (a message), else undefined. Computed
 * arguments are guarded where the call is planned: out of range, the call is empty (NULL).
 */
function argumentRange(e: Extract<Expr, { kind: 'call' }>): string | undefined {
  if (e.name === 'dateAdd') {
    const unit = unitArg(e)
    const n = integerLiteral(e.args[1])
    const max = unit === undefined ? undefined : DATE_ADD_LIMITS[unit]
    if (n !== undefined && max !== undefined && Math.abs(n) > max)
      return `adds at most ${max} ${unit}s (either way), not ${n}`
  }
  if (e.name === 'substr') {
    const start = integerLiteral(e.args[1])
    if (start !== undefined && (start < 1 || start > SUBSTR_LIMIT))
      return `starts at a position from 1 to ${SUBSTR_LIMIT}, not ${start}`
    const len = integerLiteral(e.args[2])
    if (len !== undefined && (len < 0 || len > SUBSTR_LIMIT))
      return `takes a length from 0 to ${SUBSTR_LIMIT}, not ${len}`
  }
  return undefined
}

/**
 * The product (for `*`) or sum (for `+`, `-`) of the literal magnitudes of an integer expression:
 * `length(s) * 3037000500 * 3037000500` has literal factors of 9.2e18 and overflows any 64-bit
 * integer as soon as length(s) is 1. Non-literal parts count as 1 in a product, 0 in a sum.
 */
function literalMagnitude(e: Expr): number {
  const literal = integerLiteral(e)
  if (literal !== undefined) return Math.abs(literal)
  if (e.kind !== 'binary') return 1
  if (e.op === '*') return literalMagnitude(e.left) * literalMagnitude(e.right)
  if (e.op === '+' || e.op === '-') {
    const l = integerLiteral(e.left)
    const r = integerLiteral(e.right)
    return (l === undefined ? 0 : Math.abs(l)) + (r === undefined ? 0 : Math.abs(r))
  }
  return 1
}

function isType(s: string): s is ExprType {
  return ['string', 'integer', 'number', 'boolean', 'date', 'timestamp', 'null'].includes(s)
}
