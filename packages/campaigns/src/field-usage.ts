import type { TableDef } from '@ahub/core'
import { type ValidationEnv, validateCampaign } from './validate'

/**
 * The fields of `table` a campaign definition uses: those without which it no longer validates.
 *
 * Validation already resolves every field an activity names (rules, split filters, enrichment
 * links, reconciliation, channel columns...), so asking it is exact and stays exact when an
 * activity is added. Key fields are left out: the schema protects them itself.
 */
export async function fieldsUsedBy(
  definition: unknown,
  env: ValidationEnv,
  table: string,
): Promise<string[]> {
  const def = env.tables[table]
  if (!def) return []
  const base = await issueCount(definition, env)
  const used: string[] = []
  for (const field of Object.keys(def.fields)) {
    if (def.primaryKey.includes(field)) continue
    const { [field]: _removed, ...fields } = def.fields
    const without: TableDef = { ...def, fields }
    if ((await issueCount(definition, { ...env, tables: { ...env.tables, [table]: without } })) > base)
      used.push(field)
  }
  return used
}

/** Issues of a definition under `env`; a check that throws counts as broken. */
async function issueCount(definition: unknown, env: ValidationEnv): Promise<number> {
  try {
    return (await validateCampaign(definition, env)).issues.length
  } catch {
    return Number.POSITIVE_INFINITY
  }
}
