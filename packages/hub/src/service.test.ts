import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppError } from '@ahub/core'
import { afterEach, describe, expect, it } from 'vitest'
import { MASTER_KEY_FILE } from './master-key'
import { HubService } from './service'
import { TEST_MASTER_KEY } from './test-support'

const dirs: string[] = []
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'ahub-hub-svc-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const HMAC_KEY = '6b65792d6d6174657269616c2d7468617420697320736563726574'

describe('keys at rest', () => {
  it('seals key material under the master key and opens it again after a restart', async () => {
    const dir = fresh()
    const env = { AHUB_HUB_MASTER_KEY: TEST_MASTER_KEY }
    let hub = await HubService.open({ dataDir: dir, env })
    const ds = await hub.createDataSource('alpha', {
      label: 'hmac',
      alias: 'h',
      idType: 'declared',
      namespace: 'email',
      protection: { kind: 'hmac-sha256', key: HMAC_KEY },
    })
    const [row] = await hub.engine.query<{ secret: string }>(
      `SELECT secret FROM hub.data_sources WHERE id = $1`,
      [ds.id],
    )
    expect(row?.secret).toMatch(/^v1\./)
    expect(row?.secret).not.toContain(HMAC_KEY)
    await hub.close()
    expect(readFileSync(join(dir, 'hub-store.duckdb')).includes(Buffer.from(HMAC_KEY))).toBe(false)

    hub = await HubService.open({ dataDir: dir, env })
    expect(await hub.keyMaterial('alpha', ds.id)).toEqual({ kind: 'hmac-sha256', key: HMAC_KEY })
    await hub.close()
    // Another master key cannot open what the first one sealed: refused at start.
    const other = { AHUB_HUB_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') }
    await expect(HubService.open({ dataDir: dir, env: other })).rejects.toMatchObject({
      code: 'HUB_MASTER_KEY_INVALID',
    })
  })

  it('refuses a master key that is not 32 bytes', async () => {
    await expect(
      HubService.open({ dataDir: fresh(), env: { AHUB_HUB_MASTER_KEY: 'abcd' } }),
    ).rejects.toMatchObject({
      code: 'HUB_MASTER_KEY_INVALID',
    })
  })

  it('generates a development key file with mode 0600 when the variable is absent, and says so without the key', async () => {
    const dir = fresh()
    const log: string[] = []
    const hub = await HubService.open({ dataDir: dir, env: {}, log: (m) => log.push(m) })
    await hub.close()
    const file = join(dir, MASTER_KEY_FILE)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const key = readFileSync(file, 'utf8').trim()
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    expect(log.join('\n')).toContain(file)
    expect(log.join('\n')).not.toContain(key)
    // The second start reuses it silently.
    const again = await HubService.open({ dataDir: dir, env: {}, log: (m) => log.push(m) })
    await again.close()
    expect(log.length).toBe(1)
  })
})

describe('hub tokens', () => {
  it('are stored hashed, act for one org, and stop working when revoked', async () => {
    const hub = await HubService.open({ dataDir: fresh(), env: { AHUB_HUB_MASTER_KEY: TEST_MASTER_KEY } })
    try {
      const { token, secret } = await hub.tokens.create('alpha', 'installation A')
      expect(secret).toMatch(/^ahubhub_/)
      expect(await hub.tokens.verify(secret)).toBe('alpha')
      const rows = await hub.engine.query<Record<string, unknown>>(`SELECT * FROM hub.tokens`)
      expect(JSON.stringify(rows)).not.toContain(secret)
      expect((await hub.tokens.list('alpha')).map((t) => t.id)).toEqual([token.id])
      expect(await hub.tokens.list('beta')).toEqual([])
      expect((await hub.tokens.revoke(token.id)).revokedAt).not.toBeNull()
      await expect(hub.tokens.verify(secret)).rejects.toMatchObject({ code: 'HUB_TOKEN_INVALID' })
      await expect(hub.tokens.verify(undefined)).rejects.toMatchObject({ code: 'HUB_TOKEN_INVALID' })
      await expect(hub.tokens.revoke('ht_nope')).rejects.toMatchObject({ code: 'HUB_NOT_FOUND' })
      await expect(hub.tokens.create('Not An Org')).rejects.toBeInstanceOf(AppError)
    } finally {
      await hub.close()
    }
  })
})

describe('publishing', () => {
  it('serialises concurrent publishes to one audience into consecutive versions', async () => {
    const dir = fresh()
    const hub = await HubService.open({ dataDir: dir, env: { AHUB_HUB_MASTER_KEY: TEST_MASTER_KEY } })
    try {
      const ds = await hub.createDataSource('alpha', {
        label: 'x',
        alias: 'x',
        idType: 'visitor',
        namespace: 'ecid',
      })
      const sa = await hub.createSharedAudience('alpha', { name: 'c', dataSource: ds.id })
      const files = [0, 1, 2, 3].map((i) => {
        const f = join(dir, `c${i}.txt`)
        writeFileSync(f, `${Array.from({ length: 1000 }, (_, j) => `id${i}-${j}`).join('\n')}\n`)
        return f
      })
      const versions = await Promise.all(
        files.map((f, i) => hub.publish('alpha', sa.id, f, { mode: 'add', requestId: `c${i}` })),
      )
      expect(versions.map((v) => v.version).sort()).toEqual([1, 2, 3, 4])
      expect((await hub.getSharedAudience('alpha', sa.id)).size).toBe(4000)
    } finally {
      await hub.close()
    }
  })

  it('mirrors 200 000 IDs with the right delta and reads an old version back', async () => {
    const dir = fresh()
    const hub = await HubService.open({ dataDir: dir, env: { AHUB_HUB_MASTER_KEY: TEST_MASTER_KEY } })
    try {
      const ds = await hub.createDataSource('alpha', {
        label: 'x',
        alias: 'x',
        idType: 'visitor',
        namespace: 'ecid',
      })
      const sa = await hub.createSharedAudience('alpha', { name: 'big', dataSource: ds.id })
      const ids = (from: number, to: number) =>
        `${Array.from({ length: to - from }, (_, i) => (from + i).toString(16).padStart(12, '0')).join('\n')}\n`
      writeFileSync(join(dir, 'v1.txt'), ids(0, 200_000))
      writeFileSync(join(dir, 'v2.txt'), ids(50_000, 250_000))
      await hub.publish('alpha', sa.id, join(dir, 'v1.txt'), { mode: 'add', requestId: 'v1' })
      const v2 = await hub.publish('alpha', sa.id, join(dir, 'v2.txt'), { mode: 'mirror', requestId: 'v2' })
      expect(v2).toMatchObject({ version: 2, size: 200_000, added: 50_000, removed: 50_000 })
      const back = await hub.writeMembers('alpha', sa.id, join(dir, 'back.txt'), 1)
      expect(back).toEqual({ version: 1, count: 200_000 })
      expect(readFileSync(join(dir, 'back.txt'), 'utf8').split('\n').filter(Boolean).sort().join('\n')).toBe(
        ids(0, 200_000).trim(),
      )
    } finally {
      await hub.close()
    }
  })
})
