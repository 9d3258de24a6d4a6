import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { parseSchemaText } from '@ahub/core'
import { type App, bootstrapAdmin, buildApp } from '@ahub/server'
import { Store } from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Issue 13, items 12 and 13, through the HTTP API: no server path in batch answers, orphan
// uploads removed after each job, decompression and reject files bounded with coded errors.
describe('files of batches uploaded over HTTP', () => {
  let dir: string
  let store: Store
  let app: App
  let token = ''

  async function upload(name: string, body: string | Buffer, type = 'text/csv') {
    const res = await app.inject({
      method: 'POST',
      url: `/v1/orgs/acme/datasets/orders/batches?fileName=${encodeURIComponent(name)}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      payload: body,
    })
    return { status: res.statusCode, json: JSON.parse(res.body), body: res.body }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahub-e2e-files-'))
    store = await Store.open({
      dataDir: join(dir, 'data'),
      ingestLimits: { maxCompressionRatio: 50, ratioFloorBytes: 1_000_000, maxRejectBytes: 50_000 },
    })
    await store.createOrg('acme', 'Acme')
    await store.catalog.apply(
      'acme',
      parseSchemaText(`
tables:
  orders:
    primaryKey: [order_id]
    fields:
      order_id: { type: string, nullable: false }
      amount: { type: integer }
`),
    )
    token = (await bootstrapAdmin(store, 'acme', true)).secret!
    app = await buildApp({ store, rateLimit: false })
    await app.ready()
  })

  afterAll(async () => {
    await app?.close()
    await store?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('lists batches with the file name only, the reject file as its route, and no server path', async () => {
    const ok = await upload('orders.csv', 'order_id,amount\no1,1\no2,x\n   ,3\n')
    expect(ok.status).toBe(200)
    expect(ok.json).toMatchObject({ inserted: 1, rejected: 2 })
    const gz = await upload('broken.csv.gz', Buffer.from('not gzip at all'))
    expect(gz.status).toBe(400)
    expect(JSON.stringify(gz.json)).not.toContain(store.dataDir)
    const list = await app.inject({
      method: 'GET',
      url: '/v1/orgs/acme/batches',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(list.statusCode).toBe(200)
    expect(list.body).not.toContain(store.dataDir)
    expect(list.body).not.toContain('/uploads/')
    const batches = JSON.parse(list.body).batches
    // A .gz that is not gzip is refused (INGEST_MALFORMED_FILE) before a batch is opened.
    expect(batches.map((b: { file: string }) => b.file)).toEqual(['orders.csv'])
    expect(batches[0].report.rejectFile).toBe(`/v1/orgs/acme/batches/${batches[0].id}/rejects`)
    const one = await app.inject({
      method: 'GET',
      url: `/v1/orgs/acme/batches/${batches[0].id}`,
      headers: { authorization: `Bearer ${token}` },
    })
    expect(one.body).not.toContain(store.dataDir)
    const rejects = await app.inject({
      method: 'GET',
      url: batches[0].report.rejectFile,
      headers: { authorization: `Bearer ${token}` },
    })
    expect(rejects.body).toContain('KEY_BLANK')
  })

  it('removes uploads left by an earlier job once the next job is done', async () => {
    const uploads = join(store.dataDir, 'uploads')
    mkdirSync(uploads, { recursive: true })
    writeFileSync(join(uploads, 'u_0orphan'), 'left by a request whose cleanup never ran')
    expect((await upload('more.csv', 'order_id,amount\no3,3\n')).status).toBe(200)
    expect(existsSync(uploads) ? readdirSync(uploads) : []).toEqual([])
  })

  it('refuses a gzip bomb and an oversized reject file with coded errors, applying nothing', async () => {
    const before = (await store.datasets.list('acme')).find((d) => d.table === 'orders')!.rows
    const bomb = gzipSync(Buffer.concat([Buffer.from('order_id,amount\n'), Buffer.alloc(3_000_000, 'a')]))
    const refused = await upload('bomb.csv.gz', bomb, 'application/gzip')
    expect(refused).toMatchObject({ status: 413, json: { error: { code: 'INGEST_DECOMPRESSED_TOO_LARGE' } } })
    const lines = ['order_id,amount']
    for (let i = 0; i < 5000; i++) lines.push(`r${i},not a number`)
    const bad = await upload('bad.csv', `${lines.join('\n')}\n`)
    expect(bad).toMatchObject({ status: 413, json: { error: { code: 'INGEST_REJECTS_TOO_LARGE' } } })
    expect((await store.datasets.list('acme')).find((d) => d.table === 'orders')!.rows).toBe(before)
    expect(readdirSync(join(store.dataDir, 'uploads'))).toEqual([])
  })
})
