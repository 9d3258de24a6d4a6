import { createReadStream, createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { parseSchemaText } from '@ahub/core'
import type { Store } from '@ahub/store'
import { generateDemo } from '@ahub/testing'

export const DEMO_ORG = 'demo'

export interface DemoSize {
  profiles: number
  purchases: number
}

const DAY = 86_400_000

/**
 * The demo's purchases arrive in three batches, as they would in a shop: those older than two
 * weeks on the first load, then the week after, then the last week. Audiences are evaluated
 * between the batches (as of each cut), so their size history shows members entering and leaving.
 */
export interface DemoPurchaseParts {
  /** The two cuts (ISO timestamps): two weeks and one week before the first start. */
  cuts: [string, string]
  /** The three files, oldest first; the first is loaded with the rest of the demo data. */
  files: [string, string, string]
}

export function demoPartsFile(demoDir: string): string {
  return join(demoDir, 'purchase-parts.json')
}

/** The purchase parts of a demo directory, or null for a demo made before purchases were split. */
export function readDemoParts(demoDir: string): DemoPurchaseParts | null {
  const file = demoPartsFile(demoDir)
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoPurchaseParts) : null
}

/** Loads the demo organisation on first start: generated schema and data, ingested like any file. */
export async function seedDemo(store: Store, size: DemoSize, log: (line: string) => void): Promise<boolean> {
  if (await store.orgs.find(DEMO_ORG)) return false
  const out = join(store.dataDir, 'demo')
  log(
    `Generating demo data (${size.profiles.toLocaleString('en')} profiles, ${size.purchases.toLocaleString('en')} purchases)...`,
  )
  const demo = await generateDemo({ ...size, seed: 42, out })
  const now = Date.now()
  const purchases = demo.files.find((f) => f.name.startsWith('purchases'))
  const parts = purchases
    ? await splitPurchases(purchases.path, out, [
        new Date(now - 14 * DAY).toISOString(),
        new Date(now - 7 * DAY).toISOString(),
      ])
    : null
  await store.createOrg(DEMO_ORG, 'Demo organisation')
  await store.catalog.apply(DEMO_ORG, parseSchemaText(readFileSync(demo.schemaPath, 'utf8')))
  for (const table of ['profiles', 'purchases', 'visitor_links']) {
    const file =
      table === 'purchases' && parts ? parts.files[0] : demo.files.find((f) => f.name.startsWith(table))?.path
    if (!file) continue
    await ingestDemoFile(store, table, file, log)
  }
  return true
}

/** Ingests one demo file into a table of the demo org and says how it went. */
export async function ingestDemoFile(
  store: Store,
  table: string,
  file: string,
  log: (line: string) => void,
): Promise<void> {
  const report = await store.ingestor.ingest(DEMO_ORG, table, file)
  log(
    `  ${table}: ${report.inserted.toLocaleString('en')} rows in ${(report.durationMs / 1000).toFixed(1)} s` +
      (report.rejected > 0 ? ` (${report.rejected} rejected on purpose: see ${report.rejectFile})` : ''),
  )
}

/** Splits the generated purchases by `purchased_at` at the two cuts into three CSV files (0600). */
async function splitPurchases(path: string, dir: string, cuts: [string, string]): Promise<DemoPurchaseParts> {
  const files: [string, string, string] = [
    join(dir, 'purchases-until-two-weeks-ago.csv'),
    join(dir, 'purchases-the-week-after.csv'),
    join(dir, 'purchases-last-week.csv'),
  ]
  const outs = files.map((f) => createWriteStream(f, { mode: 0o600 }))
  // The generator writes `YYYY-MM-DD HH:MM:SS` in UTC: compare as text against the cuts in that shape.
  const bounds = cuts.map((c) => c.slice(0, 19).replace('T', ' '))
  let column = -1
  for await (const line of createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    if (column < 0) {
      column = line.split(',').indexOf('purchased_at')
      if (column < 0) throw new Error(`${path} has no purchased_at column`)
      for (const o of outs) o.write(`${line}\n`)
      continue
    }
    if (line === '') continue
    const at = line.split(',')[column] ?? ''
    const part = at < bounds[0]! ? 0 : at < bounds[1]! ? 1 : 2
    if (!outs[part]!.write(`${line}\n`)) await new Promise<void>((r) => outs[part]!.once('drain', () => r()))
  }
  await Promise.all(
    outs.map(
      (o) => new Promise<void>((resolve, reject) => o.end((e?: Error | null) => (e ? reject(e) : resolve()))),
    ),
  )
  const parts: DemoPurchaseParts = { cuts, files }
  writeFileSync(demoPartsFile(dir), JSON.stringify(parts, null, 2), { mode: 0o600 })
  return parts
}
