import { assertNever } from '@ahub/core'
import type { SqlParam } from '../context'
import type { Dialect } from '../dialects/dialect'
import type { Select, SqlExpr, TableRef } from './ast'

/** Prints SQL AST nodes for one dialect; parameter types come from the bound values. */
export class Printer {
  constructor(
    readonly dialect: Dialect,
    readonly params: SqlParam[],
  ) {}

  private table(t: TableRef): string {
    const d = this.dialect
    return `${d.ident(t.namespace)}.${d.ident(t.table)} AS ${d.ident(t.alias)}`
  }

  /** Prints a SELECT (without the statement suffix). */
  select(q: Select, extraWhere: SqlExpr[] = []): string {
    const d = this.dialect
    const cols = q.columns.map((c) =>
      c.as === undefined ? this.expr(c.expr) : `${this.expr(c.expr)} AS ${d.ident(c.as)}`,
    )
    let sql = `SELECT ${cols.length > 0 ? cols.join(', ') : '1'} FROM ${this.table(q.from)}`
    for (const j of q.joins) {
      const src =
        j.source.kind === 'table'
          ? this.table(j.source)
          : `(${this.select(j.source.query)}) AS ${d.ident(j.source.alias)}`
      sql += ` LEFT JOIN ${src} ON ${this.expr(j.on)}`
    }
    const where = [...(q.where === undefined ? [] : [q.where]), ...extraWhere]
    if (where.length > 0) sql += ` WHERE ${where.map((w) => this.expr(w)).join(' AND ')}`
    if (q.groupBy.length > 0) sql += ` GROUP BY ${q.groupBy.map((g) => this.expr(g)).join(', ')}`
    if (q.having !== undefined) sql += ` HAVING ${this.expr(q.having)}`
    if (q.orderBy.length > 0)
      sql += ` ORDER BY ${q.orderBy.map((o) => `${this.expr(o.expr)}${o.desc ? ' DESC' : ''}`).join(', ')}`
    if (q.limit !== undefined) sql += ` LIMIT ${Math.trunc(q.limit)}`
    return sql
  }

  /** Prints one expression; compound results are parenthesised. */
  expr(e: SqlExpr): string {
    const d = this.dialect
    switch (e.kind) {
      case 'col':
        return `${d.ident(e.alias)}.${d.ident(e.column)}`
      case 'param':
        return d.placeholder(e.index, this.params[e.index - 1]!.type)
      case 'lit':
        if (e.value === null) return 'NULL'
        if (typeof e.value === 'boolean') return d.boolean(e.value)
        return String(Number(e.value))
      case 'cmp':
        return `(${this.expr(e.left)} ${e.op} ${this.expr(e.right)})`
      case 'arith':
        return `(${this.expr(e.left)} ${e.op} ${this.expr(e.right)})`
      case 'neg':
        return `(- ${this.expr(e.item)})`
      case 'and':
      case 'or':
        return `(${e.items.map((i) => this.expr(i)).join(e.kind === 'and' ? ' AND ' : ' OR ')})`
      case 'not':
        return `(NOT ${this.expr(e.item)})`
      case 'isNull':
        return `(${this.expr(e.item)} IS ${e.negate ? 'NOT ' : ''}NULL)`
      case 'in':
        return `(${this.expr(e.item)} ${e.negate ? 'NOT IN' : 'IN'} (${e.list.map((i) => this.expr(i)).join(', ')}))`
      case 'like':
        return d.like(this.expr(e.item), this.expr(e.pattern), e.negate)
      case 'fn':
        return d.fn(
          e.fn,
          e.args.map((a) => this.expr(a)),
        )
      case 'dateAdd':
        return d.dateAdd(e.unit, this.expr(e.n), this.expr(e.item), e.type)
      case 'truncate':
        return d.truncate(e.unit, this.expr(e.item), e.type)
      case 'case': {
        const whens = e.whens.map((w) => `WHEN ${this.expr(w.when)} THEN ${this.expr(w.result)}`).join(' ')
        return `(CASE ${whens}${e.else === undefined ? '' : ` ELSE ${this.expr(e.else)}`} END)`
      }
      case 'agg':
        return `${e.fn}(${e.arg === undefined ? '*' : this.expr(e.arg)})`
      case 'window': {
        const parts: string[] = []
        if (e.partitionBy.length > 0)
          parts.push(`PARTITION BY ${e.partitionBy.map((p) => this.expr(p)).join(', ')}`)
        if (e.orderBy.length > 0)
          parts.push(
            `ORDER BY ${e.orderBy.map((o) => `${this.expr(o.expr)}${o.desc ? ' DESC' : ''}`).join(', ')}`,
          )
        return `${d.window(e.fn)} OVER (${parts.join(' ')})`
      }
      case 'cast':
        return `CAST(${this.expr(e.item)} AS ${d.typeName(e.type)})`
      case 'semi':
        return this.semi(e)
      default:
        return assertNever(e)
    }
  }

  private semi(e: Extract<SqlExpr, { kind: 'semi' }>): string {
    const q = e.query
    const grouped = q.groupBy.length > 0 || q.having !== undefined
    const useIn = e.negate ? this.dialect.antiJoin === 'not in' : this.dialect.semiJoin === 'in' || grouped
    if (useIn) {
      const keys = e.keys.map((k) => this.expr(k))
      const lhs = keys.length === 1 ? keys[0]! : `(${keys.join(', ')})`
      return `(${lhs} ${e.negate ? 'NOT IN' : 'IN'} (${this.select(q)}))`
    }
    const not = e.negate ? 'NOT ' : ''
    if (!grouped) {
      const corr: SqlExpr[] = q.columns.map((c, i) => ({
        kind: 'cmp',
        op: '=',
        left: c.expr,
        right: e.keys[i]!,
      }))
      return `(${not}EXISTS (${this.select({ ...q, columns: [] }, corr)}))`
    }
    // A grouped anti-join: correlate on the grouped derived table so the engine can still hash it.
    const named = { ...q, columns: q.columns.map((c, i) => ({ expr: c.expr, as: `k${i}` })) }
    const alias = this.dialect.ident(`${q.from.alias}_g`)
    const corr = e.keys
      .map((k, i) => `${alias}.${this.dialect.ident(`k${i}`)} = ${this.expr(k)}`)
      .join(' AND ')
    return `(${not}EXISTS (SELECT 1 FROM (${this.select(named)}) AS ${alias} WHERE ${corr}))`
  }
}
