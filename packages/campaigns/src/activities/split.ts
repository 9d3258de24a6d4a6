import type { Issue } from '@ahub/core'
import { compileRule } from '@ahub/query'
import { ident } from '@ahub/store'
import { z } from 'zod'
import { type Fragment, fragment, combine as joinSql, keyJoin, keyList, param, seededOrder } from '../sql'
import {
  ColumnName,
  createWorkTable,
  expressionIssues,
  expressionSelect,
  expressionText,
  ruleIssues,
  ruleValue,
  single,
} from './common'
import { DEFAULT_RETRY, defineActivity, type ExecuteContext } from './types'

const Order = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('random') }).strict(),
  z
    .object({
      kind: z.literal('expression'),
      expression: expressionText(),
      direction: z.enum(['asc', 'desc']).default('asc'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('column'),
      column: ColumnName,
      direction: z.enum(['asc', 'desc']).default('asc'),
    })
    .strict(),
])

const Subset = z
  .object({
    /** Outlet name and value of the `segment_code` column. */
    code: ColumnName,
    filter: ruleValue().optional(),
    limit: z
      .object({
        count: z.number().int().min(0).optional(),
        percent: z.number().min(0).max(100).optional(),
        order: Order.default({ kind: 'random' }),
      })
      .strict()
      .refine((l) => (l.count === undefined) !== (l.percent === undefined), {
        message: 'give count or percent',
      })
      .optional(),
    /** Do not emit the subset's transition when it is empty. */
    skipWhenEmpty: z.boolean().default(false),
  })
  .strict()

const Options = z
  .object({
    subsets: z.array(Subset).min(1).max(100),
    /** Emit `complement`: the members no subset took. */
    complement: z.boolean().default(false),
    /** Every subset sees the whole population instead of what earlier subsets left. */
    overlap: z.boolean().default(false),
    /** One outlet `out` holding every subset, told apart by `segment_code` (a member may repeat with overlap). */
    oneTable: z.boolean().default(false),
  })
  .strict()
type Options = z.infer<typeof Options>
type SubsetOptions = z.infer<typeof Subset>

/** Split: ordered subsets, each a filter and an optional limit; later subsets see what earlier ones left. */
export const split = defineActivity({
  type: 'split',
  options: Options,
  inputs: { min: 1, max: 1 },
  producesPopulation: true,
  needsPopulation: true,
  outlets: (o) => [
    ...(o.oneTable ? ['out'] : o.subsets.map((s) => s.code)),
    ...(o.complement ? ['complement'] : []),
  ],
  retry: DEFAULT_RETRY,
  check(o, ctx) {
    const issues: Issue[] = []
    const codes = new Set<string>(['complement', 'out'])
    o.subsets.forEach((s, i) => {
      if (codes.has(s.code))
        issues.push({
          path: ['subsets', i, 'code'],
          code: 'CAMPAIGN_BAD_OPTIONS',
          message: `Code "${s.code}" is used twice or reserved`,
        })
      codes.add(s.code)
      if (s.filter !== undefined) issues.push(...ruleIssues(s.filter, ctx.compile, ['subsets', i, 'filter']))
      const order = s.limit?.order
      if (order?.kind === 'expression')
        issues.push(
          ...expressionIssues(order.expression, ctx.compile, ['subsets', i, 'limit', 'order', 'expression']),
        )
      if (order?.kind === 'column' && !ctx.addedColumns.has(order.column))
        issues.push({
          path: ['subsets', i, 'limit', 'order', 'column'],
          code: 'RULE_UNKNOWN_FIELD',
          message: `No column "${order.column}" added upstream (sort by a field of the dimension with an expression)`,
        })
    })
    return issues
  },
  async execute(ctx) {
    const input = single(ctx.inputs)
    const o = ctx.options
    const own = await ctx.columns(input)
    const carried = own.includes('segment_code') ? 'w.* EXCLUDE ("segment_code")' : 'w.*'
    const result: Record<string, string> = {}
    let remaining = input
    const scratch: string[] = []
    for (const [i, s] of o.subsets.entries()) {
      const table = ctx.outTable(s.code)
      const candidates = candidatesSql(ctx, s, o.overlap ? input : remaining)
      await ctx.session.run(
        `CREATE OR REPLACE TEMP TABLE "_candidates" AS ${candidates.sql}`,
        candidates.params,
      )
      const limit = await limitOf(ctx, s)
      const order = s.limit ? orderSql(ctx, s) : undefined
      const q = joinSql([
        `SELECT ${carried}, `,
        param(s.code),
        ` AS "segment_code" FROM "_candidates" AS w`,
        ...(order ? [order.join, ' ORDER BY ', order.order] : []),
        limit === undefined ? '' : ` LIMIT ${limit}`,
      ])
      await createWorkTable(ctx, table, q.sql, q.params)
      const [row] = await ctx.session.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)
      if (!(Number(row?.n) === 0 && s.skipWhenEmpty)) result[s.code] = table
      if (!o.overlap && (i < o.subsets.length - 1 || o.complement)) {
        const rest = ctx.outTable(`rest_${i}`)
        await createWorkTable(
          ctx,
          rest,
          `SELECT w.* FROM ${remaining} AS w
             WHERE NOT EXISTS (SELECT 1 FROM ${table} AS t WHERE ${keyJoin(ctx.keys, 't', 'w')})`,
        )
        scratch.push(rest)
        remaining = rest
      }
    }
    if (o.complement) {
      result.complement = ctx.outTable('complement')
      const taken = o.subsets
        .map((s) => `SELECT ${keyList(ctx.keys)} FROM ${ctx.outTable(s.code)}`)
        .join(' UNION ')
      await createWorkTable(
        ctx,
        result.complement,
        `SELECT ${carried}, CAST(NULL AS VARCHAR) AS "segment_code"
           FROM ${input} AS w WHERE NOT EXISTS (SELECT 1 FROM (${taken}) AS t WHERE ${keyJoin(ctx.keys, 't', 'w')})`,
      )
    }
    if (o.oneTable) {
      const out = ctx.outTable('out')
      await createWorkTable(
        ctx,
        out,
        `${o.subsets.map((s) => `SELECT * FROM ${ctx.outTable(s.code)}`).join(' UNION ALL ')}`,
      )
      for (const s of o.subsets) await ctx.session.run(`DROP TABLE IF EXISTS ${ctx.outTable(s.code)}`)
      for (const k of Object.keys(result)) if (k !== 'complement') delete result[k]
      result.out = out
    }
    for (const t of scratch) await ctx.session.run(`DROP TABLE IF EXISTS ${t}`)
    await ctx.session.run('DROP TABLE IF EXISTS "_candidates"')
    return result
  },
})

/** Members of `from` that pass the subset's filter. */
function candidatesSql(ctx: ExecuteContext<Options>, s: SubsetOptions, from: string): Fragment {
  if (s.filter === undefined) return { sql: `SELECT * FROM ${from}`, params: [] }
  const rule = fragment(compileRule(s.filter, ctx.compile))
  return joinSql([
    `SELECT w.* FROM ${from} AS w WHERE EXISTS (SELECT 1 FROM (`,
    rule,
    `) AS r WHERE ${keyJoin(ctx.keys, 'r', 'w')})`,
  ])
}

/** The subset's row limit: a count, or a percentage of its candidates (rounded down). */
async function limitOf(ctx: ExecuteContext<Options>, s: SubsetOptions): Promise<number | undefined> {
  if (!s.limit) return undefined
  if (s.limit.count !== undefined) return s.limit.count
  const [row] = await ctx.session.query<{ n: number }>('SELECT count(*) AS n FROM "_candidates"')
  return Math.floor((Number(row?.n) * s.limit.percent!) / 100 + 1e-9)
}

function orderSql(
  ctx: ExecuteContext<Options>,
  s: SubsetOptions,
): { order: Fragment; join: Fragment | string } {
  const tie = seededOrder(ctx.keys, 'w', `${ctx.runId}/${ctx.activity.id}/${s.code}`)
  const order = s.limit!.order
  if (order.kind === 'random') return { order: tie, join: '' }
  if (order.kind === 'column')
    return {
      order: joinSql([
        `w.${ident(order.column)} ${order.direction === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, `,
        tie,
      ]),
      join: '',
    }
  return {
    order: joinSql([`"_o"."value" ${order.direction === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, `, tie]),
    join: joinSql([
      ' LEFT JOIN (',
      expressionSelect(order.expression, ctx),
      `) AS "_o" ON ${keyJoin(ctx.keys, '"_o"', 'w')}`,
    ]),
  }
}
