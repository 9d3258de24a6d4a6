import { type Issue, isIdentifier } from '@ahub/core'
import { ident } from '@ahub/store'
import { z } from 'zod'
import { type Fragment, combine as joinSql, keyJoin, seededOrder } from '../sql'
import { createWorkTable, expressionIssues, expressionSelect, expressionText, single } from './common'
import { DEFAULT_RETRY, defineActivity, type ExecuteContext } from './types'

const Method = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('random') }).strict(),
  z
    .object({
      kind: z.literal('expression'),
      expression: expressionText(),
      keep: z.enum(['smallest', 'largest']),
    })
    .strict(),
  z.object({ kind: z.literal('non_empty'), fields: z.array(z.string()).min(1).max(20) }).strict(),
  z
    .object({
      kind: z.literal('priority'),
      field: z.string(),
      values: z
        .array(z.union([z.string(), z.number(), z.boolean()]))
        .min(1)
        .max(1000),
    })
    .strict(),
])

const Options = z
  .object({
    /** Fields (of the dimension or columns added upstream) that identify duplicates, in order. */
    fields: z.array(z.string()).min(1).max(20),
    /** How many members to keep per group of duplicates; 0 keeps all. */
    keep: z.number().int().min(0).default(1),
    method: Method.default({ kind: 'random' }),
    /** Emit `complement`: the removed duplicates. */
    complement: z.boolean().default(false),
  })
  .strict()
type Options = z.infer<typeof Options>

/**
 * Deduplication: members sharing every `fields` value form a group; `keep` of each group stay,
 * chosen by `method`. A member with an empty value in any field is never a duplicate.
 */
export const deduplication = defineActivity({
  type: 'deduplication',
  options: Options,
  inputs: { min: 1, max: 1 },
  producesPopulation: true,
  needsPopulation: true,
  outlets: (o) => (o.complement ? ['out', 'complement'] : ['out']),
  retry: DEFAULT_RETRY,
  check(o, ctx) {
    const table = ctx.tables[ctx.dimension]
    const known = (f: string) =>
      ctx.addedColumns.has(f) || (table?.fields[f] !== undefined && isIdentifier(f))
    const issues: Issue[] = []
    o.fields.forEach((f, i) => {
      if (!known(f))
        issues.push({ path: ['fields', i], code: 'RULE_UNKNOWN_FIELD', message: `Unknown field "${f}"` })
    })
    const m = o.method
    if (m.kind === 'expression')
      issues.push(...expressionIssues(m.expression, ctx.compile, ['method', 'expression']))
    if (m.kind === 'non_empty')
      m.fields.forEach((f, i) => {
        if (!known(f))
          issues.push({
            path: ['method', 'fields', i],
            code: 'RULE_UNKNOWN_FIELD',
            message: `Unknown field "${f}"`,
          })
      })
    if (m.kind === 'priority' && !known(m.field))
      issues.push({
        path: ['method', 'field'],
        code: 'RULE_UNKNOWN_FIELD',
        message: `Unknown field "${m.field}"`,
      })
    return issues
  },
  async execute(ctx) {
    const input = single(ctx.inputs)
    const o = ctx.options
    const own = new Set(await ctx.columns(input))
    const dim = `${ident(ctx.compile.namespace)}.${ident(ctx.compile.dimension)}`
    const col = (f: string) => (own.has(f) ? `w.${ident(f)}` : `d.${ident(f)}`)
    const needsDim = [...o.fields, ...methodFields(o)].some((f) => !own.has(f))
    const order = orderFragment(ctx, o, col)
    const groups = o.fields.map(col).join(', ')
    const anyEmpty = o.fields.map((f) => `${col(f)} IS NULL`).join(' OR ')
    const ranked = joinSql([
      `SELECT w.*, CASE WHEN ${anyEmpty} THEN 1 ELSE row_number() OVER (PARTITION BY ${groups} ORDER BY `,
      order.order,
      `) END AS "_rank" FROM ${input} AS w`,
      needsDim ? ` LEFT JOIN ${dim} AS d ON ${keyJoin(ctx.keys, 'd', 'w')}` : '',
      order.join,
    ])
    const out = ctx.outTable('out')
    await ctx.session.run(`CREATE OR REPLACE TEMP TABLE "_ranked" AS ${ranked.sql}`, ranked.params)
    const kept = o.keep === 0 ? 'TRUE' : `"_rank" <= ${o.keep}`
    await createWorkTable(ctx, out, `SELECT * EXCLUDE ("_rank") FROM "_ranked" WHERE ${kept}`)
    const result: Record<string, string> = { out }
    if (o.complement) {
      result.complement = ctx.outTable('complement')
      await createWorkTable(
        ctx,
        result.complement,
        `SELECT * EXCLUDE ("_rank") FROM "_ranked" WHERE NOT (${kept})`,
      )
    }
    await ctx.session.run('DROP TABLE IF EXISTS "_ranked"')
    return result
  },
})

function methodFields(o: Options): string[] {
  if (o.method.kind === 'non_empty') return o.method.fields
  if (o.method.kind === 'priority') return [o.method.field]
  return []
}

/** The ORDER BY of a group (best first, ties broken by a per-run random order) and any join it needs. */
function orderFragment(
  ctx: ExecuteContext<unknown>,
  o: Options,
  col: (f: string) => string,
): { order: Fragment; join: Fragment | string } {
  const tie = seededOrder(ctx.keys, 'w', `${ctx.runId}/${ctx.activity.id}`)
  const m = o.method
  switch (m.kind) {
    case 'random':
      return { order: tie, join: '' }
    case 'expression': {
      const e = expressionSelect(m.expression, ctx)
      return {
        order: joinSql([`"_e"."value" ${m.keep === 'smallest' ? 'ASC' : 'DESC'} NULLS LAST, `, tie]),
        join: joinSql([' LEFT JOIN (', e, `) AS "_e" ON ${keyJoin(ctx.keys, '"_e"', 'w')}`]),
      }
    }
    case 'non_empty':
      return {
        order: joinSql([
          m.fields.map((f) => `(${col(f)} IS NULL OR CAST(${col(f)} AS VARCHAR) = '')`).join(', '),
          ', ',
          tie,
        ]),
        join: '',
      }
    case 'priority': {
      const cases = m.values
        .map((_, i) => `WHEN CAST(${col(m.field)} AS VARCHAR) = $${i + 1} THEN ${i}`)
        .join(' ')
      return {
        order: joinSql([
          { sql: `CASE ${cases} ELSE ${m.values.length} END`, params: m.values.map((v) => String(v)) },
          ', ',
          tie,
        ]),
        join: '',
      }
    }
  }
}
