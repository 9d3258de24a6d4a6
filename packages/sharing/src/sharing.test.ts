import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError, type DataSourceInput, protectIds, sha256Hex } from '@ahub/core'
import { HttpHubClient, type HubClient } from '@ahub/hub'
import { afterEach, describe, expect, it } from 'vitest'
import { errorOf, openSharingFixture, type SharingFixture } from './test-support'

const ACME = [
  { id: 'a1', email: 'ann@example.com', crm: 'C-1', consent: true },
  { id: 'a2', email: 'bob@example.com', crm: 'C-2', consent: true },
  { id: 'a3', email: 'cat@example.com', crm: 'C-3', consent: true },
  { id: 'a4', email: 'dan@example.com', crm: 'C-4', consent: false },
  { id: 'a5', crm: 'C-5', consent: true },
]
// beta knows ann and bob, has two profiles sharing cat's address, and does not know dan.
const BETA = [
  { id: 'b1', email: 'ann@example.com', crm: 'C-1' },
  { id: 'b2', email: 'BOB@example.com ', crm: 'C-2' },
  { id: 'b3', email: 'cat@example.com' },
  { id: 'b4', email: 'cat@example.com' },
  { id: 'b5', email: 'eve@example.com' },
]

let f: SharingFixture | undefined
afterEach(async () => {
  await f?.close()
  f = undefined
})

async function setup(options: Parameters<typeof openSharingFixture>[0] = {}) {
  f = await openSharingFixture(options)
  await f.load('acme', ACME)
  await f.load('beta', BETA)
  const audience = await f.listAudience('acme', 'vip', ['a1', 'a2', 'a3', 'a4', 'a5'])
  return { f, audience }
}

/**
 * Today's hub refuses IDs without their data source's shape (HUB_ID_MALFORMED), but an importer
 * must still survive a hub that holds such IDs (one that predates the check, or another
 * implementation): beta's client adds `legacy` lines to what the real hub sends for an audience.
 */
function lenientHub(legacy: Map<string, string[]>) {
  return (org: string, real: HubClient): HubClient =>
    org !== 'beta'
      ? real
      : {
          ...bind(real),
          async downloadMembers(id, file, version) {
            const n = await real.downloadMembers(id, file, version)
            const extra = legacy.get(id) ?? []
            appendFileSync(file, extra.map((l) => `${l}\n`).join(''))
            return n + extra.length
          },
        }
}

async function source(fx: SharingFixture, input: DataSourceInput) {
  return fx.sharing.createDataSource('acme', input)
}

describe('export to the hub (docs/sharing.md)', () => {
  it('exports the members with an e-mail, SHA-256 hashed, and reports the unmapped one', async () => {
    const { f, audience } = await setup()
    const ds = await source(f, {
      label: 'E-mail SHA-256',
      alias: 'email-sha',
      idType: 'declared',
      namespace: 'email',
      channel: 'email',
      protection: { kind: 'sha256' },
    })
    const job = await f.sharing.exportAudience('acme', {
      audience,
      dataSource: ds.id,
      target: { newName: 'VIP', sharedWith: ['beta'] },
    })
    expect(job.state).toBe('succeeded')
    expect(job.counts).toMatchObject({ received: 5, exported: 4, unmapped: 1, withoutConsent: 0 })
    expect(job.sharedVersion).toBe(1)
    const sa = await f.client('beta').getSharedAudience(job.sharedAudience!)
    expect(sa.size).toBe(4)
    const file = join(f.dir, 'down.txt')
    await f.client('beta').downloadMembers(sa.id, file)
    const ids = readFileSync(file, 'utf8').trim().split('\n').sort()
    expect(ids).toEqual(['ann', 'bob', 'cat', 'dan'].map((n) => sha256Hex(`${n}@example.com`)).sort())
    expect(f.report('acme', job.id)).toEqual([['a5', 'unmapped', 'no email identity']])
  })

  it('leaves out members without consent when a consent field is configured', async () => {
    const { f, audience } = await setup()
    const ds = await source(f, { label: 'CRM', alias: 'crm', idType: 'declared', namespace: 'crm' })
    const job = await f.sharing.exportAudience('acme', {
      audience,
      dataSource: ds.id,
      target: { newName: 'VIP consent', sharedWith: [] },
      consentField: 'consent',
    })
    expect(job.counts).toMatchObject({ received: 5, exported: 4, unmapped: 0, withoutConsent: 1 })
    expect(f.report('acme', job.id)).toEqual([['a4', 'no_consent', 'consent is not true']])
    const bad = await errorOf(
      f.sharing.exportAudience('acme', {
        audience,
        dataSource: ds.id,
        target: { newName: 'VIP consent', sharedWith: [] },
        consentField: 'email',
      }),
    )
    expect(bad.code).toBe('SHARE_CONSENT_FIELD')
  })

  it('refuses an export whose identity field is labelled no-share, naming it', async () => {
    const { f, audience } = await setup()
    const schema = (await f.store.catalog.definitions('acme')).profiles!
    schema.fields.email!.labels = ['pii', 'no-share']
    await f.store.catalog.apply('acme', { tables: { profiles: schema } })
    const ds = await source(f, {
      label: 'Mail',
      alias: 'mail',
      idType: 'declared',
      namespace: 'email_sha256',
    })
    const e = await errorOf(
      f.sharing.exportAudience('acme', {
        audience,
        dataSource: ds.id,
        target: { newName: 'X', sharedWith: [] },
      }),
    )
    expect(e.code).toBe('SHARE_GOVERNANCE_BLOCKED')
    expect(e.details?.blocked).toEqual([{ table: 'profiles', field: 'email', label: 'no-share' }])
    expect(e.message).toContain('profiles.email')
    const [job] = await f.sharing.listJobs('acme')
    expect(job).toMatchObject({ state: 'failed', error: { code: 'SHARE_GOVERNANCE_BLOCKED' } })
  })

  it('exports every visitor ID of a member, and a no-share link dataset blocks only its namespace', async () => {
    const { f, audience } = await setup()
    const ecid = (n: number) => `${String(n).padStart(19, '0')}${String(n).padStart(19, '0')}`
    await f.load('acme', ACME, [
      { ecid: ecid(1), profile: 'a1' },
      { ecid: ecid(2), profile: 'a1' },
      { ecid: ecid(3), profile: 'a2' },
    ])
    const ds = await source(f, { label: 'Visitors', alias: 'ecid', idType: 'visitor', namespace: 'ecid' })
    const job = await f.sharing.exportAudience('acme', {
      audience,
      dataSource: ds.id,
      target: { newName: 'visits', sharedWith: [] },
    })
    expect(job.counts).toMatchObject({ received: 5, exported: 3, unmapped: 3 })
    expect(f.report('acme', job.id).map((r) => r[0])).toEqual(['a3', 'a4', 'a5'])
    const links = (await f.store.catalog.definitions('acme')).visitor_links!
    await f.store.catalog.apply('acme', { tables: { visitor_links: { ...links, labels: ['no-share'] } } })
    const blocked = await errorOf(
      f.sharing.exportAudience('acme', {
        audience,
        dataSource: ds.id,
        target: { sharedAudience: job.sharedAudience! },
      }),
    )
    expect(blocked.details?.blocked).toEqual([{ table: 'visitor_links', label: 'no-share' }])
    const crm = await source(f, { label: 'CRM', alias: 'crm', idType: 'declared', namespace: 'crm' })
    const ok = await f.sharing.exportAudience('acme', {
      audience,
      dataSource: crm.id,
      target: { newName: 'crm', sharedWith: [] },
    })
    expect(ok.state).toBe('succeeded')
  })

  it('adds only new IDs to an existing shared audience, and mirror mode removes the others', async () => {
    const { f, audience } = await setup()
    const ds = await source(f, { label: 'CRM', alias: 'crm', idType: 'declared', namespace: 'crm' })
    const first = await f.sharing.exportAudience('acme', {
      audience,
      dataSource: ds.id,
      target: { newName: 'CRM set', sharedWith: ['beta'] },
    })
    const small = await f.listAudience('acme', 'two', ['a1', 'a2'])
    const added = await f.sharing.exportAudience('acme', {
      audience: small,
      dataSource: ds.id,
      target: { sharedAudience: first.sharedAudience! },
    })
    expect(added.sharedVersion).toBe(1)
    expect((await f.client('acme').getSharedAudience(first.sharedAudience!)).size).toBe(5)
    const mirrored = await f.sharing.exportAudience('acme', {
      audience: small,
      dataSource: ds.id,
      target: { sharedAudience: first.sharedAudience! },
      mode: 'mirror',
    })
    expect(mirrored.sharedVersion).toBe(2)
    const [v2] = (await f.client('acme').versions(first.sharedAudience!)).filter((v) => v.version === 2)
    expect(v2).toMatchObject({ size: 2, removed: 3, added: 0 })
  })
  it('refuses to delete an audience while a shared audience it was exported to exists', async () => {
    const { f, audience } = await setup()
    f.store.audiences.registerUsageProvider((org, id) => f.sharing.audienceUsers(org, id))
    const ds = await source(f, { label: 'CRM', alias: 'crm', idType: 'declared', namespace: 'crm' })
    const job = await f.sharing.exportAudience('acme', {
      audience,
      dataSource: ds.id,
      target: { newName: 'CRM set', sharedWith: [] },
    })
    const e = await errorOf(f.store.audiences.delete('acme', audience))
    expect(e.code).toBe('AUDIENCE_IN_USE')
    expect(e.details?.users).toEqual([{ kind: 'shared_audience', id: job.sharedAudience, label: 'CRM set' }])
    await f.client('acme').deleteSharedAudience(job.sharedAudience!)
    await f.store.audiences.delete('acme', audience)
  })
})

describe('import from the hub (docs/sharing.md)', () => {
  async function exported(f: SharingFixture, audience: string, input: DataSourceInput, name = 'VIP') {
    const ds = await source(f, input)
    const job = await f.sharing.exportAudience('acme', {
      audience,
      dataSource: ds.id,
      target: { newName: name, sharedWith: ['beta'] },
    })
    return job.sharedAudience!
  }

  it('reconciles hashed e-mails with profiles: matched, unmatched and ambiguous, all in the report', async () => {
    const { f, audience } = await setup()
    const sa = await exported(f, audience, {
      label: 'Mail',
      alias: 'mail',
      idType: 'declared',
      namespace: 'email',
      channel: 'email',
      protection: { kind: 'sha256' },
    })
    const { audience: imported, job } = await f.sharing.importShared('beta', {
      sharedAudience: sa,
      label: 'VIP from acme',
    })
    expect(imported).toMatchObject({ type: 'shared', dimension: 'profiles', size: 2 })
    expect(job).toMatchObject({ state: 'succeeded', direction: 'import', sharedVersion: 1, attempts: 1 })
    expect(job.counts).toMatchObject({
      received: 4,
      matched: 2,
      unmatched: 1,
      ambiguous: 1,
      invalid: 0,
      members: 2,
    })
    expect(job.latencyMs).toBeGreaterThanOrEqual(0)
    expect(await f.members('beta', imported.id)).toEqual(['b1', 'b2'])
    expect(f.report('beta', job.id)).toEqual([
      [sha256Hex('cat@example.com'), 'ambiguous', 'linked to several profiles, among them b3 and b4'],
      [sha256Hex('dan@example.com'), 'unmatched', 'no profile has this email identity'],
    ])
    const again = await errorOf(f.sharing.importShared('beta', { sharedAudience: sa, label: 'twice' }))
    expect(again.code).toBe('SHARE_ALREADY_IMPORTED')
    // The local side's hashed keys are kept between imports: unchanged links reuse them, and
    // when beta learns dan's address they are rebuilt, so a re-import matches him.
    await f.sharing.idle()
    const kept = await f.store.engine.query<{ n: number }>(
      'SELECT count(*) AS n FROM org_beta."_share_sha256_profiles__email"',
    )
    expect(Number(kept[0]!.n)).toBe(5)
    expect((await f.sharing.sync('beta', imported.id)).counts).toMatchObject({ matched: 2, unmatched: 1 })
    await f.load('beta', [...BETA, { id: 'b6', email: 'dan@example.com' }])
    const resync = await f.sharing.sync('beta', imported.id)
    expect(resync.counts).toMatchObject({ matched: 3, unmatched: 0, ambiguous: 1 })
    expect(await f.members('beta', imported.id)).toEqual(['b1', 'b2', 'b6'])
  })

  it('imports a shared audience again after the audience it was imported into is deleted (issue 17 item 9)', async () => {
    const { f, audience } = await setup()
    const sa = await exported(f, audience, {
      label: 'Mail',
      alias: 'mail',
      idType: 'declared',
      namespace: 'email',
      protection: { kind: 'sha256' },
    })
    const first = await f.sharing.importShared('beta', { sharedAudience: sa, label: 'VIP from acme' })
    await f.sharing.idle()
    await f.store.audiences.delete('beta', first.audience.id)
    const again = await f.sharing.importShared('beta', { sharedAudience: sa, label: 'VIP from acme' })
    expect(again.audience.id).not.toBe(first.audience.id)
    expect(again.job.state).toBe('succeeded')
    expect(await f.members('beta', again.audience.id)).toEqual(['b1', 'b2'])
    expect((await f.sharing.imports('beta')).map((i) => i.audience)).toEqual([again.audience.id])
    // The new audience is the one imported now: a third import names it.
    const third = await errorOf(f.sharing.importShared('beta', { sharedAudience: sa, label: 'third' }))
    expect(third).toMatchObject({ code: 'SHARE_ALREADY_IMPORTED', details: { audience: again.audience.id } })
  })

  it('reconciles visitor IDs through identity links and counts an ECID that fails validation as invalid', async () => {
    const legacy = new Map<string, string[]>()
    const { f } = await setup({ hubFor: lenientHub(legacy) })
    const ecid = (n: number) => `${String(n).padStart(19, '0')}${String(n).padStart(19, '0')}`
    await f.load('beta', BETA, [
      { ecid: ecid(1), profile: 'b1' },
      { ecid: ecid(2), profile: 'b2' },
    ])
    const ds = await source(f, { label: 'Visitors', alias: 'ecid', idType: 'visitor', namespace: 'ecid' })
    const sa = await f
      .client('acme')
      .createSharedAudience({ name: 'visits', dataSource: ds.id, sharedWith: ['beta'] })
    const file = join(f.dir, 'ecids.txt')
    writeFileSync(file, `${ecid(1)}\n${ecid(2)}\n${ecid(3)}\n`)
    await f.client('acme').publish(sa.id, file, { mode: 'add', requestId: 'r1' })
    legacy.set(sa.id, ['99999999999999999999999999999999999999', 'not-an-ecid'])
    const { audience, job } = await f.sharing.importShared('beta', {
      sharedAudience: sa.id,
      label: 'Visitors',
    })
    expect(job.counts).toMatchObject({ received: 5, matched: 2, unmatched: 1, invalid: 2, ambiguous: 0 })
    expect(await f.members('beta', audience.id)).toEqual(['b1', 'b2'])
    const invalid = f.report('beta', job.id).filter((r) => r[1] === 'invalid')
    expect(invalid.map((r) => r[0]).sort()).toEqual(['99999999999999999999999999999999999999', 'not-an-ecid'])
    expect(invalid[0]![2]).toContain('not a valid ECID')
  })

  it('normalises IDs that do not match as they come: case, spaces, upper-case digests', async () => {
    const legacy = new Map<string, string[]>()
    const { f } = await setup({ hubFor: lenientHub(legacy) })
    const plain = await source(f, { label: 'Plain', alias: 'plain', idType: 'declared', namespace: 'email' })
    const hashed = await source(f, {
      label: 'Hashed',
      alias: 'hashed',
      idType: 'declared',
      namespace: 'email',
      protection: { kind: 'sha256' },
    })
    // The hub takes one well-formed ID; the others come from a hub that did not check them.
    const publish = async (dsId: string, name: string, lines: string[]) => {
      const sa = await f.client('acme').createSharedAudience({ name, dataSource: dsId, sharedWith: ['beta'] })
      const file = join(f.dir, `${name}.txt`)
      writeFileSync(file, `${lines[0]}\n`)
      await f.client('acme').publish(sa.id, file, { mode: 'add', requestId: name })
      legacy.set(sa.id, lines.slice(1))
      return sa.id
    }
    const p = await publish(plain.id, 'plain', ['bob@example.com', ' ANN@Example.com ', 'not@@mail'])
    const { audience: a1, job: j1 } = await f.sharing.importShared('beta', {
      sharedAudience: p,
      label: 'plain',
    })
    expect(j1.counts).toMatchObject({ received: 3, matched: 2, invalid: 1, unmatched: 0 })
    expect(await f.members('beta', a1.id)).toEqual(['b1', 'b2'])
    expect(f.report('beta', j1.id)).toEqual([['not@@mail', 'invalid', 'not a valid e-mail address']])
    const h = await publish(hashed.id, 'hashed', [
      sha256Hex('eve@example.com'),
      sha256Hex('ann@example.com').toUpperCase(),
      Buffer.from(sha256Hex('bob@example.com'), 'hex').toString('base64'),
      'zz',
    ])
    const { audience: a2, job: j2 } = await f.sharing.importShared('beta', {
      sharedAudience: h,
      label: 'hashed',
    })
    expect(j2.counts).toMatchObject({ received: 4, matched: 3, invalid: 1 })
    expect(await f.members('beta', a2.id)).toEqual(['b1', 'b2', 'b5'])
  })

  it('matches HMAC-protected CRM IDs by hashing the local side with the same key', async () => {
    const { f, audience } = await setup()
    const sa = await exported(f, audience, {
      label: 'CRM HMAC',
      alias: 'crm-hmac',
      idType: 'declared',
      namespace: 'crm',
      protection: { kind: 'hmac-sha256', key: '00112233445566778899aabbccddeeff' },
    })
    const { audience: imported, job } = await f.sharing.importShared('beta', {
      sharedAudience: sa,
      label: 'CRM',
    })
    expect(job.counts).toMatchObject({ received: 5, matched: 2, unmatched: 3 })
    expect(await f.members('beta', imported.id)).toEqual(['b1', 'b2'])
  })

  const AES = {
    kind: 'aes-cbc' as const,
    bits: 128 as const,
    key: '000102030405060708090a0b0c0d0e0f',
    iv: 'f0e0d0c0b0a090807060504030201000',
  }

  it('keeps every decrypted e-mail of an encrypted e-mail source in a file audience; bad ciphertext is invalid', async () => {
    const legacy = new Map<string, string[]>()
    const { f } = await setup({ hubFor: lenientHub(legacy) })
    const ds = await source(f, {
      label: 'Enc',
      alias: 'enc',
      idType: 'declared',
      namespace: 'email',
      channel: 'email',
      protection: AES,
    })
    const sa = await f
      .client('acme')
      .createSharedAudience({ name: 'enc', dataSource: ds.id, sharedWith: ['beta'] })
    const file = join(f.dir, 'enc.txt')
    const good = protectIds(['ann@example.com', 'zed@example.org', 'not an e-mail'], AES)
    // A block of the right shape that does not decrypt is taken by the hub; text that is not Base64 is not.
    writeFileSync(file, `${good.join('\n')}\nAAAAAAAAAAAAAAAAAAAAAA==\n`)
    await f.client('acme').publish(sa.id, file, { mode: 'add', requestId: 'enc-1' })
    legacy.set(sa.id, ['!!notbase64!!'])
    const { audience, job } = await f.sharing.importShared('beta', {
      sharedAudience: sa.id,
      label: 'Contacts',
    })
    expect(audience).toMatchObject({ type: 'file', dimension: null, identityNamespace: 'email', size: 2 })
    expect(job.state).toBe('succeeded')
    expect(job.counts).toMatchObject({ received: 5, matched: 2, invalid: 3 })
    expect(await f.members('beta', audience.id)).toEqual(['ann@example.com', 'zed@example.org'])
    const reasons = f.report('beta', job.id).map((r) => r[2]!)
    expect(reasons.filter((r) => r.startsWith('does not decrypt'))).toHaveLength(2)
    expect(reasons).toContain('not a valid e-mail address')
    // Forced reconciliation decrypts, then matches the e-mails with profiles.
    const forced = await f.sharing
      .importShared('beta', {
        sharedAudience: sa.id,
        label: 'Contacts matched',
        forceReconciliation: true,
      })
      .catch((e) => e)
    expect(forced.code).toBe('SHARE_ALREADY_IMPORTED')
  })

  it('reconciles an encrypted e-mail source with profiles when reconciliation is forced', async () => {
    const { f } = await setup()
    const ds = await source(f, {
      label: 'Enc',
      alias: 'enc',
      idType: 'declared',
      namespace: 'email',
      channel: 'email',
      protection: AES,
    })
    const sa = await f
      .client('acme')
      .createSharedAudience({ name: 'enc', dataSource: ds.id, sharedWith: ['beta'] })
    const file = join(f.dir, 'enc.txt')
    writeFileSync(
      file,
      `${protectIds(['ann@example.com', 'zed@example.org', 'not an e-mail'], AES).join('\n')}\n`,
    )
    await f.client('acme').publish(sa.id, file, { mode: 'add', requestId: 'enc-2' })
    const { audience, job } = await f.sharing.importShared('beta', {
      sharedAudience: sa.id,
      label: 'Matched',
      forceReconciliation: true,
    })
    expect(audience.type).toBe('shared')
    expect(job.counts).toMatchObject({ received: 3, matched: 1, unmatched: 1, invalid: 1 })
    expect(await f.members('beta', audience.id)).toEqual(['b1'])
  })

  it('succeeds with every ID unmatched when no profile has the namespace', async () => {
    const { f } = await setup()
    const ds = await source(f, {
      label: 'Loyalty',
      alias: 'loyalty',
      idType: 'declared',
      namespace: 'loyalty_id',
    })
    const sa = await f
      .client('acme')
      .createSharedAudience({ name: 'cards', dataSource: ds.id, sharedWith: ['beta'] })
    const file = join(f.dir, 'cards.txt')
    writeFileSync(file, 'L-1\nL-2\nL-3\n')
    await f.client('acme').publish(sa.id, file, { mode: 'add', requestId: 'cards-1' })
    const { audience, job } = await f.sharing.importShared('beta', { sharedAudience: sa.id, label: 'none' })
    expect(job.state).toBe('succeeded')
    expect(job.counts).toMatchObject({ received: 3, matched: 0, unmatched: 3, invalid: 0 })
    expect(audience.size).toBe(0)
    expect(f.report('beta', job.id).map((r) => r[1])).toEqual(['unmatched', 'unmatched', 'unmatched'])
  })
})

describe('sync jobs: retries, idempotence, bad hubs', () => {
  const MAIL = {
    label: 'Mail',
    alias: 'mail',
    idType: 'declared' as const,
    namespace: 'email',
    protection: { kind: 'sha256' as const },
  }
  const down = () => new AppError('HUB_UNAVAILABLE', 'The hub cannot be reached')

  it('retries a publish whose answer was lost without publishing twice', async () => {
    let lost = 1
    const { f, audience } = await setup({
      hubFor: (_org, real) => ({
        ...bind(real),
        async publish(id, file, options) {
          const v = await real.publish(id, file, options)
          if (lost-- > 0) throw down()
          return v
        },
      }),
    })
    const ds = await source(f, MAIL)
    const job = await f.sharing.exportAudience('acme', {
      audience,
      dataSource: ds.id,
      target: { newName: 'VIP', sharedWith: ['beta'] },
    })
    expect(job).toMatchObject({ state: 'succeeded', attempts: 2, sharedVersion: 1 })
    const versions = await f.client('acme').versions(job.sharedAudience!)
    expect(versions.map((v) => v.version)).toEqual([1])
    expect(versions[0]!.size).toBe(4)
  })

  it('retries an import that lost the hub midway and writes each member once', async () => {
    let calls = 0
    const { f, audience } = await setup({
      hubFor: (org, real) =>
        org === 'beta'
          ? {
              ...bind(real),
              async downloadMembers(id, file, version) {
                const n = await real.downloadMembers(id, file, version)
                if (calls++ === 0) throw down()
                return n
              },
            }
          : real,
    })
    const ds = await source(f, MAIL)
    const exported = await f.sharing.exportAudience('acme', {
      audience,
      dataSource: ds.id,
      target: { newName: 'VIP', sharedWith: ['beta'] },
    })
    const { audience: imported, job } = await f.sharing.importShared('beta', {
      sharedAudience: exported.sharedAudience!,
      label: 'VIP',
    })
    expect(job).toMatchObject({ state: 'succeeded', attempts: 2 })
    const again = await f.sharing.sync('beta', imported.id)
    expect(again.state).toBe('succeeded')
    expect(await f.members('beta', imported.id)).toEqual(['b1', 'b2'])
    const versions = await f.store.audiences.versions('beta', imported.id)
    expect(versions.map((v) => [v.version, v.size, v.entered])).toEqual([
      [2, 2, 0],
      [1, 2, 2],
    ])
  })

  it('fails with SHARE_HUB_UNAVAILABLE after its retries when the hub is down', async () => {
    const { f, audience } = await setup({
      hubFor: (org) => new HttpHubClient({ url: 'http://127.0.0.1:9', token: 'ahubhub_x', org }),
      retry: { attempts: 3, delayMs: 1 },
    })
    const e = await errorOf(
      f.sharing.exportAudience('acme', {
        audience,
        dataSource: 'ds_x',
        target: { newName: 'VIP', sharedWith: [] },
      }),
    )
    expect(e.code).toBe('SHARE_HUB_UNAVAILABLE')
    const [job] = await f.sharing.listJobs('acme')
    expect(job).toMatchObject({
      id: e.details?.job,
      state: 'failed',
      attempts: 3,
      error: { code: 'SHARE_HUB_UNAVAILABLE' },
    })
  })

  it('fails an import whose shared audience is deleted while it runs, keeping the previous version', async () => {
    let deleteNow = false
    const { f, audience } = await setup({
      hubFor: (org, real) =>
        org === 'beta'
          ? {
              ...bind(real),
              async downloadMembers(id, file, version) {
                const n = await real.downloadMembers(id, file, version)
                if (deleteNow) await f!.client('acme').deleteSharedAudience(id)
                return n
              },
            }
          : real,
    })
    const ds = await source(f, MAIL)
    const exported = await f.sharing.exportAudience('acme', {
      audience,
      dataSource: ds.id,
      target: { newName: 'VIP', sharedWith: ['beta'] },
    })
    const { audience: imported } = await f.sharing.importShared('beta', {
      sharedAudience: exported.sharedAudience!,
      label: 'VIP',
    })
    deleteNow = true
    const e = await errorOf(f.sharing.sync('beta', imported.id))
    expect(e.code).toBe('SHARE_SOURCE_DELETED')
    const [job] = await f.sharing.listJobs('beta', { audience: imported.id })
    expect(job).toMatchObject({ state: 'failed', error: { code: 'SHARE_SOURCE_DELETED' }, attempts: 1 })
    expect(await f.store.audiences.get('beta', imported.id)).toMatchObject({ version: 1, size: 2 })
  })

  it('re-imports automatically when the shared audience changes', async () => {
    const { f, audience } = await setup()
    const ds = await source(f, MAIL)
    const exported = await f.sharing.exportAudience('acme', {
      audience,
      dataSource: ds.id,
      target: { newName: 'VIP', sharedWith: ['beta'] },
    })
    const { audience: imported } = await f.sharing.importShared('beta', {
      sharedAudience: exported.sharedAudience!,
      label: 'VIP',
    })
    await f.sharing.startFollowing()
    const ended: string[] = []
    f.sharing.onJob((j) => ended.push(`${j.direction}:${j.state}`))
    const smaller = await f.listAudience('acme', 'ann only', ['a1'])
    const started = Date.now()
    await f.sharing.exportAudience('acme', {
      audience: smaller,
      dataSource: ds.id,
      target: { sharedAudience: exported.sharedAudience! },
      mode: 'mirror',
    })
    while ((await f.store.audiences.get('beta', imported.id)).version < 2 && Date.now() - started < 10_000)
      await new Promise((r) => setTimeout(r, 20))
    await f.sharing.idle()
    expect(await f.members('beta', imported.id)).toEqual(['b1'])
    const [job] = await f.sharing.listJobs('beta', { audience: imported.id })
    expect(job).toMatchObject({ state: 'succeeded', sharedVersion: 2, counts: { received: 1, matched: 1 } })
    expect(job!.latencyMs).toBeLessThan(5_000)
    expect(ended).toEqual(['export:succeeded', 'import:succeeded'])
    expect((await f.sharing.imports('beta'))[0]).toMatchObject({ audience: imported.id, lastVersion: 2 })
  })
})

describe('following pushes', () => {
  it('folds a burst of versions into at most two syncs and ignores repeated events', async () => {
    // Downloads wait while the burst is published, as they would behind a slow link: the burst
    // then always lands while the first sync runs, however fast this machine publishes.
    let holding = false
    let release!: () => void
    const held = new Promise<void>((r) => {
      release = r
    })
    const { f } = await setup({
      // Every push is delivered twice, as a reconnecting subscriber may see it.
      hubFor: (_org, real) => ({
        ...bind(real),
        downloadMembers: async (id, file, version) => {
          if (holding) await held
          return real.downloadMembers(id, file, version)
        },
        subscribe: (listener) =>
          real.subscribe((e) => {
            listener(e)
            listener(e)
          }),
      }),
    })
    const ds = await source(f, { label: 'CRM', alias: 'crm', idType: 'declared', namespace: 'crm' })
    const sa = await f
      .client('acme')
      .createSharedAudience({ name: 'crm', dataSource: ds.id, sharedWith: ['beta'] })
    const file = join(f.dir, 'crm.txt')
    writeFileSync(file, 'C-1\n')
    await f.client('acme').publish(sa.id, file, { mode: 'add', requestId: 'v1' })
    const { audience } = await f.sharing.importShared('beta', { sharedAudience: sa.id, label: 'crm' })
    await f.sharing.startFollowing()
    holding = true
    for (const [i, ids] of [['C-2'], ['C-2', 'C-9'], ['C-1', 'C-2']].entries()) {
      writeFileSync(file, `${ids.join('\n')}\n`)
      await f.client('acme').publish(sa.id, file, { mode: 'mirror', requestId: `burst-${i}` })
    }
    release()
    const started = Date.now()
    while ((await f.sharing.imports('beta'))[0]!.lastVersion < 4 && Date.now() - started < 10_000)
      await new Promise((r) => setTimeout(r, 20))
    await f.sharing.idle()
    expect(await f.members('beta', audience.id)).toEqual(['b1', 'b2'])
    const jobs = await f.sharing.listJobs('beta', { audience: audience.id })
    const follows = jobs.filter((j) => j.sharedVersion !== 1)
    expect(follows.length).toBeGreaterThanOrEqual(1)
    expect(follows.length).toBeLessThanOrEqual(2)
    expect(follows.every((j) => j.state === 'succeeded')).toBe(true)
    expect(follows[0]!.sharedVersion).toBe(4)
    expect(jobs.filter((j) => j.state === 'queued')).toEqual([])
  })
})

/** Every method of a hub client bound to it, to override a few in a wrapper. */
function bind(real: HubClient): HubClient {
  return {
    org: real.org,
    createDataSource: (i) => real.createDataSource(i),
    listDataSources: () => real.listDataSources(),
    getDataSource: (id) => real.getDataSource(id),
    keyMaterial: (id) => real.keyMaterial(id),
    createSharedAudience: (i) => real.createSharedAudience(i),
    listSharedAudiences: () => real.listSharedAudiences(),
    getSharedAudience: (id) => real.getSharedAudience(id),
    setSharedWith: (id, orgs) => real.setSharedWith(id, orgs),
    deleteSharedAudience: (id) => real.deleteSharedAudience(id),
    publish: (id, file, o) => real.publish(id, file, o),
    versions: (id) => real.versions(id),
    downloadMembers: (id, file, v) => real.downloadMembers(id, file, v),
    downloadChanges: (id, since, files) => real.downloadChanges(id, since, files),
    subscribe: (l) => real.subscribe(l),
  }
}
