import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppError, type DataSourceInput, protectId, protectIds, sha256Hex } from '@ahub/core'
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

/** A valid ECID (38 digits) for a number. */
const ecid = (n: number) => String(n).padStart(38, '0')

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
        writeFileSync(f, `${Array.from({ length: 1000 }, (_, j) => ecid(i * 1000 + j)).join('\n')}\n`)
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
        `${Array.from({ length: to - from }, (_, i) => ecid(from + i)).join('\n')}\n`
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

describe('the shape of published IDs (docs/hub.md)', () => {
  const AES = { kind: 'aes-cbc' as const, bits: 128 as const, key: '2b7e151628aed2a6abf7158809cf4f3c' }
  const IV = '000102030405060708090a0b0c0d0e0f'
  const cases: {
    name: string
    namespace: string
    protection?: DataSourceInput['protection']
    good: string[]
    bad: string[]
  }[] = [
    {
      name: 'sha256',
      namespace: 'email',
      protection: { kind: 'sha256' },
      good: [sha256Hex('ann@example.com')],
      bad: [
        'alice@example.com;first_name=Alice',
        sha256Hex('bob@example.com').toUpperCase(),
        sha256Hex('cat@example.com').slice(1),
        Buffer.from(sha256Hex('dan@example.com'), 'hex').toString('base64'),
      ],
    },
    {
      name: 'hmac',
      namespace: 'crm',
      protection: { kind: 'hmac-sha256', key: HMAC_KEY },
      good: [protectId('C-1', { kind: 'hmac-sha256', key: HMAC_KEY })],
      bad: ['C-1', `${'0'.repeat(63)}g`],
    },
    {
      name: 'aes',
      namespace: 'email',
      protection: { ...AES, iv: IV },
      good: protectIds(['ann@example.com', 'x'.repeat(100)], { ...AES, iv: IV }),
      // Plain text; Base64 of 15 bytes; Base64 without its padding; non-canonical padding bits.
      bad: [
        'ann@example.com',
        Buffer.alloc(15).toString('base64'),
        'AAAAAAAAAAAAAAAAAAAAAA',
        'AAAAAAAAAAAAAAAAAAAAAB==',
      ],
    },
    {
      name: 'plain e-mail',
      namespace: 'email',
      good: ['ann@example.com', 'o.brien+news@mail.example.co.uk'],
      bad: ['Ann@Example.com', ' ann@example.com', 'ann@', 'alice@example.com;first_name=Alice'],
    },
    {
      name: 'plain phone',
      namespace: 'phone',
      good: ['+33612345678'],
      bad: ['0612345678', '33612345678', '+33 6 12 34 56 78', '+1'],
    },
    {
      name: 'ECID',
      namespace: 'ecid',
      good: [ecid(42), `${'9223372036854775807'.repeat(2)}`],
      bad: ['9'.repeat(38), ecid(1).slice(1), 'visitor-1'],
    },
    { name: 'CRM ID', namespace: 'crm', good: ['C-1', 'Ab c'], bad: [' C-1', 'x'.repeat(257), 'a\u0085b'] },
    {
      name: 'hashed namespace',
      namespace: 'phone_sha256',
      good: [sha256Hex('+33612345678')],
      bad: ['+33612345678'],
    },
    {
      name: 'custom namespace',
      namespace: 'loyalty_id',
      good: ['L-1', 'x'.repeat(1024)],
      bad: ['L-2 ', 'x'.repeat(1025)],
    },
  ]

  it.each(cases)('$name: takes well-formed IDs, refuses the whole file when any is malformed', async (c) => {
    const dir = fresh()
    const hub = await HubService.open({ dataDir: dir, env: { AHUB_HUB_MASTER_KEY: TEST_MASTER_KEY } })
    try {
      const ds = await hub.createDataSource('alpha', {
        label: c.name,
        alias: 'x',
        idType: 'declared',
        namespace: c.namespace,
        protection: c.protection,
      })
      const sa = await hub.createSharedAudience('alpha', { name: 'shape', dataSource: ds.id })
      const file = join(dir, 'ids.txt')
      writeFileSync(file, `${[...c.good, ...c.bad].join('\n')}\n`)
      const e = await hub.publish('alpha', sa.id, file, { mode: 'add', requestId: 'mixed' }).catch((x) => x)
      expect(e).toBeInstanceOf(AppError)
      expect(e).toMatchObject({
        code: 'HUB_ID_MALFORMED',
        details: { malformed: c.bad.length, total: c.good.length + c.bad.length },
      })
      expect((e as AppError).details?.examples).toHaveLength(Math.min(3, c.bad.length))
      expect((await hub.getSharedAudience('alpha', sa.id)).version).toBe(0)
      // The fixed file goes through, even under the request id of the refused one.
      writeFileSync(file, `${c.good.join('\n')}\n`)
      const v = await hub.publish('alpha', sa.id, file, { mode: 'add', requestId: 'mixed' })
      expect(v).toMatchObject({ version: 1, size: c.good.length })
    } finally {
      await hub.close()
    }
  })
})
