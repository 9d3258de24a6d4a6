/**
 * API latency under load: starts the server in-process on a temporary data directory, creates an
 * API token, and loads `GET /v1/me` (authenticated: token check, role lookup, JSON answer) from a
 * second process over 200 keep-alive connections: first an even offered load (bench/load.ts,
 * 2 000 req/s) for the latency target, then autocannon at saturation for the capacity (`api_rps`),
 * then `/health` (no auth, no store) at saturation as the machine's baseline. `node --import tsx bench/api.ts` prints the rows; `bench/run.ts`
 * calls `benchApi()`.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { bootstrapAdmin, buildApp } from '@ahub/server'
import { Store } from '@ahub/store'

export interface BenchRow {
  name: string
  value: number
  unit: string
  target?: string
}

interface AutocannonResult {
  latency: { p50: number; p99: number }
  requests: { average: number }
  non2xx: number
  errors: number
}

/** Runs the load and returns `api_get_p99_ms` and `api_rps` (plus p50 and failures). */
export async function benchApi(
  options: { connections?: number; durationS?: number; rate?: number } = {},
): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ahub-bench-api-'))
  const store = await Store.open({ dataDir: join(dir, 'data') })
  // The limiter stays in the request path, set high enough not to refuse the load.
  const app = await buildApp({ store, rateLimit: { max: 100_000_000, timeWindowMs: 60_000 } })
  try {
    await store.createOrg('bench', 'Bench')
    const { secret } = await bootstrapAdmin(store, 'bench', true)
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    if (!address || typeof address === 'string') throw new Error('the server has no port')
    const base = `http://127.0.0.1:${address.port}`
    const check = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${secret}` } })
    if (!check.ok) throw new Error(`GET /v1/me answered ${check.status}`)
    const connections = options.connections ?? 200
    const durationS = options.durationS ?? 10
    const rate = options.rate ?? 2000
    // Latency at an offered load: 200 open connections sending `rate` requests a second in all.
    const me = await openLoop(`${base}/v1/me`, secret!, connections, rate, durationS)
    // Saturation: every connection sends as fast as answers come back. Latency there is
    // connections / throughput (Little's law), so it measures capacity, not responsiveness.
    const saturated = await autocannon(`${base}/v1/me`, secret!, connections, durationS)
    // The same saturation on /health (no auth, no store) shows what the machine allows at all.
    const health = await autocannon(`${base}/health`, secret!, connections, Math.ceil(durationS / 2))
    return [
      { name: 'api_get_p99_ms', value: me.p99, unit: 'ms', target: '< 10' },
      { name: 'api_get_p50_ms', value: me.p50, unit: 'ms' },
      { name: 'api_offered_rps', value: rate, unit: 'req/s' },
      { name: 'api_answered_rps', value: me.achievedRps, unit: 'req/s' },
      { name: 'api_rps', value: Math.round(saturated.requests.average), unit: 'req/s' },
      { name: 'api_get_p99_saturated_ms', value: saturated.latency.p99, unit: 'ms' },
      {
        name: 'api_failed_requests',
        value: me.failed + saturated.non2xx + saturated.errors,
        unit: 'requests',
        target: '0',
      },
      { name: 'api_health_p99_saturated_ms', value: health.latency.p99, unit: 'ms' },
      { name: 'api_health_rps', value: Math.round(health.requests.average), unit: 'req/s' },
    ]
  } finally {
    await app.close()
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

interface OpenLoopResult {
  p50: number
  p99: number
  failed: number
  achievedRps: number
}

/** Runs bench/load.ts (an even, open-loop load) in a child process and returns its latencies. */
function openLoop(
  url: string,
  token: string,
  connections: number,
  rate: number,
  durationS: number,
): Promise<OpenLoopResult> {
  const script = resolve(import.meta.dirname, 'load.ts')
  const args = ['--import', 'tsx', script, url, token, String(connections), String(rate), String(durationS)]
  return runJson<OpenLoopResult>(process.execPath, args)
}

/** Runs the autocannon CLI in a child process, so the load does not share the server's event loop. */
function autocannon(
  url: string,
  token: string,
  connections: number,
  durationS: number,
): Promise<AutocannonResult> {
  const bin = resolve(import.meta.dirname, '../node_modules/.bin/autocannon')
  const args = [
    '-c',
    String(connections),
    '-d',
    String(durationS),
    '-H',
    `authorization=Bearer ${token}`,
    '--json',
    url,
  ]
  return runJson<AutocannonResult>(bin, args)
}

/** Runs a command that prints one JSON document and parses it. */
function runJson<T>(command: string, args: string[]): Promise<T> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d
    })
    child.stderr.on('data', (d: Buffer) => {
      err += d
    })
    child.on('error', fail)
    child.on('close', (code) => {
      if (code !== 0) return fail(new Error(`${command} exited with ${code}: ${err.slice(-500)}`))
      try {
        done(JSON.parse(out) as T)
      } catch (e) {
        fail(e)
      }
    })
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await benchApi()) console.log(JSON.stringify(row))
}
