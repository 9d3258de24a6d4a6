import { AppError, type Issue } from '@ahub/core'
import { compileRule } from '@ahub/query'
import { evaluating, ident } from '@ahub/store'
import { z } from 'zod'
import { fragment, keyList } from '../sql'
import { createWorkTable, ruleIssues, ruleValue } from './common'
import { type ActivityOutputs, DEFAULT_RETRY, defineActivity } from './types'

/** Build audience: the members of the dimension a rule selects, or of a saved audience. */
export const buildAudience = defineActivity({
  type: 'build_audience',
  options: z
    .object({
      dimension: z.string().optional(),
      rule: ruleValue().optional(),
      audience: z.string().optional(),
      /** Emit the outbound transition even when nobody matches (default: the branch stops). */
      outboundWhenEmpty: z.boolean().default(false),
    })
    .strict()
    .refine((o) => (o.rule === undefined) !== (o.audience === undefined), {
      message: 'give either a rule or an audience',
    }),
  inputs: { min: 0, max: 1 },
  producesPopulation: true,
  needsPopulation: false,
  outlets: () => ['out'],
  retry: DEFAULT_RETRY,
  check(o, ctx) {
    const issues: Issue[] = []
    if (o.dimension !== undefined && o.dimension !== ctx.dimension)
      issues.push({
        path: ['dimension'],
        code: 'CAMPAIGN_WRONG_DIMENSION',
        message: `The campaign works on "${ctx.dimension}", not "${o.dimension}"`,
      })
    else if (o.rule !== undefined) issues.push(...ruleIssues(o.rule, ctx.compile, ['rule']))
    if (o.audience !== undefined) issues.push(...audienceIssues(o.audience, ctx.audiences, ctx.dimension))
    return issues
  },
  async execute(ctx): Promise<ActivityOutputs> {
    const out = ctx.outTable('out')
    const source =
      ctx.options.rule !== undefined
        ? fragment(compileRule(ctx.options.rule, ctx.compile))
        : { sql: `SELECT ${keyList(ctx.keys)} FROM ${audienceView(ctx)}`, params: [] }
    // An engine error while evaluating the user's rule is the rule's (RULE_EVALUATION_FAILED).
    await evaluating(() => createWorkTable(ctx, out, source.sql, source.params))
    const [row] = await ctx.session.query<{ n: number }>(`SELECT count(*) AS n FROM ${out}`)
    if (Number(row?.n) === 0 && !ctx.options.outboundWhenEmpty) return {}
    return { out }
  },
})

/** The view of a saved audience's current members; a deleted audience is AUDIENCE_NOT_FOUND. */
function audienceView(ctx: {
  options: { audience?: string }
  compile: { audiences?: (id: string) => unknown }
}): string {
  const id = ctx.options.audience!
  const target = ctx.compile.audiences?.(id) as { namespace: string; table: string } | undefined
  if (!target)
    throw new AppError('AUDIENCE_NOT_FOUND', `No audience "${id}" in this organisation (deleted?)`, {
      details: { audience: id },
    })
  return `${ident(target.namespace)}.${ident(target.table)}`
}

/** Issues of an audience reference: unknown, or of another dimension. */
export function audienceIssues(
  id: string,
  audiences: Map<string, { dimension: string | null; type: string }>,
  dimension: string,
): Issue[] {
  const a = audiences.get(id)
  if (!a) return [{ path: ['audience'], code: 'AUDIENCE_NOT_FOUND', message: `No audience "${id}"` }]
  if (a.dimension !== dimension)
    return [
      {
        path: ['audience'],
        code: 'CAMPAIGN_WRONG_DIMENSION',
        message: `Audience "${id}" holds ${a.dimension ?? 'raw identifiers'}, the campaign works on ${dimension}`,
      },
    ]
  return []
}

export { audienceView }
