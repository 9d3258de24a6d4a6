import type { SqlParamType } from '../context'

/** Functions the planner may use; each dialect prints them its own way. */
export type SqlFn =
  | 'lower'
  | 'upper'
  | 'trim'
  | 'concat'
  | 'substr'
  | 'length'
  | 'replace'
  | 'startsWith'
  | 'contains'
  | 'abs'
  | 'floor'
  | 'ceil'
  | 'least'
  | 'greatest'
  | 'coalesce'
  | 'year'
  | 'month'
  | 'day'
  | 'daysBetween'
  | 'sha256'
  | 'digits'

export type DatePart = 'day' | 'week' | 'month' | 'year'
export type CmpOp = '=' | '<>' | '<' | '<=' | '>' | '>='
export type ArithOp = '+' | '-' | '*' | '/' | '%'

/** A SQL expression: plain frozen data with a `kind`, printed by a dialect. */
export type SqlExpr =
  | { kind: 'col'; alias: string; column: string }
  | { kind: 'param'; index: number }
  | { kind: 'lit'; value: null | boolean | number }
  | { kind: 'cmp'; op: CmpOp; left: SqlExpr; right: SqlExpr }
  | { kind: 'arith'; op: ArithOp; left: SqlExpr; right: SqlExpr; type: 'integer' | 'number' }
  | { kind: 'neg'; item: SqlExpr }
  | { kind: 'and' | 'or'; items: SqlExpr[] }
  | { kind: 'not'; item: SqlExpr }
  | { kind: 'isNull'; item: SqlExpr; negate: boolean }
  | { kind: 'in'; item: SqlExpr; list: SqlExpr[]; negate: boolean }
  | { kind: 'like'; item: SqlExpr; pattern: SqlExpr; negate: boolean }
  | { kind: 'fn'; fn: SqlFn; args: SqlExpr[] }
  | { kind: 'dateAdd'; unit: DatePart; n: SqlExpr; item: SqlExpr; type: 'date' | 'timestamp' }
  | { kind: 'truncate'; unit: DatePart; item: SqlExpr; type: 'date' | 'timestamp' }
  | { kind: 'case'; whens: { when: SqlExpr; result: SqlExpr }[]; else: SqlExpr | undefined }
  | { kind: 'agg'; fn: 'count' | 'sum' | 'avg' | 'min' | 'max'; arg: SqlExpr | undefined }
  | { kind: 'window'; fn: 'rank' | 'rowNumber'; partitionBy: SqlExpr[]; orderBy: SqlOrder[] }
  | { kind: 'cast'; item: SqlExpr; type: SqlParamType }
  /** Membership of the outer keys in the key columns of `query`; dialects print IN or EXISTS. */
  | { kind: 'semi'; keys: SqlExpr[]; query: Select; negate: boolean }

export interface SqlOrder {
  expr: SqlExpr
  desc: boolean
}

export interface TableRef {
  kind: 'table'
  namespace: string
  table: string
  alias: string
}

export interface Join {
  source: TableRef | { kind: 'derived'; query: Select; alias: string }
  on: SqlExpr
}

export interface Select {
  kind: 'select'
  columns: { expr: SqlExpr; as: string | undefined }[]
  from: TableRef
  joins: Join[]
  where: SqlExpr | undefined
  groupBy: SqlExpr[]
  having: SqlExpr | undefined
  orderBy: SqlOrder[]
  limit: number | undefined
}

/** An empty SELECT from one table; the planner fills it in. */
export function select(from: TableRef): Select {
  return {
    kind: 'select',
    columns: [],
    from,
    joins: [],
    where: undefined,
    groupBy: [],
    having: undefined,
    orderBy: [],
    limit: undefined,
  }
}

/** AND of the items, dropping nothing and flattening nested ANDs. */
export function and(items: SqlExpr[]): SqlExpr {
  const flat = items.flatMap((i) => (i.kind === 'and' ? i.items : [i]))
  if (flat.length === 0) return { kind: 'lit', value: true }
  if (flat.length === 1) return flat[0]!
  return { kind: 'and', items: flat }
}

/** OR of the items, flattening nested ORs. */
export function or(items: SqlExpr[]): SqlExpr {
  const flat = items.flatMap((i) => (i.kind === 'or' ? i.items : [i]))
  if (flat.length === 0) return { kind: 'lit', value: false }
  if (flat.length === 1) return flat[0]!
  return { kind: 'or', items: flat }
}
