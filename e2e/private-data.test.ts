/**
 * Issue 13, item 5: what the data directory holds is readable by its owner only, the OpenID
 * signing key is sealed at rest, and tokens have a bounded life that a token cannot extend.
 */
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignIn, startServer } from '@ahub/server'
import { SigningKeyRepository, Store } from '@ahub/store'
import { exportJWK, generateKeyPair } from 'jose'
import { afterAll, describe, expect, it } from 'vitest'

/** Every entry under `dir` whose mode lets anyone but the owner in. */
function openToOthers(dir: string): string[] {
  const found: string[] = []
  const walk = (p: string) => {
    const st = lstatSync(p)
    if (st.isSymbolicLink()) return
    if ((st.mode & 0o077) !== 0) found.push(`${p} ${(st.mode & 0o777).toString(8)}`)
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e))
  }
  walk(dir)
  return found
}

describe('private data at rest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ahub-private-'))
  const dataDir = join(dir, 'data')
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('keeps the data directory 0700 and every file 0600: database, rejects, uploads, exports, hub, keys', async () => {
    const server = await startServer({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      demo: { profiles: 2_000, purchases: 10_000 },
      webApp: false,
      log: () => undefined,
    })
    try {
      const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()
      const auth = { authorization: `Bearer ${token}` }
      // An upload with a bad row: the spooled upload and the reject file.
      const csv = readFileSync(join(dataDir, 'demo', 'profiles.csv'), 'utf8')
        .split('\n')
        .slice(0, 50)
      csv.push('pbad,not-an-email,,,,,,,')
      const up = await fetch(`${server.url}/v1/orgs/demo/datasets/profiles/batches?fileName=bad.csv`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/csv' },
        body: `${csv.join('\n')}\n`,
      })
      expect(up.status).toBe(200)
      const { audiences } = (await (
        await fetch(`${server.url}/v1/orgs/demo/audiences`, { headers: auth })
      ).json()) as {
        audiences: { id: string }[]
      }
      const exported = await fetch(
        `${server.url}/v1/orgs/demo/audiences/${audiences[0]!.id}/export?hashProfile=google`,
        {
          headers: auth,
        },
      )
      expect(exported.status).toBe(200)
      await exported.arrayBuffer()
    } finally {
      await server.stop()
    }
    const names = readdirSync(dataDir)
    for (const expected of [
      'audience-hub.duckdb',
      'admin-token',
      'admin-password',
      'master-key',
      'hub',
      'rejects',
      'demo',
    ])
      expect(names).toContain(expected)
    expect(openToOthers(dataDir)).toEqual([])
  }, 180_000)

  it('brings files left readable by an older version back to 0600 at start', async () => {
    const loose = join(dataDir, 'rejects', 'left-by-an-old-version.csv')
    writeFileSync(loose, 'x\n', { mode: 0o644 })
    const { chmodSync } = await import('node:fs')
    chmodSync(loose, 0o644)
    chmodSync(dataDir, 0o755)
    const store = await Store.open({ dataDir })
    await store.close()
    expect(openToOthers(dataDir)).toEqual([])
  })

  it('stores the signing key sealed, and seals one found in clear', async () => {
    const store = await Store.open({ dataDir })
    try {
      const rows = await store.engine.query<{ private_jwk: string }>(
        'SELECT private_jwk FROM meta.signing_keys',
      )
      expect(rows.length).toBeGreaterThan(0)
      for (const r of rows) {
        expect(JSON.parse(r.private_jwk)).toEqual({ sealed: expect.stringMatching(/^v1\./) })
        expect(r.private_jwk).not.toContain('"d"')
      }
      // A key stored in clear by an older version is sealed at the next start, and still signs.
      const { privateKey } = await generateKeyPair('ES256', { extractable: true })
      const clear = { ...(await exportJWK(privateKey)), kid: 'old-clear-key', alg: 'ES256', use: 'sig' }
      await new SigningKeyRepository(store.engine).add('old-clear-key', clear)
      const logs: string[] = []
      const signIn = await SignIn.create({ store, log: (l) => logs.push(l) })
      expect(logs).toContain('sealed 1 signing key(s) that were stored in clear')
      const [old] = await store.engine.query<{ private_jwk: string }>(
        "SELECT private_jwk FROM meta.signing_keys WHERE kid = 'old-clear-key'",
      )
      expect(old!.private_jwk).not.toContain(clear.d!)
      expect(JSON.parse(old!.private_jwk)).toEqual({ sealed: expect.stringMatching(/^v1\./) })
      expect(signIn).toBeDefined()
      // The database file itself holds no private key material in clear.
      await store.engine.run('CHECKPOINT')
      expect(readFileSync(join(dataDir, 'audience-hub.duckdb')).includes(Buffer.from(clear.d!))).toBe(false)
    } finally {
      await store.close()
    }
  })

  it('refuses a wrong master key instead of signing with nothing', async () => {
    const store = await Store.open({ dataDir })
    try {
      await expect(SignIn.create({ store, masterKey: Buffer.alloc(32, 7) })).rejects.toMatchObject({
        code: 'MASTER_KEY_INVALID',
      })
    } finally {
      await store.close()
    }
  })

  it('caps token lifetimes, keeps a token from minting one that outlives it, and renews the admin token', async () => {
    let server = await startServer({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      demo: false,
      webApp: false,
      log: () => undefined,
    })
    const tokenFile = join(dataDir, 'admin-token')
    try {
      const admin = readFileSync(tokenFile, 'utf8').trim()
      const create = (bearer: string, body: object) =>
        fetch(`${server.url}/v1/orgs/demo/tokens`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 't', scopes: ['read'], ...body }),
        })
      const plain = (await (await create(admin, {})).json()) as { token: { expiresAt: string } }
      const days = (Date.parse(plain.token.expiresAt) - Date.now()) / 86_400_000
      expect(days).toBeGreaterThan(89.9)
      expect(days).toBeLessThanOrEqual(90)
      const tooLong = await create(admin, { expiresInDays: 365 })
      expect(tooLong.status).toBe(400)
      expect(((await tooLong.json()) as { error: { code: string } }).error.code).toBe(
        'TOKEN_LIFETIME_TOO_LONG',
      )
      const short = (await (await create(admin, { expiresInDays: 1 })).json()) as {
        secret: string
        token: { expiresAt: string }
      }
      const child = await create(short.secret, { expiresInDays: 30 })
      expect(child.status).toBe(400)
      expect(((await child.json()) as { error: { code: string } }).error.code).toBe('TOKEN_OUTLIVES_PARENT')
      // Without an expiry asked for, the child ends with its parent.
      const bounded = (await (await create(short.secret, {})).json()) as { token: { expiresAt: string } }
      expect(bounded.token.expiresAt).toBe(short.token.expiresAt)
      const within = await create(short.secret, {
        expiresAt: new Date(Date.parse(short.token.expiresAt) - 3_600_000).toISOString(),
      })
      expect(within.status).toBe(201)
    } finally {
      await server.stop()
    }
    // The first admin token past its time is replaced at the next start.
    const before = readFileSync(tokenFile, 'utf8').trim()
    const store = await Store.open({ dataDir })
    await store.engine.run(
      "UPDATE meta.api_tokens SET expires_at = current_timestamp - INTERVAL 1 DAY WHERE name = 'first admin'",
    )
    await store.close()
    server = await startServer({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      demo: false,
      webApp: false,
      log: () => undefined,
    })
    try {
      const after = readFileSync(tokenFile, 'utf8').trim()
      expect(after).not.toBe(before)
      const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${after}` } })
      expect(me.status).toBe(200)
    } finally {
      await server.stop()
    }
  }, 120_000)
})
