/**
 * The hub over HTTP on loopback (docs/hub.md): starts `hub serve` in-process on a temporary data
 * directory with tokens for two orgs, then measures publishing 1 M protected (SHA-256) IDs as a new
 * version (`hub_publish_1m_s`: upload, read by the engine, compare, commit), downloading them as the
 * other org (`hub_download_1m_s`), and the push latency from the start of publishing a 1 000-ID
 * change to the SSE event at a subscriber (`hub_push_ms`, median of 5).
 * `node --import tsx bench/hub.ts` prints the rows; `bench/run.ts` calls `benchHub()`.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { protectIds } from '@ahub/core'
import { HttpHubClient, serveHub } from '@ahub/hub'

export interface BenchRow {
  name: string
  value: number
  unit: string
  target?: string
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits

/** Runs the three hub measurements with `size` IDs (1 M by default). */
export async function benchHub(options: { size?: number } = {}): Promise<BenchRow[]> {
  const size = options.size ?? 1_000_000
  const dir = mkdtempSync(join(tmpdir(), 'ahub-bench-hub-'))
  const running = await serveHub({
    dataDir: join(dir, 'hub'),
    port: 0,
    env: { AHUB_HUB_MASTER_KEY: 'b7'.repeat(32) },
  })
  try {
    const a = await HttpHubClient.connect({
      url: running.url,
      token: (await running.hub.tokens.create('a')).secret,
    })
    const b = await HttpHubClient.connect({
      url: running.url,
      token: (await running.hub.tokens.create('b')).secret,
    })
    const ds = await a.createDataSource({
      label: 'hashed e-mails',
      alias: 'email_sha256',
      idType: 'declared',
      namespace: 'email',
      channel: 'email',
      protection: { kind: 'sha256' },
    })
    const sa = await a.createSharedAudience({ name: 'bench', dataSource: ds.id, sharedWith: ['b'] })
    const ids = protectIds(
      Array.from({ length: size }, (_, i) => `customer.${i}@example.com`),
      { kind: 'sha256' },
    )
    const file = join(dir, 'ids.txt')
    writeFileSync(file, `${ids.join('\n')}\n`)

    let t = performance.now()
    const v1 = await a.publish(sa.id, file, { mode: 'add', requestId: 'bench-1' })
    const publishS = (performance.now() - t) / 1000
    if (v1.size !== size) throw new Error(`published ${v1.size} of ${size}`)

    const out = join(dir, 'download.txt')
    t = performance.now()
    const count = await b.downloadMembers(sa.id, out)
    const downloadS = (performance.now() - t) / 1000
    if (count !== size || statSync(out).size !== statSync(file).size) throw new Error('download mismatch')

    const latencies: number[] = []
    const waiters: ((at: number) => void)[] = []
    let opened = false
    const stop = b.subscribe(() => waiters.shift()?.(performance.now()), { onOpen: () => (opened = true) })
    try {
      while (!opened) await new Promise((r) => setTimeout(r, 10))
      for (let round = 0; round < 5; round++) {
        const change = join(dir, `change-${round}.txt`)
        const extra = protectIds(
          Array.from({ length: 1000 }, (_, i) => `new.${round}.${i}@example.com`),
          { kind: 'sha256' },
        )
        writeFileSync(change, `${extra.join('\n')}\n`)
        const received = new Promise<number>((resolve) => waiters.push(resolve))
        const start = performance.now()
        await a.publish(sa.id, change, { mode: 'add', requestId: `bench-push-${round}` })
        latencies.push((await received) - start)
      }
    } finally {
      stop()
    }
    latencies.sort((x, y) => x - y)
    const scale = size === 1_000_000 ? '1m' : `${size}`
    return [
      { name: `hub_publish_${scale}_s`, value: round(publishS), unit: 's', target: '~1-2' },
      { name: `hub_download_${scale}_s`, value: round(downloadS), unit: 's', target: '~1-2' },
      { name: 'hub_push_ms', value: round(latencies[2] as number, 1), unit: 'ms', target: '< 1000' },
    ]
  } finally {
    await running.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await benchHub()) console.log(`${row.name}: ${row.value} ${row.unit}`)
}
