import { type Issue, isIdentifier } from '@ahub/core'
import { ident } from '@ahub/store'
import { z } from 'zod'
import { keyJoin, keyList } from '../sql'
import { createWorkTable, primaryInput } from './common'
import { DEFAULT_RETRY, defineActivity, type ExecuteContext, type InputTable } from './types'

const Options = z
  .object({
    operation: z.enum(['union', 'intersection', 'exclusion']),
    /** Exclusion (and intersection by columns): the transition whose members are kept (default: the first input). */
    primary: z.string().optional(),
    /** Emit `complement`: union minus intersection, or the primary members that exclusion removed. */
    complement: z.boolean().default(false),
    /** What makes two members the same: their keys, or equal values of `columns`. */
    reconciliation: z.enum(['keys', 'columns']).default('keys'),
    /** Fields of the dimension or columns added upstream (reconciliation by columns). */
    columns: z.array(z.string()).min(1).max(20).optional(),
  })
  .strict()
  .refine((o) => (o.reconciliation === 'columns') === (o.columns !== undefined), {
    message: 'columns go with reconciliation "columns", and only with it',
  })
type Options = z.infer<typeof Options>

/**
 * Combine: union, intersection or exclusion of the inputs. Members are the same when their keys
 * are equal, or, reconciling by chosen columns, when every chosen value is equal (an empty value
 * never matches): a union then keeps one member per set of values, from the earliest input.
 */
export const combine = defineActivity({
  type: 'combine',
  options: Options,
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
    const table = ctx.tables[ctx.dimension]
    o.columns?.forEach((c, i) => {
      if (!ctx.addedColumns.has(c) && !(table?.fields[c] !== undefined && isIdentifier(c)))
        issues.push({ path: ['columns', i], code: 'RULE_UNKNOWN_FIELD', message: `Unknown field "${c}"` })
    })
    return issues
  },
  async execute(ctx) {
    if (ctx.options.reconciliation === 'columns') return byColumns(ctx)
    const { operation, complement } = ctx.options
    const keys = keyList(ctx.keys)
    const tables = ctx.inputs.map((i) => i.table!)
    const out = ctx.outTable('out')
    const result: Record<string, string> = { out }
    if (operation === 'exclusion') {
      const primary = primaryInput(ctx.inputs, ctx.options.primary)
      const others = ctx.inputs.filter((i) => i !== primary).map((i) => i.table!)
      const found = others.map((t) => `EXISTS (SELECT 1 FROM ${t} AS o WHERE ${keyJoin(ctx.keys, 'o', 'p')})`)
      await createWorkTable(
        ctx,
        out,
        `SELECT p.* FROM ${primary.table} AS p WHERE NOT (${found.join(' OR ')})`,
      )
      if (complement) {
        result.complement = ctx.outTable('complement')
        await createWorkTable(
          ctx,
          result.complement,
          `SELECT p.* FROM ${primary.table} AS p WHERE ${found.join(' OR ')}`,
        )
      }
      return result
    }
    const setOp = operation === 'union' ? ' UNION ' : ' INTERSECT '
    await createWorkTable(ctx, out, `${tables.map((t) => `SELECT ${keys} FROM ${t}`).join(setOp)}`)
    if (complement) {
      result.complement = ctx.outTable('complement')
      await createWorkTable(
        ctx,
        result.complement,
        `(${tables.map((t) => `SELECT ${keys} FROM ${t}`).join(' UNION ')}) EXCEPT SELECT ${keys} FROM ${out}`,
      )
    }
    return result
  },
})

/** Reconciliation by chosen columns: each input as `_cmb<i>` (keys, `_c<j>` values), then set algebra on values. */
async function byColumns(ctx: ExecuteContext<Options>): Promise<Record<string, string>> {
  const o = ctx.options
  const cols = o.columns!
  const dim = `${ident(ctx.compile.namespace)}.${ident(ctx.compile.dimension)}`
  const primary = primaryInput(ctx.inputs, o.primary)
  const ordered: InputTable[] = [primary, ...ctx.inputs.filter((i) => i !== primary)]
  const scratch: string[] = []
  for (const [i, input] of ordered.entries()) {
    const own = new Set(await ctx.columns(input.table!))
    const values = cols.map((c, j) => `${own.has(c) ? 'w' : 'd'}.${ident(c)} AS "_c${j}"`).join(', ')
    const join = cols.some((c) => !own.has(c))
      ? ` LEFT JOIN ${dim} AS d ON ${keyJoin(ctx.keys, 'd', 'w')}`
      : ''
    const t = `"_cmb${i}"`
    await ctx.session.run(
      `CREATE OR REPLACE TEMP TABLE ${t} AS SELECT w.*, ${values}, ${i} AS "_src" FROM ${input.table} AS w${join}`,
    )
    scratch.push(t)
  }
  const same = (a: string, b: string) => cols.map((_, j) => `${a}."_c${j}" = ${b}."_c${j}"`).join(' AND ')
  const helper = `${cols.map((_, j) => `"_c${j}"`).join(', ')}, "_src"`
  const out = ctx.outTable('out')
  const result: Record<string, string> = { out }
  const keys = keyList(ctx.keys)
  if (o.operation === 'union') {
    const all = scratch.map((t) => `SELECT ${keys}, ${helper} FROM ${t}`).join(' UNION ALL ')
    const anyNull = cols.map((_, j) => `"_c${j}" IS NULL`).join(' OR ')
    await createWorkTable(
      ctx,
      out,
      `SELECT DISTINCT ${keys} FROM (${all}) AS u
         QUALIFY ${anyNull} OR row_number() OVER (PARTITION BY ${cols.map((_, j) => `"_c${j}"`).join(', ')} ORDER BY "_src", ${keys}) = 1`,
    )
    if (o.complement) {
      result.complement = ctx.outTable('complement')
      await createWorkTable(
        ctx,
        result.complement,
        `(${scratch.map((t) => `SELECT ${keys} FROM ${t}`).join(' UNION ')}) EXCEPT SELECT ${keys} FROM ${out}`,
      )
    }
  } else {
    const [p, ...others] = scratch
    const found = others.map((t) => `EXISTS (SELECT 1 FROM ${t} AS o WHERE ${same('o', 'p')})`)
    const keep = o.operation === 'intersection' ? found.join(' AND ') : `NOT (${found.join(' OR ')})`
    const carried = `p.* EXCLUDE (${helper})`
    await createWorkTable(ctx, out, `SELECT ${carried} FROM ${p} AS p WHERE ${keep}`)
    if (o.complement) {
      result.complement = ctx.outTable('complement')
      const rest =
        o.operation === 'exclusion'
          ? `SELECT ${carried} FROM ${p} AS p WHERE NOT (${keep})`
          : `(${scratch.map((t) => `SELECT ${keys} FROM ${t}`).join(' UNION ')}) EXCEPT SELECT ${keys} FROM ${out}`
      await createWorkTable(ctx, result.complement, `${rest}`)
    }
  }
  for (const t of scratch) await ctx.session.run(`DROP TABLE IF EXISTS ${t}`)
  return result
}
