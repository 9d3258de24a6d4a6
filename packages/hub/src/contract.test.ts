import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { AppError, type DataSourceInput, protectId, type SharedAudienceEvent, unprotectIds } from '@ahub/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HubClient } from './client'
import { type HubFixture, httpFixture, inProcessFixture } from './test-support'

const AES_KEY = '2b7e151628aed2a6abf7158809cf4f3c'
const AES_IV = '000102030405060708090a0b0c0d0e0f'

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    return (e as AppError).code
  }
  throw new Error('expected an error')
}

/** The AES protection of the tests' e-mail data source, as an installation holds it. */
const AES = { kind: 'aes-cbc' as const, bits: 128 as const, key: AES_KEY, iv: AES_IV }

/** Encrypts every non-blank line of `text` (line ends kept): the IDs an installation would publish. */
function enc(text: string): string {
  return text.replace(/[^\r\n]+/g, (line) => (line.trim() === '' ? line : protectId(line, AES)))
}

/** The IDs of a downloaded file, decrypted and sorted. */
function lines(file: string): string[] {
  const ids = readFileSync(file, 'utf8').split('\n').filter(Boolean)
  return unprotectIds(ids, AES)
    .map((r) => (r.ok ? r.value : `!${r.reason}`))
    .sort()
}

async function waitFor<T>(get: () => T | undefined, ms = 5000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const v = get()
    if (v !== undefined) return v
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 10))
  }
}

const emailSource = (alias: string): DataSourceInput => ({
  label: 'CRM e-mails',
  alias,
  idType: 'declared',
  namespace: 'email',
  channel: 'email',
  protection: { kind: 'aes-cbc', bits: 128, key: Buffer.from(AES_KEY, 'hex').toString('base64'), iv: AES_IV },
})

// One suite, two implementations: the hub in process and the hub over HTTP on loopback.
describe.each([
  ['in-process', inProcessFixture],
  ['http', httpFixture],
] as const)('HubClient contract: %s', (_name, open) => {
  let fx: HubFixture
  let alpha: HubClient
  let beta: HubClient
  let gamma: HubClient
  let n = 0
  const file = (text: string | Buffer, name = `f${++n}.txt`) => {
    const path = join(fx.dir, name)
    writeFileSync(path, text)
    return path
  }
  const out = (name: string) => join(fx.dir, `${name}-${++n}.txt`)

  beforeAll(async () => {
    fx = await open()
    alpha = await fx.client('alpha')
    beta = await fx.client('beta')
    gamma = await fx.client('gamma')
  })
  afterAll(async () => fx?.close())

  it('acts for the org of its token', () => {
    expect([alpha.org, beta.org]).toEqual(['alpha', 'beta'])
  })

  describe('data sources', () => {
    it('creates one with write-only keys and returns them only as key material, in hex', async () => {
      const ds = await alpha.createDataSource(emailSource('crm'))
      expect(ds).toMatchObject({
        owner: 'alpha',
        alias: 'crm',
        idType: 'declared',
        namespace: 'email',
        channel: 'email',
        priority: 0,
        protection: { kind: 'aes-cbc', bits: 128, hasKey: true },
      })
      expect(JSON.stringify(ds)).not.toContain(AES_IV)
      expect(await alpha.getDataSource(ds.id)).toEqual(ds)
      expect((await alpha.listDataSources()).map((d) => d.id)).toContain(ds.id)
      expect(await alpha.keyMaterial(ds.id)).toEqual({ kind: 'aes-cbc', bits: 128, key: AES_KEY, iv: AES_IV })
      const plain = await alpha.createDataSource({
        label: 'ECID',
        alias: 'ecid',
        idType: 'visitor',
        namespace: 'ecid',
      })
      expect(plain.protection).toEqual({ kind: 'none', hasKey: false })
      expect(await alpha.keyMaterial(plain.id)).toEqual({ kind: 'none' })
    })

    it('refuses a duplicate alias, a wrong AES key length and an IV of the wrong size', async () => {
      expect(await code(alpha.createDataSource(emailSource('crm')))).toBe('HUB_NAME_TAKEN')
      const bad = emailSource('bad')
      expect(
        await code(
          alpha.createDataSource({
            ...bad,
            protection: { kind: 'aes-cbc', bits: 256, key: AES_KEY, iv: AES_IV },
          }),
        ),
      ).toBe('DATASOURCE_KEY_INVALID')
      expect(
        await code(
          alpha.createDataSource({
            ...bad,
            protection: { kind: 'aes-cbc', bits: 128, key: AES_KEY, iv: 'abcd' },
          }),
        ),
      ).toBe('DATASOURCE_KEY_INVALID')
      expect(await code(alpha.createDataSource({ ...bad, alias: 'Not An Alias' }))).toBe('VALIDATION_FAILED')
      // The same alias is free for another org.
      expect((await beta.createDataSource(emailSource('crm'))).owner).toBe('beta')
    })

    it("hides another org's data sources and their keys", async () => {
      const [ds] = await alpha.listDataSources()
      expect(await code(gamma.getDataSource(ds!.id))).toBe('HUB_NOT_FOUND')
      expect(await code(gamma.keyMaterial(ds!.id))).toBe('HUB_NOT_FOUND')
      expect((await gamma.listDataSources()).length).toBe(0)
      expect(await code(alpha.getDataSource('ds_unknown0000000000'))).toBe('HUB_NOT_FOUND')
    })
  })

  describe('shared audiences and versions', () => {
    let ds: string
    let sa: string

    beforeAll(async () => {
      ds = (await alpha.listDataSources()).find((d) => d.alias === 'crm')!.id
    })

    it('creates one shared with another org, which then sees it and its data source keys', async () => {
      const created = await alpha.createSharedAudience({
        name: 'VIP buyers',
        dataSource: ds,
        sharedWith: ['beta'],
      })
      sa = created.id
      expect(created).toMatchObject({
        owner: 'alpha',
        name: 'VIP buyers',
        dataSource: ds,
        sharedWith: ['beta'],
        version: 0,
        size: 0,
      })
      expect((await beta.listSharedAudiences()).map((a) => a.id)).toEqual([sa])
      expect((await beta.getSharedAudience(sa)).owner).toBe('alpha')
      expect((await beta.getDataSource(ds)).id).toBe(ds)
      expect((await beta.keyMaterial(ds)).kind).toBe('aes-cbc')
      expect(await code(gamma.getSharedAudience(sa))).toBe('HUB_NOT_FOUND')
      expect(await gamma.listSharedAudiences()).toEqual([])
    })

    it('refuses a duplicate name and an unknown or invisible data source', async () => {
      expect(await code(alpha.createSharedAudience({ name: 'VIP buyers', dataSource: ds }))).toBe(
        'HUB_NAME_TAKEN',
      )
      expect(await code(alpha.createSharedAudience({ name: 'x', dataSource: 'ds_nope000000000000' }))).toBe(
        'HUB_NOT_FOUND',
      )
      expect(await code(gamma.createSharedAudience({ name: 'x', dataSource: ds }))).toBe('HUB_NOT_FOUND')
    })

    it('lets only the owner publish, change sharing or delete', async () => {
      const f = file(enc('a\n'))
      expect(await code(beta.publish(sa, f, { mode: 'add', requestId: 'b1' }))).toBe('HUB_NOT_OWNER')
      expect(await code(beta.setSharedWith(sa, ['beta', 'gamma']))).toBe('HUB_NOT_OWNER')
      expect(await code(beta.deleteSharedAudience(sa))).toBe('HUB_NOT_OWNER')
      expect(await code(gamma.publish(sa, f, { mode: 'add', requestId: 'g1' }))).toBe('HUB_NOT_FOUND')
    })

    it('publishes add then mirror as versions with their deltas, and reads any version and delta', async () => {
      const v1 = await alpha.publish(sa, file(enc('id1\nid2\nid3\nid2\n\n')), {
        mode: 'add',
        requestId: 'r1',
      })
      expect(v1).toMatchObject({ version: 1, size: 3, added: 3, removed: 0 })
      // add: only new IDs; CRLF lines are fine.
      const v2 = await alpha.publish(sa, file(enc('id3\r\nid4\r\n')), { mode: 'add', requestId: 'r2' })
      expect(v2).toMatchObject({ version: 2, size: 4, added: 1, removed: 0 })
      const v3 = await alpha.publish(sa, file(enc('id2\nid4\nid5\n')), { mode: 'mirror', requestId: 'r3' })
      expect(v3).toMatchObject({ version: 3, size: 3, added: 1, removed: 2 })
      expect((await beta.versions(sa)).map((v) => [v.version, v.size, v.added, v.removed])).toEqual([
        [1, 3, 3, 0],
        [2, 4, 1, 0],
        [3, 3, 1, 2],
      ])
      expect(await beta.getSharedAudience(sa)).toMatchObject({ version: 3, size: 3 })

      const now = out('members')
      expect(await beta.downloadMembers(sa, now)).toBe(3)
      expect(lines(now)).toEqual(['id2', 'id4', 'id5'])
      const old = out('members')
      expect(await beta.downloadMembers(sa, old, 1)).toBe(3)
      expect(lines(old)).toEqual(['id1', 'id2', 'id3'])
      const empty = out('members')
      expect(await beta.downloadMembers(sa, empty, 0)).toBe(0)
      expect(readFileSync(empty, 'utf8')).toBe('')

      const files = { added: out('added'), removed: out('removed') }
      expect(await beta.downloadChanges(sa, 1, files)).toEqual({ version: 3, added: 2, removed: 2 })
      expect(lines(files.added)).toEqual(['id4', 'id5'])
      expect(lines(files.removed)).toEqual(['id1', 'id3'])
      const all = { added: out('added'), removed: out('removed') }
      expect(await beta.downloadChanges(sa, 0, all)).toEqual({ version: 3, added: 3, removed: 0 })
      const none = { added: out('added'), removed: out('removed') }
      expect(await beta.downloadChanges(sa, 3, none)).toEqual({ version: 3, added: 0, removed: 0 })
      expect(await code(beta.downloadChanges(sa, 4, none))).toBe('HUB_VERSION_NOT_FOUND')
      expect(await code(beta.downloadMembers(sa, out('x'), 9))).toBe('HUB_VERSION_NOT_FOUND')
    })

    it('is idempotent by request id, and a publish that changes nothing makes no version', async () => {
      const again = await alpha.publish(sa, file(enc('other\n')), { mode: 'add', requestId: 'r1' })
      expect(again).toMatchObject({ version: 1, size: 3, added: 3 })
      const same = await alpha.publish(sa, file(enc('id5\nid4\n')), { mode: 'add', requestId: 'r4' })
      expect(same.version).toBe(3)
      expect((await alpha.versions(sa)).length).toBe(3)
    })

    it('refuses empty files, lines over 4096 bytes, and reads gzip files', async () => {
      expect(await code(alpha.publish(sa, file(''), { mode: 'mirror', requestId: 'e1' }))).toBe(
        'HUB_PUBLISH_EMPTY',
      )
      expect(await code(alpha.publish(sa, file('\n  \n\n'), { mode: 'add', requestId: 'e2' }))).toBe(
        'HUB_PUBLISH_EMPTY',
      )
      try {
        await alpha.publish(sa, file(`${enc('ok\nfine\n')}${'x'.repeat(4097)}\n`), {
          mode: 'add',
          requestId: 'e3',
        })
        expect.unreachable()
      } catch (e) {
        expect((e as AppError).code).toBe('HUB_ID_TOO_LONG')
        expect((e as AppError).details).toMatchObject({ line: 3 })
      }
      // The longest ID taken: a ciphertext of 3072 bytes is 4096 Base64 characters.
      const longest = protectId('y'.repeat(3060), AES)
      expect(longest).toHaveLength(4096)
      const ok = await alpha.publish(sa, file(`${longest}\n`), { mode: 'add', requestId: 'e4' })
      expect(ok).toMatchObject({ version: 4, added: 1 })
      const gz = await alpha.publish(sa, file(gzipSync(enc('id2\nid6\n')), 'ids.txt.gz'), {
        mode: 'mirror',
        requestId: 'e5',
      })
      expect(gz).toMatchObject({ version: 5, size: 2, added: 1, removed: 3 })
      expect(
        await code(
          alpha.publish(sa, file(Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x0a])), {
            mode: 'add',
            requestId: 'e6',
          }),
        ),
      ).toBe('HUB_PUBLISH_INVALID')
      expect((await alpha.getSharedAudience(sa)).version).toBe(5)
    })

    it('refuses the whole file when an ID is not a ciphertext of the data source, naming how many', async () => {
      try {
        await alpha.publish(sa, file(`${enc('id9\n')}alice@example.com;first_name=Alice\n`), {
          mode: 'add',
          requestId: 'm1',
        })
        expect.unreachable()
      } catch (e) {
        expect(e).toBeInstanceOf(AppError)
        expect((e as AppError).code).toBe('HUB_ID_MALFORMED')
        expect((e as AppError).message).toMatch(/^1 of 2 IDs are not an AES-CBC ciphertext/)
        expect((e as AppError).details).toMatchObject({
          malformed: 1,
          total: 2,
          examples: ['alice@example.com;first_name=Alice'],
        })
      }
      expect((await alpha.getSharedAudience(sa)).version).toBe(5)
    })

    it('pushes new versions to the orgs that can see them, and only to them', async () => {
      const seen: Record<string, SharedAudienceEvent[]> = { alpha: [], beta: [], gamma: [] }
      const opened: string[] = []
      const stops = [alpha, beta, gamma].map((c) =>
        c.subscribe((e) => seen[c.org]!.push(e), { onOpen: () => opened.push(c.org) }),
      )
      try {
        await waitFor(() => (opened.length === 3 ? true : undefined))
        const v = await alpha.publish(sa, file(enc('id7\n')), { mode: 'add', requestId: 'p1' })
        const e = await waitFor(() => seen.beta![0])
        expect(e).toMatchObject({
          sharedAudience: sa,
          owner: 'alpha',
          version: v.version,
          added: 1,
          removed: 0,
        })
        expect(Date.parse(e.publishedAt)).toBeGreaterThan(0)
        await waitFor(() => seen.alpha![0])
        // Sharing with gamma pushes it the current version; publishing again reaches all three.
        await alpha.setSharedWith(sa, ['beta', 'gamma'])
        expect((await waitFor(() => seen.gamma![0])).version).toBe(v.version)
        await alpha.publish(sa, file(enc('id8\n')), { mode: 'add', requestId: 'p2' })
        await waitFor(() => seen.gamma![1])
        expect(seen.beta!.map((x) => x.version)).toEqual([v.version, v.version + 1])
      } finally {
        for (const stop of stops) stop()
      }
    })

    it('removes an org from sharing and deletes: others then get HUB_AUDIENCE_DELETED or HUB_NOT_FOUND', async () => {
      await alpha.setSharedWith(sa, ['beta'])
      expect(await code(gamma.getSharedAudience(sa))).toBe('HUB_NOT_FOUND')
      const seen: SharedAudienceEvent[] = []
      let open = false
      const stop = beta.subscribe((e) => seen.push(e), { onOpen: () => (open = true) })
      await waitFor(() => (open ? true : undefined))
      await alpha.deleteSharedAudience(sa)
      expect((await waitFor(() => seen[0])).deleted).toBe(true)
      stop()
      expect(await code(beta.getSharedAudience(sa))).toBe('HUB_AUDIENCE_DELETED')
      expect(await code(beta.downloadMembers(sa, out('gone')))).toBe('HUB_AUDIENCE_DELETED')
      expect(await code(alpha.publish(sa, file(enc('x\n')), { mode: 'add', requestId: 'd1' }))).toBe(
        'HUB_AUDIENCE_DELETED',
      )
      expect(await code(gamma.getSharedAudience(sa))).toBe('HUB_NOT_FOUND')
      expect(await beta.listSharedAudiences()).toEqual([])
      // The name is free again; beta no longer sees alpha's data source.
      expect((await alpha.createSharedAudience({ name: 'VIP buyers', dataSource: ds })).version).toBe(0)
      expect(await code(beta.keyMaterial(ds))).toBe('HUB_NOT_FOUND')
    })
  })
})
