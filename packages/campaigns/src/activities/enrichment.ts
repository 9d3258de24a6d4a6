import { AppError, type Issue } from '@ahub/core'
import { ident } from '@ahub/store'
import { z } from 'zod'
import { type Fragment, combine as joinSql, keyJoin } from '../sql'
import {
  ColumnName,
  createWorkTable,
  expressionIssues,
  expressionSelect,
  expressionText,
  single,
} from './common'
import { DEFAULT_RETRY, defineActivity, type ExecuteContext } from './types'

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
    /** Computed columns (docs/rules.md expressions over the dimension). */
    expressions: z.array(z.object({ name: ColumnName, expression: expressionText() }).strict()).default([]),
    /** The first `count` lines of a 1-N link by a sort: columns `<name>_<field>_<n>` for n = 1..count. */
    lines: z
      .array(
        z
          .object({
            name: ColumnName,
            link: z.string().regex(/^[a-z][a-z0-9_]*$/),
            sort: z
              .array(
                z
                  .object({
                    field: z.string().regex(/^[a-z][a-z0-9_]*$/),
                    direction: z.enum(['asc', 'desc']).default('asc'),
                  })
                  .strict(),
              )
              .min(1)
              .max(5),
            count: z.number().int().min(1).max(20).default(1),
            fields: z
              .array(z.string().regex(/^[a-z][a-z0-9_]*$/))
              .min(1)
              .max(20),
          })
          .strict(),
      )
      .default([]),
    /**
     * Columns of another incoming transition's work table, matched by key pairs (its `column` =
     * this population's `to` column); when several rows match, the smallest value is taken.
     */
    links: z
      .array(
        z
          .object({
            transition: z.string(),
            pairs: z
              .array(z.object({ column: ColumnName, to: ColumnName }).strict())
              .min(1)
              .max(8),
            columns: z
              .array(z.object({ name: ColumnName, column: ColumnName }).strict())
              .min(1)
              .max(50),
          })
          .strict(),
      )
      .max(9)
      .default([]),
  })
  .strict()
type Options = z.infer<typeof Options>

/** Every column the activity adds, whatever its kind. */
export function enrichmentAdded(o: Options): string[] {
  return [
    ...enrichmentColumns(o).map((c) => c.name),
    ...o.lines.flatMap((l) =>
      l.fields.flatMap((f) => Array.from({ length: l.count }, (_, n) => `${l.name}_${f}_${n + 1}`)),
    ),
    ...o.links.flatMap((l) => l.columns.map((c) => c.name)),
  ]
}

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
  inputs: { min: 1, max: 10 },
  producesPopulation: true,
  needsPopulation: true,
  outlets: () => ['out'],
  retry: DEFAULT_RETRY,
  check(o, ctx) {
    const issues: Issue[] = []
    const dim = ctx.tables[ctx.dimension]
    o.lines.forEach((l, i) => {
      const rel = dim?.relationships?.[l.link]
      const linked = rel?.cardinality === '1-N' ? ctx.tables[rel.target] : undefined
      if (!rel || !linked) {
        issues.push({
          path: ['lines', i, 'link'],
          code: 'RULE_NOT_A_LINK',
          message: `"${l.link}" is not a 1-N link of ${ctx.dimension}`,
        })
        return
      }
      const fields: [string, (string | number)[]][] = [
        ...l.sort.map((s, j): [string, (string | number)[]] => [s.field, ['lines', i, 'sort', j, 'field']]),
        ...l.fields.map((f, j): [string, (string | number)[]] => [f, ['lines', i, 'fields', j]]),
      ]
      for (const [f, path] of fields)
        if (!linked.fields[f])
          issues.push({ path, code: 'RULE_UNKNOWN_FIELD', message: `No field "${f}" on ${rel.target}` })
    })
    const linked = new Set(o.links.map((l) => l.transition))
    o.links.forEach((l, i) => {
      if (!ctx.inputs.includes(l.transition))
        issues.push({
          path: ['links', i, 'transition'],
          code: 'CAMPAIGN_UNKNOWN_INPUT',
          message: `"${l.transition}" is not an incoming transition`,
        })
    })
    if (ctx.inputs.filter((t) => !linked.has(t)).length !== 1)
      issues.push({
        path: ['links'],
        code: 'CAMPAIGN_UNKNOWN_INPUT',
        message: 'Exactly one incoming transition must carry the population; the others are named by links',
      })
    const names = new Set<string>()
    for (const n of enrichmentAdded(o)) {
      if (names.has(n))
        issues.push({ path: [], code: 'CAMPAIGN_BAD_OPTIONS', message: `Column "${n}" is added twice` })
      names.add(n)
    }
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
    const linked = new Set(ctx.options.links.map((l) => l.transition))
    const input = single(ctx.inputs.filter((i) => !linked.has(i.transition)))
    const own = new Set(await ctx.columns(input))
    const cols = enrichmentColumns(ctx.options)
    const clash = enrichmentAdded(ctx.options).find((c) => own.has(c))
    if (clash)
      throw new AppError('CAMPAIGN_INVALID', `The incoming population already has a column "${clash}"`, {
        details: { column: clash },
      })
    const parts: (string | Fragment)[] = [
      `SELECT w.*${cols.map((c, i) => `, "_e${i}"."value" AS ${ident(c.name)}`).join('')} FROM ${input} AS w`,
    ]
    cols.forEach((c, i) => {
      parts.push(
        ' LEFT JOIN (',
        expressionSelect(c.text, ctx),
        `) AS "_e${i}" ON ${keyJoin(ctx.keys, `"_e${i}"`, 'w')}`,
      )
    })
    const extra = [...linesSql(ctx), ...(await linksSql(ctx, own))]
    if (extra.length > 0) {
      // Added columns go in the select list, their joins after the expression joins.
      parts[0] = (parts[0] as string).replace(
        ` FROM ${input} AS w`,
        `${extra.map((e) => e.columns).join('')} FROM ${input} AS w`,
      )
      if (ctx.options.lines.length > 0)
        parts.push(
          ` LEFT JOIN ${ident(ctx.compile.namespace)}.${ident(ctx.compile.dimension)} AS "_d" ON ${keyJoin(ctx.keys, '"_d"', 'w')}`,
        )
      parts.push(...extra.map((e) => e.join))
    }
    const q = joinSql(parts)
    await createWorkTable(ctx, ctx.outTable('out'), q.sql, q.params)
    return { out: ctx.outTable('out') }
  },
})

type Ctx = ExecuteContext<Options>

/** First-N-lines columns: one grouped subquery per line spec, joined on the link's key pairs. */
function linesSql(ctx: Ctx): { columns: string; join: string }[] {
  const ns = ident(ctx.compile.namespace)
  return ctx.options.lines.map((l, i) => {
    const rel = ctx.dimension.relationships![l.link]!
    const pairs = Object.entries(rel.on)
    const alias = `"_l${i}"`
    const part = pairs.map(([, to]) => `l.${ident(to)}`).join(', ')
    const order = l.sort
      .map((s) => `l.${ident(s.field)} ${s.direction === 'asc' ? 'ASC' : 'DESC'} NULLS LAST`)
      .join(', ')
    const names: string[] = []
    const values: string[] = []
    for (const f of l.fields)
      for (let n = 1; n <= l.count; n++) {
        const name = `${l.name}_${f}_${n}`
        names.push(name)
        values.push(`max(CASE WHEN "_rn" = ${n} THEN ${ident(f)} END) AS ${ident(name)}`)
      }
    const keys = pairs.map(([, to], j) => `${ident(to)} AS "_k${j}"`).join(', ')
    const groups = pairs.map(([, to]) => ident(to)).join(', ')
    return {
      columns: names.map((n) => `, ${alias}.${ident(n)}`).join(''),
      join: ` LEFT JOIN (SELECT ${keys}, ${values.join(', ')} FROM (SELECT l.*, row_number() OVER (PARTITION BY ${part} ORDER BY ${order}) AS "_rn"
          FROM ${ns}.${ident(rel.target)} AS l) WHERE "_rn" <= ${l.count} GROUP BY ${groups}) AS ${alias}
          ON ${pairs.map(([from], j) => `${alias}."_k${j}" = "_d".${ident(from)}`).join(' AND ')}`,
    }
  })
}

/** Columns of other transitions' work tables, grouped on the key pairs so the population keeps one row per member. */
async function linksSql(ctx: Ctx, own: Set<string>): Promise<{ columns: string; join: string }[]> {
  const out: { columns: string; join: string }[] = []
  for (const [i, l] of ctx.options.links.entries()) {
    const table = ctx.inputs.find((x) => x.transition === l.transition)?.table
    if (!table) throw new AppError('CAMPAIGN_INVALID', `No population on transition "${l.transition}"`)
    const theirs = new Set(await ctx.columns(table))
    const missing =
      l.pairs.find((p) => !theirs.has(p.column))?.column ??
      l.columns.find((c) => !theirs.has(c.column))?.column ??
      l.pairs.find((p) => !own.has(p.to))?.to
    if (missing)
      throw new AppError(
        'CAMPAIGN_INVALID',
        `No column "${missing}" to link transition "${l.transition}" by`,
        {
          details: { column: missing, transition: l.transition },
        },
      )
    const alias = `"_t${i}"`
    const keys = l.pairs.map((p, j) => `o.${ident(p.column)} AS "_k${j}"`).join(', ')
    const values = l.columns.map((c) => `min(o.${ident(c.column)}) AS ${ident(c.name)}`).join(', ')
    out.push({
      columns: l.columns.map((c) => `, ${alias}.${ident(c.name)}`).join(''),
      join: ` LEFT JOIN (SELECT ${keys}, ${values} FROM ${table} AS o GROUP BY ${l.pairs.map((_, j) => `"_k${j}"`).join(', ')}) AS ${alias}
          ON ${l.pairs.map((p, j) => `${alias}."_k${j}" = w.${ident(p.to)}`).join(' AND ')}`,
    })
  }
  return out
}
