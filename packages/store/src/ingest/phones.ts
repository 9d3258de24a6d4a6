import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { normalisePhone } from '@ahub/core'

/** Below this many distinct numbers, starting workers costs more than it saves. */
const WORKER_THRESHOLD = 50_000
const CHUNK = 20_000

/**
 * Normalises phone numbers to E.164 (null when invalid) with libphonenumber, the one rule the
 * engine cannot express in SQL. At about 6 µs a number it is the costliest check of a profile
 * batch, so large batches are spread over worker threads, one per core.
 */
export async function normalisePhones(
  raws: string[],
  countries: (string | null)[],
): Promise<(string | null)[]> {
  if (raws.length < WORKER_THRESHOLD) return normaliseChunk(raws, countries)
  const workers = Math.max(1, Math.min(4, availableParallelism()))
  const pool = Array.from({ length: workers }, () => startWorker())
  try {
    const out: (string | null)[] = new Array(raws.length)
    let next = 0
    await Promise.all(
      pool.map(async (w) => {
        const worker = await w
        while (next < raws.length) {
          const from = next
          next += CHUNK
          const result = await request(
            worker,
            raws.slice(from, from + CHUNK),
            countries.slice(from, from + CHUNK),
          )
          for (let i = 0; i < result.length; i++) out[from + i] = result[i]!
        }
      }),
    )
    return out
  } finally {
    await Promise.all(pool.map(async (w) => (await w).terminate()))
  }
}

function normaliseChunk(raws: string[], countries: (string | null)[]): (string | null)[] {
  return raws.map((raw, i) => {
    const r = normalisePhone(raw, countries[i] ?? undefined)
    return r.ok ? r.value : null
  })
}

// From the sources the worker registers tsx, then runs phone-worker.ts; the built CLI bundles the
// worker next to its chunks as phone-worker.js.
const TSX_WORKER_SOURCE = `
const { workerData } = require('node:worker_threads')
;(async () => {
  const { register } = await import(workerData.tsx)
  register()
  await import(workerData.worker)
})().catch((e) => { throw e })
`

function startWorker(): Promise<Worker> {
  const bundled = new URL('./phone-worker.js', import.meta.url)
  const worker = existsSync(fileURLToPath(bundled))
    ? new Worker(bundled)
    : new Worker(TSX_WORKER_SOURCE, {
        eval: true,
        workerData: { tsx: tsxApiUrl(), worker: new URL('./phone-worker.ts', import.meta.url).href },
      })
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve(worker))
    worker.once('error', reject)
  })
}

/** The ESM entry of tsx's API (its CommonJS twin cannot register hooks from a worker). */
function tsxApiUrl(): string {
  const resolved = createRequire(import.meta.url).resolve('tsx/esm/api')
  const esm = resolved.replace(/\.cjs$/, '.mjs')
  return pathToFileURL(existsSync(esm) ? esm : resolved).href
}

function request(worker: Worker, raws: string[], countries: (string | null)[]): Promise<(string | null)[]> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e)
    worker.once('error', onError)
    worker.once('message', (out: (string | null)[]) => {
      worker.off('error', onError)
      resolve(out)
    })
    worker.postMessage({ raws, countries })
  })
}
