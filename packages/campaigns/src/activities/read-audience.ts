import { ident } from '@ahub/store'
import { z } from 'zod'
import { keyList, memberKeyText } from '../sql'
import { audienceIssues, audienceView } from './build-audience'
import { ColumnName, createWorkTable } from './common'
import { DEFAULT_RETRY, defineActivity } from './types'

/** Read audience: the current members of a saved audience, with chosen audience attributes as columns. */
export const readAudience = defineActivity({
  type: 'read_audience',
  options: z.object({ audience: z.string(), attributes: z.array(ColumnName).max(50).default([]) }).strict(),
  inputs: { min: 0, max: 1 },
  producesPopulation: true,
  needsPopulation: false,
  outlets: () => ['out'],
  retry: DEFAULT_RETRY,
  check: (o, ctx) => audienceIssues(o.audience, ctx.audiences, ctx.dimension),
  async execute(ctx) {
    const out = ctx.outTable('out')
    const view = audienceView(ctx)
    const attrs = ctx.options.attributes
    if (attrs.length === 0) {
      await createWorkTable(ctx, out, `SELECT ${keyList(ctx.keys, 'v')} FROM ${view} AS v`)
      return { out }
    }
    const members = `${ident(ctx.compile.namespace)}."_audience_members"`
    const cols = attrs.map((a, i) => `json_extract_string(m.attrs, $${i + 2}) AS ${ident(a)}`)
    await createWorkTable(
      ctx,
      out,
      `SELECT ${keyList(ctx.keys, 'v')}, ${cols.join(', ')}
         FROM ${view} AS v LEFT JOIN ${members} AS m
           ON m.audience = $1 AND m.exited IS NULL AND m.member = ${memberKeyText(ctx.keys, 'v')}`,
      [ctx.options.audience, ...attrs.map((a) => `$.${a}`)],
    )
    return { out }
  },
})
