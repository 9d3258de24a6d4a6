/**
 * The CLI as people script it, whole processes, median of 5 (docs/adr/0024-a-built-cli.md):
 * `ahub --help` (time and peak memory), `rule count` of benchmark rule 1 against a running server and
 * on the data directory itself, and `ahub start --no-demo` on an existing data directory to a 200 on
 * /health. `node_bare_ms` (a Node process that does nothing) is this machine's floor for all of them.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { parseSchemaText } from '@ahub/core'
import { ensureWebBuild } from '@ahub/server'
import { Store } from '@ahub/store'
import { generateDemo } from '@ahub/testing'
import type { BenchRow } from './api'
import { BENCH_AS_OF, Q1 } from './rules'

const BIN = resolve(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'ahub.js')
const RUNS = 5
/** The organisation `ahub start` writes an admin token for. */
const ORG = 'demo'

export interface CliBenchOptions {
  /** Where the bench keeps its files (.tmp/bench-<scale>). */
  root: string
  size: { profiles: number; purchases: number }
}

export async function benchCli(o: CliBenchOptions): Promise<BenchRow[]> {
  // `npm start` builds the web app once; a start must not pay for it here.
  ensureWebBuild()
  await runNode(['-e', '']) // warm the page cache for node itself
  await runNode([BIN, '--version']) // and build the CLI if its sources changed
  const dataDir = await cliData(o)
  const rule = join(o.root, 'cli-rule-1.json')
  writeFileSync(rule, JSON.stringify(Q1))
  // No login config or server from the environment may redirect the local count.
  const env = {
    AHUB_HUB_URL: '',
    AHUB_HUB_TOKEN: '',
    AHUB_SERVER: '',
    AHUB_TOKEN: '',
    AHUB_CONFIG: join(o.root, 'no-cli-config.json'),
  }

  const bare = await median(() => timed(() => runNode(['-e', ''])))
  const help = await median(() => timed(() => runNode([BIN, '--help'])))
  const helpRss = await median(() => peakRssMb([BIN, '--help']))
  const local = await median(() =>
    timed(() => runNode([BIN, '--data-dir', dataDir, '--org', ORG, 'rule', 'count', rule], env)),
  )

  const starts: number[] = []
  let remote = Number.NaN
  for (let i = 0; i < RUNS; i++) {
    const server = await start(dataDir)
    starts.push(server.ms)
    if (i === RUNS - 1) {
      const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()
      const args = [BIN, '--server', server.url, '--token', token, '--org', ORG, 'rule', 'count', rule]
      remote = await median(() => timed(() => runNode(args, env)))
    }
    await server.stop()
  }
  return [
    { name: 'node_bare_ms', value: round(bare), unit: 'ms' },
    { name: 'cli_help_ms', value: round(help), unit: 'ms', target: '< 150' },
    { name: 'cli_help_rss_mb', value: round(helpRss), unit: 'MB', target: '< 100' },
    { name: 'cli_remote_count_ms', value: round(remote), unit: 'ms', target: '< 400' },
    { name: 'cli_local_count_ms', value: round(local), unit: 'ms', target: '< 800' },
    { name: 'server_cold_start_ms', value: round(middle(starts)), unit: 'ms', target: '< 1000' },
  ]
}

/**
 * A data directory holding the demo (in org `demo`), made once per size and kept between runs:
 * the start and the local count are measured on an existing directory, as a user meets it.
 */
async function cliData(o: CliBenchOptions): Promise<string> {
  const dataDir = join(o.root, `cli-data-${o.size.profiles}-${o.size.purchases}`)
  const marker = join(dataDir, '.ready')
  if (existsSync(marker)) return dataDir
  const demoDir = join(o.root, 'demo')
  const demoMarker = join(demoDir, `.done-${o.size.profiles}-${o.size.purchases}`)
  if (!existsSync(demoMarker)) {
    console.log(`  generating ${o.size.profiles} profiles and ${o.size.purchases} purchases...`)
    rmSync(demoDir, { recursive: true, force: true })
    await generateDemo({ ...o.size, seed: 1, out: demoDir, asOf: BENCH_AS_OF })
    writeFileSync(demoMarker, '')
  }
  console.log('  loading the CLI data directory...')
  rmSync(dataDir, { recursive: true, force: true })
  mkdirSync(dataDir, { recursive: true })
  const store = await Store.open({ dataDir })
  try {
    await store.createOrg(ORG, 'Demo')
    await store.catalog.apply(ORG, parseSchemaText(readFileSync(join(demoDir, 'schema.yaml'), 'utf8')))
    for (const table of ['profiles', 'purchases', 'visitor_links'])
      await store.ingestor.ingest(ORG, table, join(demoDir, `${table}.csv`))
  } finally {
    await store.close()
  }
  writeFileSync(marker, '')
  return dataDir
}

/** `ahub start --no-demo` until /health answers 200: the ms it took, its URL and how to stop it. */
async function start(dataDir: string): Promise<{ ms: number; url: string; stop: () => Promise<void> }> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const t0 = performance.now()
  const child = spawn(
    process.execPath,
    [BIN, 'start', '--no-demo', '--data-dir', dataDir, '--port', String(port)],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, AHUB_HUB_URL: '', AHUB_HUB_TOKEN: '' } },
  )
  let err = ''
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString()
  })
  while (!(await healthy(url))) {
    if (child.exitCode !== null) throw new Error(`ahub start exited with ${child.exitCode}:\n${err}`)
    if (performance.now() - t0 > 60_000) throw new Error(`ahub start did not answer in 60 s:\n${err}`)
    await new Promise((r) => setTimeout(r, 5))
  }
  const ms = performance.now() - t0
  return { ms, url, stop: () => stop(child) }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null) return done()
    child.once('exit', () => done())
    child.kill('SIGINT')
  })
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`)).status === 200
  } catch {
    return false
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      const port = typeof address === 'object' && address ? address.port : 0
      s.close(() => done(port))
    })
  })
}

/** Runs node with `args`; rejects when it fails, so a broken command is never timed as a fast one. */
function runNode(args: string[], env: Record<string, string> = {}, nodeOptions = ''): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      args,
      { env: { ...process.env, ...env, NODE_OPTIONS: nodeOptions }, maxBuffer: 1 << 24 },
      (error, stdout, stderr) =>
        error ? fail(new Error(`node ${args.join(' ')} failed: ${stderr}`)) : done(stdout + stderr),
    )
  })
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

/** Peak resident memory of a whole run, as the process itself reports it when it exits. */
async function peakRssMb(args: string[]): Promise<number> {
  const probe = join(import.meta.dirname, '..', '.tmp', 'report-peak-rss.cjs')
  mkdirSync(join(probe, '..'), { recursive: true })
  writeFileSync(
    probe,
    "process.on('exit', () => process.stderr.write('\\npeak-rss-kb ' + process.resourceUsage().maxRSS + '\\n'))\n",
  )
  const out = await runNode(args, {}, `--require ${probe}`)
  const kb = Number(/peak-rss-kb (\d+)/.exec(out)?.[1])
  if (!Number.isFinite(kb)) throw new Error(`no peak RSS reported by node ${args.join(' ')}`)
  return kb / 1024
}

async function median(fn: () => Promise<number>): Promise<number> {
  const values: number[] = []
  for (let i = 0; i < RUNS; i++) values.push(await fn())
  return middle(values)
}

function middle(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

const round = (n: number) => Math.round(n * 10) / 10
