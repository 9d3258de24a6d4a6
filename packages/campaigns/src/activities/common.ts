import { AppError, type Issue, isAppError } from '@ahub/core'
import { type CompileContext, compileExpression, type RuleIssue, validateRule } from '@ahub/query'
import { ident, type SqlValue } from '@ahub/store'
import { z } from 'zod'
import { type Fragment, fragment } from '../sql'
import type { ExecuteContext, InputTable } from './types'

/** A column name an activity adds to a work table. */
export const ColumnName = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _')

/**
 * Expression text (docs/rules.md expressions over the activity's dimension). The `x-expression`
 * mark reaches the options' JSON Schema, where the canvas draws an expression editor for it.
 */
export function expressionText(max = 4000) {
  return z.string().min(1).max(max).meta({ 'x-expression': true })
}

/**
 * A rule (docs/rules.md), checked by the activity against the schema rather than by zod. The
 * `x-rule` mark reaches the options' JSON Schema, where the canvas draws the rule builder for it.
 */
export function ruleValue() {
  return z.unknown().meta({ 'x-rule': true })
}

/** The only input's table; a missing population is a bug of the graph checks, reported as such. */
export function single(inputs: InputTable[]): string {
  const t = inputs[0]?.table
  if (!t) throw new AppError('CAMPAIGN_INVALID', 'The activity has no incoming population')
  return t
}

/** The table of a chosen input (`primary`) or the first one. */
export function primaryInput(inputs: InputTable[], primary: string | undefined): InputTable {
  const found = primary === undefined ? inputs[0] : inputs.find((i) => i.transition === primary)
  if (!found?.table) throw new AppError('CAMPAIGN_INVALID', `No population on input "${primary ?? 'first'}"`)
  return found
}

/** Rule issues with their path placed under `prefix`. */
export function ruleIssues(rule: unknown, ctx: CompileContext, prefix: (string | number)[]): Issue[] {
  return validateRule(rule, ctx).map((i: RuleIssue) => ({ ...i, path: [...prefix, ...i.path] }))
}

/** Problems of an expression (parse, type, unknown field) as issues at `path`. */
export function expressionIssues(text: string, ctx: CompileContext, path: (string | number)[]): Issue[] {
  try {
    compileExpression(text, ctx)
    return []
  } catch (e) {
    if (!isAppError(e)) throw e
    return [{ path, code: e.code, message: e.message }]
  }
}

/** A compiled expression over the dimension as `SELECT <keys>, value`, to be joined on the member keys. */
export function expressionSelect(text: string, ctx: ExecuteContext<unknown>): Fragment {
  const c = compileExpression(text, ctx.compile)
  return fragment({ sql: c.select, params: c.params })
}

/** Column types DESCRIBE prints that may be written back into a table definition as they are. */
const PLAIN_TYPE =
  /^(VARCHAR|BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DATE|TIMESTAMP|TIMESTAMP WITH TIME ZONE|DECIMAL\(\d{1,2},\d{1,2}\))$/

/**
 * Creates (or replaces) the work table `table` with the rows of `select`. A work table holds one
 * row per member, so its text key columns hold distinct values: FSST is named for them up front,
 * which spares the engine trying a dictionary on every write (about a third of writing half a
 * million keys). The columns are declared from the query's own types when all of them are plain
 * scalar types; otherwise (an ENUM, a list) the engine types and compresses the table itself.
 */
export async function createWorkTable(
  ctx: Pick<ExecuteContext<unknown>, 'session' | 'keys'>,
  table: string,
  select: string,
  params: SqlValue[] = [],
): Promise<void> {
  const cols = await ctx.session.query<{ column_name: string; column_type: string }>(
    `DESCRIBE ${select}`,
    params,
  )
  const keys = new Set(ctx.keys)
  const textKey = (c: { column_name: string; column_type: string }) =>
    keys.has(c.column_name) && c.column_type === 'VARCHAR'
  if (!cols.some(textKey) || !cols.every((c) => PLAIN_TYPE.test(c.column_type))) {
    await ctx.session.run(`CREATE OR REPLACE TABLE ${table} AS ${select}`, params)
    return
  }
  const defs = cols.map(
    (c) => `${ident(c.column_name)} ${c.column_type}${textKey(c) ? ' USING COMPRESSION fsst' : ''}`,
  )
  await ctx.session.run(`CREATE OR REPLACE TABLE ${table} (${defs.join(', ')})`)
  await ctx.session.run(`INSERT INTO ${table} ${select}`, params)
}
