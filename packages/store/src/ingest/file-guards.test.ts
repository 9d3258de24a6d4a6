import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { parseSchemaText } from '@ahub/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Store } from '../store'

// Issue 13, items 12 and 13: files that change under a batch, bounds on what a batch writes and
// decompresses, orphan files, keys of spaces.
const SCHEMA = `
tables:
  orders:
    primaryKey: [order_id]
    fields:
      order_id: { type: string, nullable: false }
      amount: { type: integer }
`

let dir: string
let dataDir: string
let store: Store

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ahub-guards-'))
  dataDir = join(dir, 'data')
  store = await Store.open({ dataDir })
  await store.createOrg('acme', 'Acme')
  await store.catalog.apply('acme', parseSchemaText(SCHEMA))
})

afterEach(async () => {
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

function orders(n: number, bad = false): string {
  const lines = ['order_id,amount']
  for (let i = 0; i < n; i++) lines.push(`o${String(i).padStart(6, '0')},${bad ? 'x'.repeat(40) : i}`)
  return `${lines.join('\n')}\n`
}

const count = async () =>
  Number((await store.engine.query<{ n: number }>('SELECT count(*) AS n FROM org_acme.orders'))[0]!.n)

const lastBatch = async () => (await store.batches.list('acme', 'orders'))[0]!

describe('a file that changes while it is ingested', () => {
  it('fails with INGEST_SOURCE_CHANGED when cut short as the reader starts, applying nothing', async () => {
    const path = join(dir, 'orders.csv')
    writeFileSync(path, orders(20_000))
    const ingest = store.ingestor.ingest('acme', 'orders', path, {
      onProgress: (p) => {
        if (p.phase === 'reading' && p.percentage === 0) truncateSync(path, 100_000)
      },
    })
    await expect(ingest).rejects.toMatchObject({
      code: 'INGEST_SOURCE_CHANGED',
      details: { file: 'orders.csv', bytesNow: 100_000 },
    })
    expect(await count()).toBe(0)
    expect(await lastBatch()).toMatchObject({
      status: 'failed',
      report: { error: { code: 'INGEST_SOURCE_CHANGED' } },
    })
  })

  it('fails with INGEST_SOURCE_CHANGED when rewritten at the same size after the read', async () => {
    const path = join(dir, 'orders.csv')
    writeFileSync(path, orders(1000))
    const other = orders(1000).replaceAll('o0', 'x0')
    const ingest = store.ingestor.ingest('acme', 'orders', path, {
      onProgress: (p) => {
        if (p.phase === 'validating') writeFileSync(path, other)
      },
    })
    await expect(ingest).rejects.toMatchObject({ code: 'INGEST_SOURCE_CHANGED' })
    expect(await count()).toBe(0)
  })

  it('fails with INGEST_SOURCE_MISSING, not INGEST_MALFORMED_FILE, when deleted under the reader', async () => {
    const path = join(dir, 'orders.csv')
    writeFileSync(path, orders(1000))
    const ingest = store.ingestor.ingest('acme', 'orders', path, {
      onProgress: (p) => {
        if (p.phase === 'reading' && p.percentage === 0) unlinkSync(path)
      },
    })
    await expect(ingest).rejects.toMatchObject({
      code: 'INGEST_SOURCE_MISSING',
      details: { file: 'orders.csv' },
    })
    expect(await count()).toBe(0)
  })

  it('applies a file left alone', async () => {
    const path = join(dir, 'orders.csv')
    writeFileSync(path, orders(1000))
    expect((await store.ingestor.ingest('acme', 'orders', path)).inserted).toBe(1000)
  })
})

describe('bounds on the files of a batch', () => {
  it('fails with INGEST_REJECTS_TOO_LARGE past the reject limit: no reject file, nothing applied', async () => {
    const path = join(dir, 'bad.csv')
    writeFileSync(path, `${orders(10)}${orders(2000, true).split('\n').slice(1).join('\n')}`)
    await expect(
      store.ingestor.ingest('acme', 'orders', path, { limits: { maxRejectBytes: 20_000 } }),
    ).rejects.toMatchObject({ code: 'INGEST_REJECTS_TOO_LARGE', details: { limit: 20_000 } })
    expect(await count()).toBe(0)
    expect(readdirSync(join(dataDir, 'rejects')).filter((f) => f.endsWith('.csv'))).toEqual([])
    expect((await lastBatch()).status).toBe('failed')
    // Under the default limit the same file applies, its rejects written.
    const report = await store.ingestor.ingest('acme', 'orders', path)
    expect(report).toMatchObject({ inserted: 10, rejected: 2000 })
    expect(existsSync(report.rejectFile!)).toBe(true)
  })

  it('refuses a gzip bomb by its ratio, and a large gzip by the absolute limit', async () => {
    const header = 'order_id,amount\n'
    const bomb = gzipSync(Buffer.concat([Buffer.from(header), Buffer.alloc(5_000_000, 'a')]))
    expect(bomb.length).toBeLessThan(20_000)
    const path = join(dir, 'bomb.csv.gz')
    writeFileSync(path, bomb)
    await expect(
      store.ingestor.ingest('acme', 'orders', path, {
        limits: { maxCompressionRatio: 100, ratioFloorBytes: 1_000_000 },
      }),
    ).rejects.toMatchObject({ code: 'INGEST_DECOMPRESSED_TOO_LARGE', details: { limit: 1_000_000 } })
    const plain = join(dir, 'orders.csv.gz')
    writeFileSync(plain, gzipSync(orders(50_000)))
    await expect(
      store.ingestor.ingest('acme', 'orders', plain, { limits: { maxDecompressedBytes: 100_000 } }),
    ).rejects.toMatchObject({ code: 'INGEST_DECOMPRESSED_TOO_LARGE', details: { limit: 100_000 } })
    expect(await count()).toBe(0)
    expect((await store.ingestor.ingest('acme', 'orders', plain)).inserted).toBe(50_000)
  })
})

describe('keys and files', () => {
  it('rejects a primary key of spaces only with KEY_BLANK', async () => {
    const path = join(dir, 'keys.csv')
    writeFileSync(path, 'order_id,amount\no1,1\n"   ",2\n"\u00a0\t",3\n o2 ,4\n')
    const report = await store.ingestor.ingest('acme', 'orders', path)
    expect(report).toMatchObject({ inserted: 2, rejected: 2 })
    expect(report.rejectSample.map((r) => [r.line, r.column, r.code])).toEqual([
      [3, 'order_id', 'KEY_BLANK'],
      [4, 'order_id', 'KEY_BLANK'],
    ])
  })

  it('removes uploads and reject files a killed process left when the store opens again', async () => {
    const kept = join(dir, 'some.csv')
    writeFileSync(kept, 'order_id,amount\no1,x\no2,2\n')
    const report = await store.ingestor.ingest('acme', 'orders', kept)
    await store.close()
    mkdirSync(join(dataDir, 'uploads'), { recursive: true })
    writeFileSync(join(dataDir, 'uploads', 'u_0killed'), 'half an upload')
    writeFileSync(join(dataDir, 'rejects', 'b_0killed.csv'), 'line,column,code,reason,raw\n')
    store = await Store.open({ dataDir })
    expect(existsSync(join(dataDir, 'uploads'))).toBe(false)
    expect(readdirSync(join(dataDir, 'rejects'))).toEqual([`${report.batchId}.csv`])
  })
})

describe('limits from the environment', () => {
  it('reads AHUB_INGEST_MAX_* and refuses a value that is not a positive number', async () => {
    const { ingestLimitsFromEnv } = await import('./pipeline')
    expect(
      ingestLimitsFromEnv({ AHUB_INGEST_MAX_REJECT_BYTES: '1000', AHUB_INGEST_MAX_COMPRESSION_RATIO: '50' }),
    ).toEqual({ maxRejectBytes: 1000, maxCompressionRatio: 50 })
    expect(() => ingestLimitsFromEnv({ AHUB_INGEST_MAX_DECOMPRESSED_BYTES: '-1' })).toThrow(
      expect.objectContaining({ code: 'INGEST_OPTIONS_INVALID' }),
    )
  })
})
