import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { parseSchemaText } from '@ahub/core'
import { HttpHubClient, HubService, InProcessHubClient, TEST_MASTER_KEY } from '@ahub/hub'
import { bootstrapAdmin } from '@ahub/server'
import { migrateSharing, SharingService } from '@ahub/sharing'
import { Store } from '@ahub/store'
import { afterAll, describe, expect, it } from 'vitest'
import { killSeed } from './fixtures/kill-seed'

// Issue 13: kill -9 beyond one ingestion, each at a seeded moment: a sharing job, a hub publish
// and an HTTP upload lose nothing, apply nothing by half, and leave no file behind after restart.
const root = mkdtempSync(join(tmpdir(), 'ahub-crash-effects-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const env = { AHUB_HUB_MASTER_KEY: TEST_MASTER_KEY }
const N = 100_000

interface Child {
  child: ChildProcess
  /** The URL after READY (serving children). */
  ready: Promise<string>
  /** Resolves on STARTING. */
  starting: Promise<void>
  exited: Promise<{ signal: NodeJS.Signals | null; output: string }>
}

function start(args: string[]): Child {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'fixtures', 'effects-child.ts'), ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  let onReady: (url: string) => void = () => undefined
  let onStarting: () => void = () => undefined
  const ready = new Promise<string>((r) => {
    onReady = r
  })
  const starting = new Promise<void>((r) => {
    onStarting = r
  })
  child.stdout!.on('data', (d: Buffer) => {
    output += d.toString()
    const m = /^READY ?(\S*)$/m.exec(output)
    if (m) onReady(m[1] ?? '')
    if (output.includes('STARTING\n')) onStarting()
  })
  child.stderr!.on('data', (d: Buffer) => {
    output += d.toString()
  })
  const exited = new Promise<{ signal: NodeJS.Signals | null; output: string }>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (_code, signal) => resolve({ signal, output }))
  })
  return { child, ready, starting, exited }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Kills the child after `ms` (unless it ended), and tells whether the kill hit it. */
async function killAfter(c: Child, ms: number): Promise<{ killed: boolean; output: string }> {
  await sleep(ms)
  c.child.kill('SIGKILL')
  const { signal, output } = await c.exited
  return { killed: signal === 'SIGKILL', output }
}

const ids = (n: number) =>
  Array.from({ length: n }, (_, i) => createHash('sha256').update(`id${i}`).digest('hex'))

describe('kill -9 of effects', () => {
  it('a sharing job publishes all or nothing and runs once more under its request id', async () => {
    const { random } = killSeed('sharing job')
    const dir = join(root, 'share')
    const store = await Store.open({ dataDir: join(dir, 'data') })
    await migrateSharing(store.engine)
    await store.createOrg('acme', 'Acme')
    await store.catalog.apply(
      'acme',
      parseSchemaText(`tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      email: { type: string, identity: { namespace: email, primary: true } }
`),
    )
    const csv = join(dir, 'profiles.csv')
    writeFileSync(
      csv,
      `id,email\n${Array.from({ length: N }, (_, i) => `p${i},user${i}@example.com`).join('\n')}\n`,
    )
    await store.ingestor.ingest('acme', 'profiles', csv)
    const audience = await store.audiences.create('acme', {
      type: 'query',
      label: 'Everyone',
      rule: { kind: 'condition', field: 'id', op: 'is not empty' },
    })
    await store.close()
    let hub = await HubService.open({ dataDir: join(dir, 'hub'), env })
    const ds = await hub.createDataSource('acme', {
      label: 'E-mail',
      alias: 'email',
      idType: 'declared',
      namespace: 'email',
      channel: 'email',
      protection: { kind: 'sha256' },
    })
    const sa = await hub.createSharedAudience('acme', { name: 'Kill', dataSource: ds.id })
    await hub.close()

    const c = start(['share', dir, sa.id, audience.audience.id, ds.id])
    await c.starting
    // Killed while the job works: once its file of IDs exists (being written, or published).
    const tmp = join(dir, 'data', 'share-reports', 'tmp')
    for (let i = 0; i < 2000 && !(existsSync(tmp) && readdirSync(tmp).length > 0); i++) await sleep(5)
    const { killed, output } = await killAfter(c, Math.floor(random() * 400))
    expect(killed || output.includes('DONE')).toBe(true)

    const again = await Store.open({ dataDir: join(dir, 'data') })
    hub = await HubService.open({ dataDir: join(dir, 'hub'), env })
    try {
      const sharing = new SharingService(again, { hub: (org) => new InProcessHubClient(hub, org) })
      expect(readdirSync(join(again.dataDir, 'share-reports', 'tmp'))).toEqual([])
      expect(readdirSync(join(dir, 'hub', 'tmp'))).toEqual([])
      const before = await hub.versions('acme', sa.id)
      expect(before.map((v) => v.size).filter((s) => s !== N)).toEqual([])
      expect(before.length).toBeLessThanOrEqual(1)
      const job = await sharing.exportAudience(
        'acme',
        {
          audience: audience.audience.id,
          dataSource: ds.id,
          target: { sharedAudience: sa.id },
          mode: 'mirror',
        },
        { requestId: 'kill-test' },
      )
      expect(job).toMatchObject({ state: 'succeeded', sharedVersion: 1, counts: { exported: N } })
      expect((await hub.versions('acme', sa.id)).map((v) => [v.version, v.size])).toEqual([[1, N]])
      expect(readdirSync(join(again.dataDir, 'share-reports', 'tmp'))).toEqual([])
    } finally {
      await hub.close()
      await again.close()
    }
  }, 60_000)

  it('a hub publish over HTTP makes one whole version or none, and leaves no temporary file', async () => {
    const { random } = killSeed('hub publish')
    const dir = join(root, 'hub')
    let hub = await HubService.open({ dataDir: dir, env })
    const ds = await hub.createDataSource('acme', {
      label: 'E-mail',
      alias: 'email',
      idType: 'declared',
      namespace: 'email',
      channel: 'email',
      protection: { kind: 'sha256' },
    })
    const sa = await hub.createSharedAudience('acme', { name: 'Kill', dataSource: ds.id })
    const { secret } = await hub.tokens.create('acme', 'kill test')
    await hub.close()
    const file = join(root, 'ids.txt')
    writeFileSync(file, `${ids(3 * N).join('\n')}\n`)

    const c = start(['hub', dir])
    const url = await c.ready
    const client = await HttpHubClient.connect({ url, token: secret, backoff: { initialMs: 10, maxMs: 10 } })
    const publishing = client.publish(sa.id, file, { mode: 'add', requestId: 'kill-test' }).catch(() => null)
    const { killed } = await killAfter(c, Math.floor(random() * 1500))
    await publishing
    expect(killed).toBe(true)

    hub = await HubService.open({ dataDir: dir, env })
    try {
      expect(readdirSync(join(dir, 'tmp'))).toEqual([])
      const before = await hub.versions('acme', sa.id)
      expect(before.length).toBeLessThanOrEqual(1)
      expect(before.map((v) => v.size).filter((s) => s !== 3 * N)).toEqual([])
      const v = await hub.publish('acme', sa.id, file, { mode: 'add', requestId: 'kill-test' })
      expect(v).toMatchObject({ version: 1, size: 3 * N })
      expect((await hub.versions('acme', sa.id)).map((x) => x.version)).toEqual([1])
    } finally {
      await hub.close()
    }
  }, 60_000)

  it('an HTTP upload killed while sent or ingested applies all or nothing and leaves no upload', async () => {
    const { random } = killSeed('http upload')
    const dir = join(root, 'upload')
    const BASE = 5_000
    const NEXT = 400_000
    const lines = (from: number, n: number) =>
      `order_id,amount\n${Array.from({ length: n }, (_, i) => `o${from + i},${(from + i) % 100}.5`).join('\n')}\n`
    const base = join(root, 'base.csv')
    const next = join(root, 'next.csv')
    writeFileSync(base, lines(0, BASE))
    writeFileSync(next, `${lines(BASE, NEXT)}bad,x\n`)
    let store = await Store.open({ dataDir: dir })
    await store.createOrg('acme', 'Acme')
    await store.catalog.apply(
      'acme',
      parseSchemaText(`tables:
  orders:
    primaryKey: [order_id]
    fields:
      order_id: { type: string, nullable: false }
      amount: { type: number }
`),
    )
    await store.ingestor.ingest('acme', 'orders', base)
    const token = (await bootstrapAdmin(store, 'acme', true)).secret!
    await store.close()

    const c = start(['server', dir])
    const url = await c.ready
    const sending = fetch(`${url}/v1/orgs/acme/datasets/orders/batches?fileName=next.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: Readable.toWeb(createReadStream(next)) as ReadableStream,
      duplex: 'half',
    } as RequestInit).then(
      (r) => r.status,
      () => null,
    )
    const { killed } = await killAfter(c, Math.floor(random() * 2500))
    const status = await sending
    expect(killed).toBe(true)

    store = await Store.open({ dataDir: dir })
    try {
      const count = async () =>
        Number((await store.engine.query<{ n: number }>('SELECT count(*) AS n FROM org_acme.orders'))[0]!.n)
      const n = await count()
      expect([BASE, BASE + NEXT]).toContain(n)
      if (status === 200) expect(n).toBe(BASE + NEXT)
      const batches = await store.batches.list('acme', 'orders')
      expect(batches.filter((b) => b.status === 'running')).toEqual([])
      expect(batches.filter((b) => b.status === 'succeeded')).toHaveLength(n === BASE ? 1 : 2)
      expect(existsSync(join(dir, 'uploads'))).toBe(false)
      const succeeded = new Set(batches.filter((b) => b.status === 'succeeded').map((b) => `${b.id}.csv`))
      const rejects = existsSync(join(dir, 'rejects')) ? readdirSync(join(dir, 'rejects')) : []
      expect(rejects.filter((f) => !succeeded.has(f))).toEqual([])
      if (n === BASE) {
        expect((await store.ingestor.ingest('acme', 'orders', next)).inserted).toBe(NEXT)
        expect(await count()).toBe(BASE + NEXT)
      }
    } finally {
      await store.close()
    }
  }, 60_000)
})
