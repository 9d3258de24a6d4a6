import { AppError, type Issue, isAppError } from '@ahub/core'
import { compileExpression } from '@ahub/query'
import { ident, type SqlValue } from '@ahub/store'
import { z } from 'zod'
import { type Fragment, combine as joinSql } from '../sql'
import { createWorkTable, single } from './common'
import { DEFAULT_RETRY, defineActivity, type ExecuteContext } from './types'

const Column = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a column name')

const Options = z
  .object({
    /** The dimension incoming rows become members of. */
    dimension: z.string().regex(/^[a-z][a-z0-9_]*$/),
    /** Incoming column = dimension field, compared as text; all must hold. */
    rules: z
      .array(z.object({ column: Column, field: z.string().regex(/^[a-z][a-z0-9_]*$/) }).strict())
      .min(1)
      .max(20)
      .optional(),
    /** Or a boolean expression over the dimension where `@column` is the incoming row's column, as text. */
    condition: z.string().min(1).max(4000).optional(),
    /** Emit `unreconciled`: the incoming rows that matched no member (raw rows). */
    keepUnreconciled: z.boolean().default(true),
  })
  .strict()
  .refine((o) => (o.rules === undefined) !== (o.condition === undefined), {
    message: 'give rules or a condition',
  })
type Options = z.infer<typeof Options>

/** Marks an incoming column inside a compiled condition (a value no user types). */
const MARK = '\u001f@'

/** `@column` outside string literals replaced by a marked string literal. */
function markColumns(text: string): { text: string; columns: string[] } {
  const columns: string[] = []
  let out = ''
  let i = 0
  while (i < text.length) {
    if (text[i] === "'") {
      let j = i + 1
      while (j < text.length && !(text[j] === "'" && text[j + 1] !== "'")) j += text[j] === "'" ? 2 : 1
      out += text.slice(i, j + 1)
      i = j + 1
      continue
    }
    const m = text[i] === '@' ? /^@([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i)) : null
    if (!m) {
      out += text[i]
      i++
      continue
    }
    columns.push(m[1]!)
    out += `'${MARK}${m[1]}'`
    i += m[0].length
  }
  return { text: out, columns }
}

/**
 * Reconciliation: turns incoming rows (a file audience's identifiers, rows of another table) into
 * members of a dimension, by rules pairing columns to fields or by a condition. A member matched
 * by several rows keeps the first; unmatched rows go to `unreconciled` (on by default).
 */
export const reconciliation = defineActivity({
  type: 'reconciliation',
  options: Options,
  inputs: { min: 1, max: 1 },
  producesPopulation: true,
  needsPopulation: true,
  acceptsRaw: true,
  rawOutlets: ['unreconciled'],
  outlets: (o) => (o.keepUnreconciled ? ['out', 'unreconciled'] : ['out']),
  retry: DEFAULT_RETRY,
  outputDimension: (o) => o.dimension,
  check(o, ctx): Issue[] {
    const table = ctx.tables[o.dimension]
    if (!table)
      return [{ path: ['dimension'], code: 'CAMPAIGN_WRONG_DIMENSION', message: `No table "${o.dimension}"` }]
    const issues: Issue[] = []
    o.rules?.forEach((r, i) => {
      if (!table.fields[r.field])
        issues.push({
          path: ['rules', i, 'field'],
          code: 'RULE_UNKNOWN_FIELD',
          message: `No field "${r.field}" on ${o.dimension}`,
        })
    })
    if (o.condition !== undefined) {
      const marked = markColumns(o.condition)
      try {
        const c = compileExpression(marked.text, { ...ctx.compile, dimension: o.dimension })
        if (c.type !== 'boolean')
          issues.push({
            path: ['condition'],
            code: 'EXPR_TYPE',
            message: 'The condition must be true or false',
          })
        if (marked.columns.length === 0)
          issues.push({
            path: ['condition'],
            code: 'CAMPAIGN_BAD_OPTIONS',
            message: 'The condition names no incoming column (@column)',
          })
      } catch (e) {
        if (!isAppError(e)) throw e
        issues.push({ path: ['condition'], code: e.code, message: e.message })
      }
    }
    return issues
  },
  async execute(ctx) {
    const input = single(ctx.inputs)
    const o = ctx.options
    const incoming = await ctx.columns(input)
    const named = [
      ...(o.rules?.map((r) => r.column) ?? []),
      ...(o.condition ? markColumns(o.condition).columns : []),
    ]
    const missing = named.find((c) => !incoming.includes(c))
    if (missing)
      throw new AppError('CAMPAIGN_INVALID', `The incoming population has no column "${missing}"`, {
        details: { column: missing, columns: incoming },
      })
    await ctx.session.run(
      `CREATE OR REPLACE TEMP TABLE "_rin" AS SELECT row_number() OVER () AS "_row", * FROM ${input}`,
    )
    const keys = ctx.keys.map((k) => `d.${ident(k)}`).join(', ')
    const clash = incoming.filter((c) => ctx.keys.includes(c))
    const carried = `w.* EXCLUDE (${['_row', ...clash].map(ident).join(', ')})`
    const matches = matchSql(ctx, o, 'w')
    const out = ctx.outTable('out')
    const q = joinSql([
      `SELECT * EXCLUDE ("_pick") FROM (SELECT ${keys}, ${carried},
         row_number() OVER (PARTITION BY ${keys} ORDER BY w."_row") AS "_pick" FROM "_rin" AS w `,
      matches,
      ') WHERE "_pick" = 1',
    ])
    await createWorkTable(ctx, out, q.sql, q.params)
    const result: Record<string, string> = { out }
    if (o.keepUnreconciled) {
      result.unreconciled = ctx.outTable('unreconciled')
      const u = joinSql([
        `SELECT w.* EXCLUDE ("_row") FROM "_rin" AS w
           WHERE w."_row" NOT IN (SELECT m."_row" FROM "_rin" AS m `,
        matchSql(ctx, o, 'm'),
        ')',
      ])
      await createWorkTable(ctx, result.unreconciled, u.sql, u.params)
    }
    await ctx.session.run('DROP TABLE IF EXISTS "_rin"')
    return result
  },
})

/** `JOIN <dimension> AS d ON <pairs>`, or a lateral join on the condition, matching the incoming row `row`. */
function matchSql(ctx: ExecuteContext<Options>, o: Options, row: string): Fragment {
  const dim = `${ident(ctx.compile.namespace)}.${ident(o.dimension)}`
  if (o.rules)
    return {
      sql: `JOIN ${dim} AS d ON ${o.rules
        .map((r) => `CAST(d.${ident(r.field)} AS VARCHAR) = CAST(${row}.${ident(r.column)} AS VARCHAR)`)
        .join(' AND ')}`,
      params: [],
    }
  const c = compileExpression(markColumns(o.condition!).text, ctx.compile)
  // Marked parameters become references to the incoming row; the others are renumbered.
  const params: SqlValue[] = []
  const index = new Map<number, string>()
  c.params.forEach((p, i) => {
    const v = p.value
    if (typeof v === 'string' && v.startsWith(MARK))
      index.set(i + 1, `CAST(${row}.${ident(v.slice(MARK.length))} AS VARCHAR)`)
    else {
      params.push(v as SqlValue)
      index.set(i + 1, `$${params.length}`)
    }
  })
  const select = c.select.replace(/;\s*$/, '').replace(/\$(\d+)/g, (_, n: string) => index.get(Number(n))!)
  const keys = ctx.keys.map((k) => `c.${ident(k)}`).join(', ')
  return { sql: `JOIN LATERAL (SELECT ${keys} FROM (${select}) AS c WHERE c."value") AS d ON TRUE`, params }
}
