import { AppError, type Issue } from '@ahub/core'
import { ident } from '@ahub/store'
import { z } from 'zod'
import { type Fragment, combine as joinSql, keyJoin } from '../sql'
import { ColumnName, expressionIssues, expressionSelect, single } from './common'
import { DEFAULT_RETRY, defineActivity } from './types'

const Options = z
  .object({
    /** Fields of the dimension or of a 1-1 / N-1 linked table (`address.city`). */
    attributes: z
      .array(z.object({ name: ColumnName, field: z.string().min(1).max(200) }).strict())
      .default([]),
    /** Aggregates over a 1-N link, optionally filtered by a boolean expression on the linked table. */
    aggregates: z
      .array(
        z
          .object({
            name: ColumnName,
            fn: z.enum(['count', 'sum', 'avg', 'min', 'max']),
            link: z.string().regex(/^[a-z][a-z0-9_]*$/),
            field: z
              .string()
              .regex(/^[a-z][a-z0-9_]*$/)
              .optional(),
            filter: z.string().max(2000).optional(),
          })
          .strict(),
      )
      .default([]),
    /** Computed columns (SPEC 3.2 expressions over the dimension). */
    expressions: z
      .array(z.object({ name: ColumnName, expression: z.string().min(1).max(4000) }).strict())
      .default([]),
  })
  .strict()
type Options = z.infer<typeof Options>

/** The expression text behind every added column, in order. */
export function enrichmentColumns(o: Options): { name: string; text: string; path: (string | number)[] }[] {
  return [
    ...o.attributes.map((a, i) => ({ name: a.name, text: a.field, path: ['attributes', i, 'field'] })),
    ...o.aggregates.map((a, i) => {
      const target = a.field === undefined ? a.link : `${a.link}.${a.field}`
      const where = a.filter === undefined ? '' : ` where ${a.filter}`
      return { name: a.name, text: `${a.fn}(${target}${where})`, path: ['aggregates', i] }
    }),
    ...o.expressions.map((e, i) => ({
      name: e.name,
      text: e.expression,
      path: ['expressions', i, 'expression'],
    })),
  ]
}

/** Enrichment: the same population with more columns (attributes, 1-N aggregates, expressions). */
export const enrichment = defineActivity({
  type: 'enrichment',
  options: Options,
  inputs: { min: 1, max: 1 },
  producesPopulation: true,
  needsPopulation: true,
  outlets: () => ['out'],
  retry: DEFAULT_RETRY,
  check(o, ctx) {
    const issues: Issue[] = []
    const seen = new Set<string>(ctx.tables[ctx.dimension]?.primaryKey ?? [])
    for (const c of enrichmentColumns(o)) {
      if (seen.has(c.name))
        issues.push({
          path: [...c.path.slice(0, 2), 'name'],
          code: 'CAMPAIGN_BAD_OPTIONS',
          message: `Column "${c.name}" is defined twice or is a key`,
        })
      seen.add(c.name)
      issues.push(...expressionIssues(c.text, ctx.compile, c.path))
    }
    return issues
  },
  async execute(ctx) {
    const input = single(ctx.inputs)
    const own = new Set(await ctx.columns(input))
    const cols = enrichmentColumns(ctx.options)
    const clash = cols.find((c) => own.has(c.name))
    if (clash)
      throw new AppError('CAMPAIGN_INVALID', `The incoming population already has a column "${clash.name}"`, {
        details: { column: clash.name },
      })
    const parts: (string | Fragment)[] = [
      `CREATE OR REPLACE TABLE ${ctx.outTable('out')} AS SELECT w.*${cols.map((c, i) => `, "_e${i}"."value" AS ${ident(c.name)}`).join('')} FROM ${input} AS w`,
    ]
    cols.forEach((c, i) => {
      parts.push(
        ' LEFT JOIN (',
        expressionSelect(c.text, ctx),
        `) AS "_e${i}" ON ${keyJoin(ctx.keys, `"_e${i}"`, 'w')}`,
      )
    })
    const q = joinSql(parts)
    await ctx.session.run(q.sql, q.params)
    return { out: ctx.outTable('out') }
  },
})
