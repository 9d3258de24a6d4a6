import type { Issue } from '@ahub/core'
import { z } from 'zod'
import { keyJoin, keyList } from '../sql'
import { primaryInput } from './common'
import { DEFAULT_RETRY, defineActivity } from './types'

/** Combine: union, intersection or exclusion of the inputs, reconciled on the member keys. */
export const combine = defineActivity({
  type: 'combine',
  options: z
    .object({
      operation: z.enum(['union', 'intersection', 'exclusion']),
      /** Exclusion: the transition whose members are kept (default: the first input). */
      primary: z.string().optional(),
      /** Emit `complement`: union minus intersection, or the primary members that exclusion removed. */
      complement: z.boolean().default(false),
    })
    .strict(),
  inputs: { min: 2, max: 50 },
  producesPopulation: true,
  needsPopulation: true,
  outlets: (o) => (o.complement ? ['out', 'complement'] : ['out']),
  retry: DEFAULT_RETRY,
  check(o, ctx) {
    const issues: Issue[] = []
    if (o.primary !== undefined && !ctx.inputs.includes(o.primary))
      issues.push({
        path: ['primary'],
        code: 'CAMPAIGN_UNKNOWN_INPUT',
        message: `"${o.primary}" is not an input`,
      })
    return issues
  },
  async execute(ctx) {
    const { operation, complement } = ctx.options
    const keys = keyList(ctx.keys)
    const tables = ctx.inputs.map((i) => i.table!)
    const out = ctx.outTable('out')
    const result: Record<string, string> = { out }
    if (operation === 'exclusion') {
      const primary = primaryInput(ctx.inputs, ctx.options.primary)
      const others = ctx.inputs.filter((i) => i !== primary).map((i) => i.table!)
      const found = others.map((t) => `EXISTS (SELECT 1 FROM ${t} AS o WHERE ${keyJoin(ctx.keys, 'o', 'p')})`)
      await ctx.session.run(
        `CREATE OR REPLACE TABLE ${out} AS SELECT p.* FROM ${primary.table} AS p WHERE NOT (${found.join(' OR ')})`,
      )
      if (complement) {
        result.complement = ctx.outTable('complement')
        await ctx.session.run(
          `CREATE OR REPLACE TABLE ${result.complement} AS SELECT p.* FROM ${primary.table} AS p WHERE ${found.join(' OR ')}`,
        )
      }
      return result
    }
    const setOp = operation === 'union' ? ' UNION ' : ' INTERSECT '
    await ctx.session.run(
      `CREATE OR REPLACE TABLE ${out} AS ${tables.map((t) => `SELECT ${keys} FROM ${t}`).join(setOp)}`,
    )
    if (complement) {
      result.complement = ctx.outTable('complement')
      await ctx.session.run(
        `CREATE OR REPLACE TABLE ${result.complement} AS
           (${tables.map((t) => `SELECT ${keys} FROM ${t}`).join(' UNION ')}) EXCEPT SELECT ${keys} FROM ${out}`,
      )
    }
    return result
  },
})
