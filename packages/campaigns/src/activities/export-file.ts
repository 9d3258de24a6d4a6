import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '@ahub/core'
import { ident } from '@ahub/store'
import { z } from 'zod'
import { single } from './common'
import { DEFAULT_RETRY, defineActivity } from './types'

const Options = z
  .object({
    format: z.enum(['csv', 'ndjson', 'parquet']).default('csv'),
    /** Columns of the population to write, in order (default: all). */
    columns: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/))
      .min(1)
      .max(200)
      .optional(),
    /** File name before the run id and extension (the folder is chosen by the server). */
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, 'lower-case letters, digits, - and _')
      .optional(),
  })
  .strict()

/** Folder of a campaign's export files under the data directory: `exports/campaigns/<org>/<campaign>`. */
export function exportFolder(dataDir: string, org: string, campaign: string): string {
  return join(dataDir, 'exports', 'campaigns', org, campaign)
}

/**
 * Export file: writes the population to a CSV, NDJSON or Parquet file in a folder the server
 * chooses, once per run: the file is written under a temporary name and renamed, so a run resumed
 * after a crash either finds the file (done) or writes it again from scratch. Test mode writes nothing.
 */
export const exportFile = defineActivity({
  type: 'export_file',
  options: Options,
  inputs: { min: 1, max: 1 },
  producesPopulation: true,
  needsPopulation: true,
  acceptsRaw: true,
  outlets: () => ['out'],
  retry: DEFAULT_RETRY,
  async execute(ctx) {
    const input = single(ctx.inputs)
    if (ctx.mode === 'test') return { out: input }
    if (!ctx.dataDir)
      throw new AppError('CAMPAIGN_INVALID', 'Export file needs a data directory (the store is in memory)')
    const o = ctx.options
    const own = await ctx.columns(input)
    const missing = o.columns?.find((c) => !own.includes(c))
    if (missing)
      throw new AppError('CAMPAIGN_INVALID', `The population has no column "${missing}" to export`, {
        details: { column: missing, columns: own },
      })
    const folder = exportFolder(ctx.dataDir, ctx.org, ctx.campaign)
    const ext = o.format === 'ndjson' ? 'ndjson' : o.format
    const file = join(folder, `${o.name ?? ctx.activity.id}-${ctx.runId}.${ext}`)
    if (existsSync(file)) return { out: input }
    mkdirSync(folder, { recursive: true })
    const partial = `${file}.partial`
    rmSync(partial, { force: true })
    const cols = (o.columns ?? own).map((c) => `w.${ident(c)}`).join(', ')
    const order = ctx.inputKeys.length ? ctx.inputKeys.map((k) => `w.${ident(k)}`).join(', ') : 'ALL'
    const how =
      o.format === 'csv' ? 'FORMAT CSV, HEADER' : o.format === 'ndjson' ? 'FORMAT JSON' : 'FORMAT PARQUET'
    // COPY takes no parameters: the path is one the server chose (no user text but a checked name).
    await ctx.session.run(
      `COPY (SELECT ${cols} FROM ${input} AS w ORDER BY ${order}) TO '${partial.replaceAll("'", "''")}' (${how})`,
    )
    renameSync(partial, file)
    return { out: input }
  },
})
