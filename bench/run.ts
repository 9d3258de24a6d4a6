/**
 * `npm run bench [-- --scale small|full] [--only core,api,demo]`: measures the speed and memory targets
 * on this machine and writes bench/results/latest.json (an array of { name, value, unit }) plus a
 * dated copy. `--only` runs some groups: ingest (the ingestion figures alone), core (ingestion,
 * rules, audiences, campaigns, sharing, hub), api (the API under load), demo (the first start and
 * restarts), web (the web app in Chromium), cli (the CLI's and the server's start, bench/cli.ts),
 * channels (e-mail from a live campaign to a local SMTP server), canvas (the campaign canvas in
 * Chromium).
 * A benchmark, not a test: figures vary between machines; compare ratios within one run.
 */

import { execFile } from 'node:child_process'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { parseSchemaText } from '@ahub/core'
import { bulkLoadCsv, ClickHouseEngine, cleanCsvFiles, literal, Store } from '@ahub/store'
import { generateDemo } from '@ahub/testing'
import type { BenchRow } from './api'
import { runAudienceBench } from './audiences'
import { benchCampaigns } from './campaigns'
import { benchCanvas } from './canvas'
import { benchChannels } from './channels'
import { benchCli } from './cli'
import { benchDemoStart } from './demo'
import { benchHub } from './hub'
import { benchRules } from './rules'
import { benchSharing } from './sharing'
import { benchWeb } from './web'

interface Result {
  name: string
  value: number
  unit: string
  target?: string
}

const flag = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined
const scale = flag('--scale') ?? 'full'
const GROUPS = ['ingest', 'core', 'api', 'demo', 'web', 'canvas', 'cli', 'channels']
const only = flag('--only')?.split(',')
if ((scale !== 'full' && scale !== 'small') || only?.some((g) => !GROUPS.includes(g))) {
  console.error(`usage: npm run bench -- [--scale small|full] [--only ${GROUPS.join(',')}]`)
  process.exit(2)
}
const want = (group: string) => !only || only.includes(group)
const size =
  scale === 'full'
    ? { profiles: 1_000_000, purchases: 10_000_000 }
    : { profiles: 100_000, purchases: 1_000_000 }
const root = join(process.cwd(), '.tmp', `bench-${scale}`)
const dataDir = join(root, 'data')
const results: Result[] = []
const record = (r: Result) => {
  results.push(r)
  console.log(`  ${r.name}: ${r.value} ${r.unit}`)
}
const seconds = (ms: number) => Math.round(ms / 10) / 100

async function main() {
  if (want('core') || want('ingest')) await core()

  // In a process of its own, like a real server: this one holds gigabytes from the steps above,
  // and its garbage collector's pauses are not the API's.
  if (want('api')) {
    console.log('API under load...')
    for (const r of await apiInOwnProcess()) record(r)
  }

  if (want('demo')) {
    console.log('first start of the demo, then restarts...')
    for (const r of await benchDemoStart()) record(r)
  }

  if (want('web')) {
    console.log('the web app in Chromium...')
    for (const r of await benchWeb()) record(r)
  }

  if (want('cli')) {
    console.log('the CLI and the server start, whole processes...')
    for (const r of await benchCli({ root, size })) record(r)
  }

  if (want('channels')) {
    const emails = scale === 'full' ? 100_000 : 10_000
    console.log(`${emails} e-mails from a live campaign to a local SMTP server...`)
    for (const r of await benchChannels({ size: emails })) record(r)
  }

  if (want('canvas')) {
    console.log('the campaign canvas in Chromium...')
    for (const r of await benchCanvas()) record(r)
  }

  const dir = join(process.cwd(), 'bench', 'results')
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(
      dir,
      `${new Date().toISOString().replace(/[:.]/g, '-')}-${scale}${only ? `-${only.join('-')}` : ''}.json`,
    ),
    JSON.stringify(results, null, 2),
  )
  // A partial run (--only) updates its rows of latest.json and keeps the others.
  const latest = join(dir, 'latest.json')
  const kept =
    only && existsSync(latest)
      ? (JSON.parse(readFileSync(latest, 'utf8')) as Result[]).filter(
          (r) => !results.some((n) => n.name === r.name),
        )
      : []
  writeFileSync(latest, JSON.stringify([...kept, ...results], null, 2))
  console.log('')
  console.table(results.map((r) => ({ name: r.name, value: r.value, unit: r.unit, target: r.target ?? '' })))
}

/** Ingestion, rules on both engines, audiences, campaigns, sharing and the hub, on one data set. */
async function core() {
  const demoDir = join(root, 'demo')
  const marker = join(demoDir, `.done-${size.profiles}-${size.purchases}`)
  if (!existsSync(marker)) {
    console.log(`generating ${size.profiles} profiles and ${size.purchases} purchases...`)
    rmSync(demoDir, { recursive: true, force: true })
    const t = Date.now()
    await generateDemo({ ...size, seed: 1, out: demoDir, asOf: new Date('2026-11-01T00:00:00Z') })
    writeFileSync(marker, '')
    record({ name: 'demo_generate_s', value: seconds(Date.now() - t), unit: 's' })
  }
  rmSync(dataDir, { recursive: true, force: true })
  mkdirSync(dataDir, { recursive: true })
  const store = await Store.open({ dataDir })
  await store.createOrg('bench', 'Bench')
  await store.catalog.apply('bench', parseSchemaText(readFileSync(join(demoDir, 'schema.yaml'), 'utf8')))

  // Read once before timing, so every run (and the raw-reader floor below) starts from the page
  // cache rather than from however much of the files the disk cache happens to hold.
  for (const f of ['profiles', 'purchases', 'visitor_links']) {
    const fd = openSync(join(demoDir, `${f}.csv`), 'r')
    const buf = Buffer.allocUnsafe(1 << 24)
    while (readSync(fd, buf, 0, buf.length, null) > 0);
    closeSync(fd)
  }
  console.log('ingesting...')
  // Timed around the call, so the commit (after the report's own duration) is counted too.
  const timedIngest = async (table: string) => {
    const t0 = Date.now()
    const report = await store.ingestor.ingest('bench', table, join(demoDir, `${table}.csv`))
    return { ...report, durationMs: Date.now() - t0 }
  }
  const profiles = await timedIngest('profiles')
  const purchases = await timedIngest('purchases')
  const links = await timedIngest('visitor_links')
  const suffix = scale === 'full' ? '' : '_small'
  record({ name: `ingest_profiles_1m_s${suffix}`, value: seconds(profiles.durationMs), unit: 's' })
  record({ name: `ingest_purchases_10m_s${suffix}`, value: seconds(purchases.durationMs), unit: 's' })
  const total = profiles.durationMs + purchases.durationMs
  record({
    name: `ingest_profiles_purchases_total_s${suffix}`,
    value: seconds(total),
    unit: 's',
    target: '< 20 (full)',
  })
  record({
    name: `ingest_rows_per_s${suffix}`,
    value: Math.round(((profiles.received + purchases.received) / total) * 1000),
    unit: 'rows/s',
  })
  record({ name: `ingest_visitor_links_s${suffix}`, value: seconds(links.durationMs), unit: 's' })

  // The engine's own reader alone, on the same files: the floor our pipeline is compared with.
  const t = Date.now()
  await store.engine.withSession(async (s) => {
    for (const f of ['profiles', 'purchases']) {
      await s.run(
        `CREATE TEMP TABLE raw_${f} AS SELECT * FROM read_csv(${literal(join(demoDir, `${f}.csv`))}, ignore_errors = true)`,
      )
    }
  })
  const raw = Date.now() - t
  record({ name: `ingest_raw_reader_s${suffix}`, value: seconds(raw), unit: 's' })
  record({ name: `ingest_overhead_ratio${suffix}`, value: Math.round((total / raw) * 100) / 100, unit: 'x' })

  // Re-ingesting the same file: every row is compared with the stored one and left unchanged.
  const again = await store.ingestor.ingest('bench', 'profiles', join(demoDir, 'profiles.csv'))
  record({ name: `ingest_profiles_unchanged_s${suffix}`, value: seconds(again.durationMs), unit: 's' })
  record({
    name: `peak_rss_mb${suffix}`,
    value: Math.round(process.resourceUsage().maxRSS / 1024),
    unit: 'MB',
  })

  if (!want('core')) {
    await store.close()
    return
  }

  console.log('rules on DuckDB...')
  const tables = await store.catalog.definitions('bench')
  const duck = store.engine
  const values = (params: { value: unknown }[]) => params.map((p) => p.value) as never[]
  for (const r of await benchRules(
    {
      dialect: 'duckdb',
      namespace: 'org_bench',
      tables,
      count: async (sql, params) =>
        Number(
          (await duck.query<{ n: number }>(`SELECT count(*) AS n FROM (${sql}) AS q`, values(params)))[0]!.n,
        ),
      fetch: async (sql, params) => (await duck.query(sql, values(params))).length,
    },
    suffix,
  ))
    record(r)

  console.log('audiences...')
  for (const r of await runAudienceBench(store, 'bench')) record({ ...r, name: `${r.name}${suffix}` })

  console.log('campaigns...')
  for (const r of await benchCampaigns(store, 'bench')) record({ ...r, name: `${r.name}${suffix}` })

  console.log('sharing through the hub...')
  for (const r of await benchSharing(store, 'bench')) record({ ...r, name: `${r.name}${suffix}` })
  await store.close()

  console.log('rules on ClickHouse (chDB)...')
  const clean = await cleanCsvFiles({
    namespace: 'org_bench',
    tables,
    files: { profiles: join(demoDir, 'profiles.csv'), purchases: join(demoDir, 'purchases.csv') },
    outDir: join(root, 'clean'),
  })
  const ch = await ClickHouseEngine.open({ backend: 'chdb', path: join(root, 'chdb') })
  try {
    await ch.run('DROP DATABASE IF EXISTS org_bench')
    await bulkLoadCsv(ch, { namespace: 'org_bench', tables, files: clean.files })
    for (const r of await benchRules(
      {
        dialect: 'clickhouse',
        namespace: 'org_bench',
        tables,
        count: async (sql, params) =>
          Number(
            (await ch.query<{ n: number }>(`SELECT count() AS n FROM (${sql}) AS q`, values(params)))[0]!.n,
          ),
        fetch: async (sql, params) => (await ch.query(sql, values(params))).length,
      },
      suffix,
    ))
      record(r)
  } finally {
    await ch.close()
  }

  console.log('hub over HTTP...')
  for (const r of await benchHub({ size: size.profiles })) record({ ...r, name: `${r.name}${suffix}` })
}

await main()

function apiInOwnProcess(): Promise<BenchRow[]> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'api.ts')],
      { maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`bench/api.ts failed: ${stderr.slice(-500)}`))
        resolve(
          stdout
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as BenchRow),
        )
      },
    ),
  )
}
