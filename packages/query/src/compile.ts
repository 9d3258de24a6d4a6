import { AppError } from '@ahub/core'
import type { CompileContext, CompiledQuery, RuleIssue } from './context'
import { dialectFor } from './dialects'
import { checkExpression, type ExprType } from './expr/check'
import { parseExpression } from './expr/parser'
import { lower } from './rule/lower'
import { bindRule } from './rule/validate'
import { SchemaView } from './schema-scope'
import type { Select, SqlExpr } from './sql/ast'
import { Planner, planCore, planExpr, type Scope } from './sql/plan'
import { Printer } from './sql/print'

function invalid(issues: RuleIssue[]): never {
  const first = issues[0]
  throw new AppError(
    'RULE_INVALID',
    `The rule has ${issues.length} problem(s)${first ? `; first: ${first.message}` : ''}`,
    {
      details: { issues },
    },
  )
}

/** Validates, lowers and plans a rule into a WHERE expression over a scope on the dimension. */
function planRule(rule: unknown, ctx: CompileContext): { planner: Planner; scope: Scope; where: SqlExpr } {
  const { issues, bound } = bindRule(rule, ctx)
  if (bound === undefined) invalid(issues)
  const planner = new Planner(ctx, new SchemaView(ctx.tables))
  const scope = planner.scope(ctx.dimension)
  const where = planCore(lower(bound), scope)
  return { planner, scope, where }
}

function print(q: Select, planner: Planner, ctx: CompileContext): CompiledQuery {
  const dialect = dialectFor(ctx.dialect)
  const sql = new Printer(dialect, planner.params).select(q) + dialect.statementSuffix
  return { sql, params: planner.params }
}

/** Compiles a rule to a SELECT of the dimension's primary-key columns (one row per member). */
export function compileRule(rule: unknown, ctx: CompileContext): CompiledQuery {
  const { planner, scope, where } = planRule(rule, ctx)
  const q = scope.query
  q.columns = scope.primaryKey().map((expr) => ({ expr, as: expr.kind === 'col' ? expr.column : undefined }))
  q.where = where
  return print(q, planner, ctx)
}

/** Compiles a rule to `SELECT count(*) AS count` of its members. */
export function compileCount(rule: unknown, ctx: CompileContext): CompiledQuery {
  const { planner, scope, where } = planRule(rule, ctx)
  const q = scope.query
  q.columns = [{ expr: { kind: 'agg', fn: 'count', arg: undefined }, as: 'count' }]
  q.where = where
  return print(q, planner, ctx)
}

/** The top values of a field among the rule's members (all rows when rule is null): columns value, count. */
export function compileDistribution(
  rule: unknown | null,
  field: string,
  ctx: CompileContext,
  limit = 20,
): CompiledQuery {
  const schema = new SchemaView(ctx.tables)
  const f = schema.field(ctx.dimension, field)
  const issues: RuleIssue[] = []
  if (!f.ok) issues.push({ path: ['field'], code: f.code, message: f.message })
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000)
    issues.push({
      path: ['limit'],
      code: 'RULE_VALUE_TOO_LARGE',
      message: 'limit must be an integer from 1 to 10000',
    })
  if (!f.ok || issues.length > 0) invalid(issues)
  const planned =
    rule === null
      ? (() => {
          const planner = new Planner(ctx, schema)
          return { planner, scope: planner.scope(ctx.dimension), where: undefined }
        })()
      : planRule(rule, ctx)
  const { planner, scope } = planned
  const value = scope.col(f.value)
  const count: SqlExpr = { kind: 'agg', fn: 'count', arg: undefined }
  const q = scope.query
  q.columns = [
    { expr: value, as: 'value' },
    { expr: count, as: 'count' },
  ]
  q.where = planned.where
  q.groupBy = [value]
  q.orderBy = [
    { expr: count, desc: true },
    { expr: value, desc: false },
  ]
  q.limit = limit
  return print(q, planner, ctx)
}

/** A compiled expression: `sql` is the bare fragment over `from` (table alias `alias`), `select` a full statement. */
export interface CompiledExpression extends CompiledQuery {
  type: ExprType
  alias: string
  /** FROM clause with any joins the expression needs (1-1 / N-1 paths, 1-N aggregates). */
  from: string
  /** `SELECT <primary key>, <expression> AS value FROM ...`, runnable as is. */
  select: string
}

/** Parses, type-checks and compiles an expression over `ctx.table` (default: the dimension). */
export function compileExpression(
  text: string,
  ctx: CompileContext & { table?: string },
): CompiledExpression {
  const table = ctx.table ?? ctx.dimension
  const schema = new SchemaView(ctx.tables)
  if (schema.table(table) === undefined) throw new AppError('RULE_UNKNOWN_FIELD', `Unknown table "${table}"`)
  const expr = parseExpression(text)
  const checked = checkExpression(expr, { schema, table, allowWindow: true })
  const first = checked.issues[0]
  if (first !== undefined) {
    const issues = checked.issues.map((i) => ({
      path: [],
      code: i.code,
      message: i.message,
      line: i.pos.line,
      column: i.pos.column,
    }))
    throw new AppError(
      isExprCode(first.code) ? first.code : 'RULE_INVALID',
      `${first.message} at line ${first.pos.line}, column ${first.pos.column}`,
      { details: { line: first.pos.line, column: first.pos.column, issues } },
    )
  }
  const planner = new Planner(ctx, schema)
  const scope = planner.scope(table)
  const planned = planExpr(expr, checked.info, scope)
  // Predicates are UInt8 on ClickHouse: a cast makes boolean results booleans on every engine.
  const fragment: SqlExpr =
    checked.type === 'boolean' ? { kind: 'cast', item: planned, type: 'boolean' } : planned
  const dialect = dialectFor(ctx.dialect)
  const printer = new Printer(dialect, planner.params)
  const sql = printer.expr(fragment)
  const q = scope.query
  q.columns = [
    ...scope.primaryKey().map((e) => ({ expr: e, as: e.kind === 'col' ? e.column : undefined })),
    { expr: fragment, as: 'value' },
  ]
  const select = printer.select(q) + dialect.statementSuffix
  const from = printer.select({ ...q, columns: [] }).replace(/^SELECT 1 /, '')
  return { sql, params: planner.params, type: checked.type, alias: scope.ref.alias, from, select }
}

function isExprCode(
  code: string,
): code is
  | 'EXPR_TYPE'
  | 'EXPR_UNKNOWN_FUNCTION'
  | 'RULE_UNKNOWN_FIELD'
  | 'RULE_NOT_A_LINK'
  | 'RULE_VALUE_OUT_OF_RANGE' {
  return [
    'EXPR_TYPE',
    'EXPR_UNKNOWN_FUNCTION',
    'RULE_UNKNOWN_FIELD',
    'RULE_NOT_A_LINK',
    'RULE_VALUE_OUT_OF_RANGE',
  ].includes(code)
}
