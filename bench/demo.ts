/**
 * The first start a newcomer sees: `ahub start` (the README's `npm start`) on an empty data
 * directory, from the process's spawn to the URL printed (`demo_first_start_s`: the demo data
 * generated and ingested, the living demo's audiences, campaign run and partner import made), then
 * later starts of the same directory (`demo_restart_s`, the median of three). The web app is built
 * before timing, as `npm start` does once after install.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ensureWebBuild } from '@ahub/server'
import type { BenchRow } from './api'

const BIN = resolve(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'ahub.js')

/** Spawns `ahub start` and resolves with the ms until it printed its URL, and a stop function. */
function startOnce(dataDir: string): Promise<{ ms: number; stop: () => Promise<void> }> {
  const t0 = performance.now()
  const child = spawn(process.execPath, [BIN, 'start', '--data-dir', dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AHUB_HUB_URL: '', AHUB_HUB_TOKEN: '' },
  })
  let out = ''
  return new Promise((resolvePromise, reject) => {
    const onExit = (code: number | null) => reject(new Error(`ahub start exited with ${code}:\n${out}`))
    child.once('exit', onExit)
    const read = (chunk: Buffer) => {
      out += chunk.toString()
      if (!/running at http/.test(out)) return
      const ms = performance.now() - t0
      child.stdout!.off('data', read)
      child.stdout!.resume()
      child.stderr!.resume()
      child.off('exit', onExit)
      resolvePromise({
        ms,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done())
            child.kill('SIGINT')
          }),
      })
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', (c: Buffer) => {
      out += c.toString()
    })
  })
}

export async function benchDemoStart(): Promise<BenchRow[]> {
  ensureWebBuild()
  const dir = mkdtempSync(join(tmpdir(), 'ahub-bench-demo-'))
  try {
    const dataDir = join(dir, 'data')
    const first = await startOnce(dataDir)
    await first.stop()
    const restarts: number[] = []
    for (let i = 0; i < 3; i++) {
      const again = await startOnce(dataDir)
      restarts.push(again.ms)
      await again.stop()
    }
    restarts.sort((a, b) => a - b)
    const s = (ms: number) => Math.round(ms / 10) / 100
    return [
      { name: 'demo_first_start_s', value: s(first.ms), unit: 's', target: '< 30' },
      { name: 'demo_restart_s', value: s(restarts[1]!), unit: 's', target: '< 3' },
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
