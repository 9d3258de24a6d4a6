import { AppError, assertNever, type ResolvedRelationship } from '@ahub/core'
import type { AudienceTarget, CompileContext, SqlParam, SqlParamType } from '../context'
import type { Expr } from '../expr/ast'
import { DATE_ADD_LIMITS, integerLiteral, type NodeInfo, SUBSTR_LIMIT } from '../expr/check'
import type { Core } from '../rule/lower'
import { formatDate, formatTimestamp, parseDate, parseTimestamp } from '../rule/values'
import type { FieldRef, SchemaView } from '../schema-scope'
import { and, type DatePart, or, type Select, type SqlExpr, type SqlFn, select, type TableRef } from './ast'

/** Collects the parameters and aliases of one query. */
export class Planner {
  readonly params: SqlParam[] = []
  private aliases = 0

  constructor(
    readonly ctx: CompileContext,
    readonly schema: SchemaView,
  ) {}

  /** Binds a value and returns its placeholder node. */
  param(p: SqlParam): SqlExpr {
    this.params.push(p)
    return { kind: 'param', index: this.params.length }
  }

  alias(): string {
    return `t${this.aliases++}`
  }

  tableRef(table: string): TableRef {
    return { kind: 'table', namespace: this.ctx.namespace, table, alias: this.alias() }
  }

  /** A scope selecting from `table`. */
  scope(table: string): Scope {
    return new Scope(this, table, this.tableRef(table))
  }
}

/** One FROM clause: the table, LEFT JOINs to 1-1 / N-1 targets and to grouped 1-N aggregates. */
export class Scope {
  readonly query: Select
  private readonly joined = new Map<string, string>()

  constructor(
    readonly planner: Planner,
    readonly table: string,
    readonly ref: TableRef,
  ) {
    this.query = select(ref)
  }

  /** The column of a field, joining the 1-1 / N-1 tables on its path once. */
  col(field: FieldRef): SqlExpr {
    let alias = this.ref.alias
    let key = ''
    for (const step of field.steps) {
      key += `/${step.name}`
      let next = this.joined.get(key)
      if (next === undefined) {
        const ref = this.planner.tableRef(step.target)
        next = ref.alias
        const from = alias
        const on = and(Object.entries(step.on).map(([a, b]) => cmpCols(from, a, ref.alias, b)))
        this.query.joins.push({ source: ref, on })
        this.joined.set(key, next)
      }
      alias = next
    }
    return { kind: 'col', alias, column: field.column }
  }

  /** The outer columns of a link (this side of its `on`). */
  linkKeys(rel: ResolvedRelationship): SqlExpr[] {
    return Object.keys(rel.on).map((c) => ({ kind: 'col', alias: this.ref.alias, column: c }))
  }

  /** The primary-key columns of this scope's table. */
  primaryKey(): SqlExpr[] {
    const def = this.planner.schema.table(this.table)!
    return def.primaryKey.map((c) => ({ kind: 'col', alias: this.ref.alias, column: c }))
  }

  /** A subquery over the linked rows selecting their foreign keys (the other side of `on`). */
  linkSubquery(rel: ResolvedRelationship): Scope {
    const inner = this.planner.scope(rel.target)
    inner.query.columns.push(
      ...Object.values(rel.on).map((c) => ({
        expr: { kind: 'col', alias: inner.ref.alias, column: c } as SqlExpr,
        as: undefined,
      })),
    )
    return inner
  }
}

function cmpCols(a: string, ca: string, b: string, cb: string): SqlExpr {
  return {
    kind: 'cmp',
    op: '=',
    left: { kind: 'col', alias: a, column: ca },
    right: { kind: 'col', alias: b, column: cb },
  }
}

/** Plans a lowered rule as a boolean SQL expression over `scope`. */
export function planCore(c: Core, scope: Scope): SqlExpr {
  const p = scope.planner
  switch (c.kind) {
    case 'cmp':
      return { kind: 'cmp', op: c.op, left: scope.col(c.field), right: p.param(c.param) }
    case 'in':
      return { kind: 'in', item: scope.col(c.field), list: c.params.map((v) => p.param(v)), negate: false }
    case 'isNull':
      return { kind: 'isNull', item: scope.col(c.field), negate: false }
    case 'text': {
      const item = scope.col(c.field)
      const arg = p.param(c.param)
      if (c.fn === 'like') return { kind: 'like', item, pattern: arg, negate: false }
      return { kind: 'fn', fn: c.fn, args: [item, arg] }
    }
    case 'not':
      return { kind: 'not', item: planCore(c.child, scope) }
    case 'without':
      return {
        kind: 'not',
        item: { kind: 'fn', fn: 'coalesce', args: [planCore(c.child, scope), { kind: 'lit', value: false }] },
      }
    case 'and':
      return and(c.children.map((x) => planCore(x, scope)))
    case 'or':
      return or(c.children.map((x) => planCore(x, scope)))
    case 'exists': {
      const inner = scope.linkSubquery(c.rel)
      const parts = c.where === undefined ? [] : [planCore(c.where, inner)]
      if (c.negate) {
        // `NOT IN` over a set holding NULL keys would match nothing: keep NULL keys out of it.
        const target = p.schema.table(c.rel.target)!
        for (const col of Object.values(c.rel.on))
          if (target.fields[col]?.nullable !== false && !target.primaryKey.includes(col))
            parts.push({
              kind: 'isNull',
              item: { kind: 'col', alias: inner.ref.alias, column: col },
              negate: true,
            })
      }
      inner.query.where = parts.length === 0 ? undefined : and(parts)
      if (c.having !== undefined) {
        inner.query.groupBy = inner.query.columns.map((col) => col.expr)
        const h = c.having
        const arg = h.field === undefined ? undefined : inner.col(h.field)
        inner.query.having = {
          kind: 'cmp',
          op: h.op,
          left: { kind: 'agg', fn: h.fn, arg },
          right: p.param(h.param),
        }
      }
      return { kind: 'semi', keys: scope.linkKeys(c.rel), query: inner.query, negate: c.negate }
    }
    case 'audience':
      return audienceSemi(c.target, c.negate, scope)
    case 'expr':
      return planExpr(c.expr, c.info, scope)
    default:
      return assertNever(c)
  }
}

function audienceSemi(target: AudienceTarget, negate: boolean, scope: Scope): SqlExpr {
  const ref: TableRef = {
    kind: 'table',
    namespace: target.namespace,
    table: target.table,
    alias: scope.planner.alias(),
  }
  const query = select(ref)
  query.columns = target.keyColumns.map((c) => ({
    expr: { kind: 'col', alias: ref.alias, column: c },
    as: undefined,
  }))
  return { kind: 'semi', keys: scope.primaryKey(), query, negate }
}

const UNITS: Record<string, DatePart> = { day: 'day', week: 'week', month: 'month', year: 'year' }

function typeOf(info: Map<Expr, NodeInfo>, e: Expr): SqlParamType | 'null' {
  return info.get(e)?.type ?? 'null'
}

function fn(f: SqlFn, ...args: SqlExpr[]): SqlExpr {
  return { kind: 'fn', fn: f, args }
}

function str(p: Planner, s: string): SqlExpr {
  return p.param({ value: s, type: 'string' })
}

/** Plans a checked expression over `scope`: literals are bound, fields come from the schema. */
export function planExpr(e: Expr, info: Map<Expr, NodeInfo>, scope: Scope): SqlExpr {
  const p = scope.planner
  const sub = (x: Expr) => planExpr(x, info, scope)
  switch (e.kind) {
    case 'literal':
      switch (e.type) {
        case 'number':
          return p.param({ value: e.value, type: e.integer ? 'integer' : 'number' })
        case 'string':
          return p.param({ value: e.value, type: 'string' })
        case 'boolean':
          return p.param({ value: e.value, type: 'boolean' })
        case 'null':
          return { kind: 'lit', value: null }
        case 'date':
          return p.param({ value: formatDate(parseDate(e.value)!), type: 'date' })
        case 'timestamp':
          return p.param({ value: formatTimestamp(parseTimestamp(e.value)!), type: 'timestamp' })
        default:
          return assertNever(e)
      }
    case 'field': {
      const f = info.get(e)?.field
      if (f === undefined) throw new AppError('INTERNAL', 'Expression was not checked before planning')
      return scope.col(f)
    }
    case 'unary':
      return e.op === 'not' ? { kind: 'not', item: sub(e.operand) } : { kind: 'neg', item: sub(e.operand) }
    case 'binary': {
      const left = sub(e.left)
      const right = sub(e.right)
      switch (e.op) {
        case 'and':
          return and([left, right])
        case 'or':
          return or([left, right])
        case '=':
          return { kind: 'cmp', op: '=', left, right }
        case '!=':
          return { kind: 'cmp', op: '<>', left, right }
        case '<':
        case '<=':
        case '>':
        case '>=':
          return { kind: 'cmp', op: e.op, left, right }
        case '/':
        case '%': {
          // x / 0 and x % 0 are empty (NULL) on every engine instead of an error or infinity.
          const t = e.op === '/' ? 'number' : typeOf(info, e) === 'integer' ? 'integer' : 'number'
          const l: SqlExpr = e.op === '/' ? { kind: 'cast', item: left, type: 'number' } : left
          return {
            kind: 'case',
            whens: [
              {
                when: { kind: 'cmp', op: '=', left: right, right: { kind: 'lit', value: 0 } },
                result: { kind: 'lit', value: null },
              },
            ],
            else: { kind: 'arith', op: e.op, left: l, right, type: t },
          }
        }
        default:
          return {
            kind: 'arith',
            op: e.op,
            left,
            right,
            type: typeOf(info, e) === 'integer' ? 'integer' : 'number',
          }
      }
    }
    case 'in':
      return { kind: 'in', item: sub(e.operand), list: e.list.map(sub), negate: e.negate }
    case 'isNull':
      return { kind: 'isNull', item: sub(e.operand), negate: e.negate }
    case 'case':
      return {
        kind: 'case',
        whens: e.whens.map((w) => ({ when: sub(w.when), result: sub(w.result) })),
        else: e.else === undefined ? undefined : sub(e.else),
      }
    case 'call':
      return planCall(e, info, scope)
  }
}

/** `CASE WHEN all checks THEN value END` (just the value without checks). */
function guard(checks: SqlExpr[], value: SqlExpr): SqlExpr {
  if (checks.length === 0) return value
  return { kind: 'case', whens: [{ when: and(checks), result: value }], else: undefined }
}

function planCall(e: Extract<Expr, { kind: 'call' }>, info: Map<Expr, NodeInfo>, scope: Scope): SqlExpr {
  const p = scope.planner
  const sub = (x: Expr) => planExpr(x, info, scope)
  const args = () => e.args.map(sub)
  const unit = () => UNITS[(e.args[0] as Extract<Expr, { kind: 'literal'; type: 'string' }>).value]!
  const resultType = typeOf(info, e)
  switch (e.name) {
    case 'count':
    case 'sum':
    case 'avg':
    case 'min':
    case 'max':
      return planAggregate(e, info, scope)
    case 'rank':
    case 'rowNumber':
      return {
        kind: 'window',
        fn: e.name,
        partitionBy: e.over!.partitionBy.map(sub),
        orderBy: e.over!.orderBy.map((o) => ({ expr: sub(o.expr), desc: o.desc })),
      }
    case 'now':
      return p.param({ value: formatTimestamp(p.ctx.asOf), type: 'timestamp' })
    case 'concat':
      // NULL parts count as empty text on every engine (ClickHouse would return NULL).
      // Timestamps render as 'YYYY-MM-DD HH:MM:SS' (UTC, whole seconds) on every engine: the first 19
      // characters of each engine's text (ClickHouse always prints milliseconds, the others only when
      // there are some).
      return fn(
        'concat',
        ...args().map((a, i) => {
          const t = typeOf(info, e.args[i]!)
          const text: SqlExpr = t === 'string' ? a : { kind: 'cast', item: a, type: 'string' }
          const shown =
            t === 'timestamp'
              ? fn(
                  'substr',
                  text,
                  p.param({ value: 1, type: 'integer' }),
                  p.param({ value: 19, type: 'integer' }),
                )
              : text
          return fn('coalesce', shown, str(p, ''))
        }),
      )
    case 'least':
    case 'greatest': {
      // NULL when any argument is NULL, on every engine.
      const a = args()
      return {
        kind: 'case',
        whens: [
          {
            when: or(a.map((x) => ({ kind: 'isNull', item: x, negate: false }))),
            result: { kind: 'lit', value: null },
          },
        ],
        else: fn(e.name, ...a),
      }
    }
    case 'round': {
      // Half away from zero on every engine: sign(x) * floor(abs(x) * 10^n + 0.5) / 10^n.
      const x = sub(e.args[0]!)
      const digits = e.args[1]
      const n = digits?.kind === 'literal' && digits.type === 'number' ? digits.value : 0
      const scale = p.param({ value: 10 ** n, type: 'number' })
      const half = p.param({ value: 0.5, type: 'number' })
      const dx: SqlExpr = { kind: 'cast', item: x, type: 'number' }
      const mag: SqlExpr = {
        kind: 'arith',
        op: '/',
        left: fn('floor', {
          kind: 'arith',
          op: '+',
          left: { kind: 'arith', op: '*', left: fn('abs', dx), right: scale, type: 'number' },
          right: half,
          type: 'number',
        }),
        right: scale,
        type: 'number',
      }
      return {
        kind: 'case',
        whens: [
          {
            when: { kind: 'cmp', op: '<', left: dx, right: { kind: 'lit', value: 0 } },
            result: { kind: 'neg', item: mag },
          },
        ],
        else: mag,
      }
    }
    case 'floor':
    case 'ceil':
      return resultType === 'integer' ? sub(e.args[0]!) : fn(e.name, ...args())
    case 'dateAdd': {
      const n = sub(e.args[1]!)
      const planned: SqlExpr = {
        kind: 'dateAdd',
        unit: unit(),
        n,
        item: sub(e.args[2]!),
        type: resultType === 'date' ? 'date' : 'timestamp',
      }
      // A literal amount was bounded by the checker; a computed one out of range gives NULL.
      if (integerLiteral(e.args[1]) !== undefined) return planned
      const max = p.param({ value: DATE_ADD_LIMITS[unit()]!, type: 'integer' })
      return guard([{ kind: 'cmp', op: '<=', left: fn('abs', n), right: max }], planned)
    }
    case 'substr': {
      // Positions from 1, lengths from 0, both 32-bit: outside that the result is NULL on every
      // engine (they disagree on 0, negative and huge positions, or fail).
      const a = args()
      const checks: SqlExpr[] = []
      const bounded = (x: Expr, arg: SqlExpr, min: number) => {
        if (integerLiteral(x) !== undefined) return
        checks.push({ kind: 'cmp', op: '>=', left: arg, right: p.param({ value: min, type: 'integer' }) })
        checks.push({
          kind: 'cmp',
          op: '<=',
          left: arg,
          right: p.param({ value: SUBSTR_LIMIT, type: 'integer' }),
        })
      }
      bounded(e.args[1]!, a[1]!, 1)
      if (e.args[2] !== undefined) bounded(e.args[2], a[2]!, 0)
      return guard(checks, fn('substr', ...a))
    }
    case 'truncate':
      return {
        kind: 'truncate',
        unit: unit(),
        item: sub(e.args[1]!),
        type: resultType === 'date' ? 'date' : 'timestamp',
      }
    case 'normaliseEmail':
      return fn('lower', fn('trim', sub(e.args[0]!)))
    case 'normalisePhone':
      return planPhone(sub(e.args[0]!), e.args[1] === undefined ? undefined : sub(e.args[1]), p)
    default:
      return fn(e.name as SqlFn, ...args())
  }
}

/**
 * normalisePhone in SQL, an approximation of the E.164 normaliser: keep the digits; a leading "+"
 * or "00" means the number is international; a leading "0" is replaced by the default calling code.
 */
function planPhone(s: SqlExpr, code: SqlExpr | undefined, p: Planner): SqlExpr {
  const digits = fn('digits', s)
  const plus = str(p, '+')
  const whens: { when: SqlExpr; result: SqlExpr }[] = [
    {
      when: or([
        { kind: 'isNull', item: s, negate: false },
        { kind: 'cmp', op: '=', left: digits, right: str(p, '') },
      ]),
      result: { kind: 'lit', value: null },
    },
    { when: fn('startsWith', fn('trim', s), str(p, '+')), result: fn('concat', plus, digits) },
    {
      when: fn('startsWith', digits, str(p, '00')),
      result: fn('concat', str(p, '+'), fn('substr', digits, p.param({ value: 3, type: 'integer' }))),
    },
  ]
  if (code !== undefined)
    whens.push({
      when: fn('startsWith', digits, str(p, '0')),
      result: fn(
        'concat',
        str(p, '+'),
        fn('digits', code),
        fn('substr', digits, p.param({ value: 2, type: 'integer' })),
      ),
    })
  return { kind: 'case', whens, else: fn('concat', str(p, '+'), digits) }
}

/** An aggregate over a 1-N link: a LEFT JOIN to one grouped subquery, so engines hash-join it once. */
function planAggregate(e: Extract<Expr, { kind: 'call' }>, info: Map<Expr, NodeInfo>, scope: Scope): SqlExpr {
  const p = scope.planner
  const rel = info.get(e)!.link!
  const inner = scope.linkSubquery(rel)
  const keys = inner.query.columns.map((c, i) => ({ expr: c.expr, as: `k${i}` }))
  const arg = e.args[0]!
  const field = info.get(arg)?.field
  const value: SqlExpr = {
    kind: 'agg',
    fn: e.name as 'count' | 'sum' | 'avg' | 'min' | 'max',
    arg: field === undefined ? undefined : inner.col(field),
  }
  inner.query.columns = [...keys, { expr: value, as: 'v' }]
  inner.query.groupBy = keys.map((k) => k.expr)
  if (e.where !== undefined) inner.query.where = planExpr(e.where, info, inner)
  const alias = p.alias()
  const outer = scope.linkKeys(rel)
  scope.query.joins.push({
    source: { kind: 'derived', query: inner.query, alias },
    on: and(
      outer.map((o, i) => ({
        kind: 'cmp',
        op: '=',
        left: o,
        right: { kind: 'col', alias, column: `k${i}` },
      })),
    ),
  })
  const v: SqlExpr = { kind: 'col', alias, column: 'v' }
  // No linked rows: count and sum are 0, the others are empty.
  return e.name === 'count' || e.name === 'sum' ? fn('coalesce', v, { kind: 'lit', value: 0 }) : v
}
