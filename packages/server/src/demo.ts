import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseSchemaText } from '@ahub/core'
import type { Store } from '@ahub/store'
import { generateDemo } from '@ahub/testing'

export const DEMO_ORG = 'demo'

export interface DemoSize {
  profiles: number
  purchases: number
}

/** Loads the demo organisation on first start: generated schema and data, ingested like any file. */
export async function seedDemo(store: Store, size: DemoSize, log: (line: string) => void): Promise<boolean> {
  if (await store.orgs.find(DEMO_ORG)) return false
  const out = join(store.dataDir, 'demo')
  log(
    `Generating demo data (${size.profiles.toLocaleString('en')} profiles, ${size.purchases.toLocaleString('en')} purchases)...`,
  )
  const demo = await generateDemo({ ...size, seed: 42, out })
  await store.createOrg(DEMO_ORG, 'Demo organisation')
  await store.catalog.apply(DEMO_ORG, parseSchemaText(readFileSync(demo.schemaPath, 'utf8')))
  for (const table of ['profiles', 'purchases', 'visitor_links']) {
    const file = demo.files.find((f) => f.name.startsWith(table))
    if (!file) continue
    const report = await store.ingestor.ingest(DEMO_ORG, table, file.path)
    log(
      `  ${table}: ${report.inserted.toLocaleString('en')} rows in ${(report.durationMs / 1000).toFixed(1)} s` +
        (report.rejected > 0 ? ` (${report.rejected} rejected on purpose: see ${report.rejectFile})` : ''),
    )
  }
  return true
}
