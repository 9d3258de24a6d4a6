import { AppError, type Issue, type TableDef } from '@ahub/core'
import { ident } from '@ahub/store'
import { z } from 'zod'
import { keyJoin } from '../sql'
import { createWorkTable, single } from './common'
import { DEFAULT_RETRY, defineActivity } from './types'

/** Field pairs joining a row of `from` to rows of `to` (from field -> to field). */
export interface Link {
  name: string
  pairs: { from: string; to: string }[]
}

/**
 * The relationships between two tables, whichever side declares them: `from`'s own (its fields
 * to the target's) or `to`'s pointing back at `from` (read in reverse).
 */
export function linksBetween(tables: Record<string, TableDef>, from: string, to: string): Link[] {
  const out: Link[] = []
  for (const [name, r] of Object.entries(tables[from]?.relationships ?? {}))
    if (r.target === to) out.push({ name, pairs: Object.entries(r.on).map(([f, t]) => ({ from: f, to: t })) })
  if (from !== to)
    for (const [name, r] of Object.entries(tables[to]?.relationships ?? {}))
      if (r.target === from && !out.some((l) => l.name === r.inverse))
        out.push({ name, pairs: Object.entries(r.on).map(([t, f]) => ({ from: f, to: t })) })
  return out
}

const Options = z
  .object({
    /** The new dimension. */
    dimension: z.string().regex(/^[a-z][a-z0-9_]*$/),
    /** Relationship to follow when the tables have several. */
    relationship: z.string().optional(),
  })
  .strict()

/** Change dimension: the members of another table linked to the population (purchases to their profiles). */
export const changeDimension = defineActivity({
  type: 'change_dimension',
  options: Options,
  inputs: { min: 1, max: 1 },
  producesPopulation: true,
  needsPopulation: true,
  outlets: () => ['out'],
  retry: DEFAULT_RETRY,
  outputDimension: (o) => o.dimension,
  check(o, ctx): Issue[] {
    if (!ctx.tables[o.dimension])
      return [{ path: ['dimension'], code: 'CAMPAIGN_WRONG_DIMENSION', message: `No table "${o.dimension}"` }]
    if (typeof ctx.inputDimension !== 'string') return []
    const links = linksBetween(ctx.tables, ctx.inputDimension, o.dimension).filter(
      (l) => o.relationship === undefined || l.name === o.relationship,
    )
    if (links.length === 1) return []
    return [
      {
        path: [o.relationship === undefined ? 'dimension' : 'relationship'],
        code: 'CAMPAIGN_WRONG_DIMENSION',
        message:
          links.length === 0
            ? `No relationship${o.relationship ? ` "${o.relationship}"` : ''} between ${ctx.inputDimension} and ${o.dimension}`
            : `${ctx.inputDimension} and ${o.dimension} have several relationships: name one (${links.map((l) => l.name).join(', ')})`,
      },
    ]
  },
  async execute(ctx) {
    const input = single(ctx.inputs)
    const from = ctx.inputDimension
    if (typeof from !== 'string')
      throw new AppError('CAMPAIGN_INVALID', 'Change dimension needs members of a dimension')
    const link = linksBetween(ctx.compile.tables, from, ctx.options.dimension).find(
      (l) => ctx.options.relationship === undefined || l.name === ctx.options.relationship,
    )!
    const ns = ident(ctx.compile.namespace)
    const on = link.pairs.map((p) => `t.${ident(p.to)} = s.${ident(p.from)}`).join(' AND ')
    const keys = ctx.keys.map((k) => `t.${ident(k)}`).join(', ')
    await createWorkTable(
      ctx,
      ctx.outTable('out'),
      `SELECT DISTINCT ${keys}
         FROM ${input} AS w JOIN ${ns}.${ident(from)} AS s ON ${keyJoin(ctx.inputKeys, 's', 'w')}
         JOIN ${ns}.${ident(ctx.options.dimension)} AS t ON ${on}`,
    )
    return { out: ctx.outTable('out') }
  },
})
