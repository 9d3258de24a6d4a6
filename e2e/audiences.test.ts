import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ApiError, AudienceHubClient } from '@ahub/client'
import { parseSchemaText, sha256Hex } from '@ahub/core'
import { type App, bootstrapAdmin, buildApp } from '@ahub/server'
import { Store } from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = mkdtempSync(join(tmpdir(), 'ahub-audience-crash-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const PROFILES = 400_000
const csv = join(root, 'profiles.csv')
const lines = ['id,score']
for (let i = 0; i < PROFILES; i++) lines.push(`p${i},${i % 100}`)
writeFileSync(csv, `${lines.join('\n')}\n`)

/** Runs the child, kills it with SIGKILL as soon as it reports the phase; resolves when it is gone. */
function runAndKill(dataDir: string, phase: string): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'fixtures', 'audience-refresh-child.ts'), dataDir, csv, phase],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let output = ''
    let killed = false
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString()
      if (!killed && output.includes('KILL-ME')) {
        killed = true
        child.kill('SIGKILL')
      }
    })
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString()
    })
    child.on('error', reject)
    child.on('exit', () => resolve({ killed, output }))
  })
}

// A refresh writes its version and switches to it in one transaction: killed at any point, the
// audience is at the previous version or the new one, complete, never in between.
describe('kill -9 during an audience refresh', () => {
  for (const phase of ['evaluating', 'writing', 'switching']) {
    it(`leaves a whole version current when killed while ${phase}`, async () => {
      const dataDir = join(root, `data-${phase}`)
      const { killed, output } = await runAndKill(dataDir, phase)
      expect(output).toContain('BASE')
      expect(killed).toBe(true)
      const store = await Store.open({ dataDir })
      try {
        const [audience] = await store.audiences.list('acme')
        expect([1, 2]).toContain(audience!.version)
        expect(audience!.size).toBe(PROFILES / 2)
        const history = await store.audiences.versions('acme', audience!.id)
        expect(history[0]!.version).toBe(audience!.version)
        const [open] = (await store.engine.query(
          `SELECT count(*) FILTER (WHERE exited IS NULL) AS current, max(entered) AS newest, max(exited) AS closed
           FROM org_acme._audience_members`,
        )) as [{ current: number; newest: number; closed: number | null }]
        expect(open.current).toBe(audience!.size)
        expect(open.newest).toBe(audience!.version)
        if (audience!.version === 1) {
          expect(open.closed).toBeNull()
          // The store is usable after the crash: the same refresh completes.
          const again = await store.audiences.refresh('acme', audience!.id)
          expect(again.version).toMatchObject({
            version: 2,
            size: PROFILES / 2,
            entered: PROFILES / 4,
            exited: PROFILES / 4,
          })
        }
      } finally {
        await store.close()
      }
    })
  }
})

// The same story over HTTP, as the CLI and the UI tell it.
describe('audiences over the API', () => {
  let store: Store
  let app: App
  let api: AudienceHubClient
  const dataDir = join(root, 'api')

  async function apiError(p: Promise<unknown>): Promise<ApiError> {
    try {
      await p
    } catch (e) {
      if (e instanceof ApiError) return e
      throw e
    }
    throw new Error('expected the call to fail')
  }

  beforeAll(async () => {
    store = await Store.open({ dataDir })
    await store.createOrg('shop', 'Shop')
    await store.catalog.apply(
      'shop',
      parseSchemaText(`tables:
  profiles:
    primaryKey: [profile_id]
    fields:
      profile_id: { type: string, nullable: false }
      email: { type: string, identity: { namespace: email, primary: true } }
      tier: { type: string }
`),
    )
    const people = join(root, 'people.csv')
    writeFileSync(
      people,
      'profile_id,email,tier\np1,Ann@Shop.example,gold\np2,bob@shop.example,gold\np3,cat@shop.example,silver\n',
    )
    await store.ingestor.ingest('shop', 'profiles', people)
    const { user } = await bootstrapAdmin(store, 'shop', false)
    const secret = `test-${crypto.randomUUID()}`
    app = await buildApp({
      store,
      rateLimit: false,
      verifiers: [
        async (b) => (b === secret ? { kind: 'user', userId: user.id, via: 'oidc', issuer: 'test' } : null),
      ],
    })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    if (!address || typeof address === 'string') throw new Error('the server has no port')
    api = new AudienceHubClient(`http://127.0.0.1:${address.port}`, secret, 'shop')
  })

  afterAll(async () => {
    await app?.close()
    await store?.close()
  })

  it('creates, refreshes, reads, exports and protects audiences', async () => {
    const gold = await api.createAudience({
      type: 'query',
      label: 'Gold',
      rule: { kind: 'condition', field: 'tier', op: '=', value: 'gold' },
    })
    expect(gold.audience).toMatchObject({ type: 'query', size: 2, version: 1 })
    expect(gold.audience.owner).not.toBe('system')

    const list = join(root, 'upload.txt')
    writeFileSync(list, 'ann@shop.example\nnope\nzoe@else.example\n')
    const upload = await api.uploadAudience(list, { label: 'Upload', namespace: 'email' })
    expect(upload.accepted).toBe(2)
    expect(upload.rejected).toEqual([{ line: 2, value: 'nope', reason: expect.any(String) }])

    await store.engine.run("UPDATE org_shop.profiles SET tier = 'gold' WHERE profile_id = 'p3'")
    const refreshed = await api.refreshAudience(gold.audience.id)
    expect(refreshed.version).toMatchObject({ version: 2, size: 3, entered: 1, exited: 0 })
    const detail = await api.getAudience(gold.audience.id)
    expect(detail.versions.map((v) => v.size)).toEqual([3, 2])
    const changes = await api.audienceChanges(gold.audience.id, { since: 1 })
    expect(changes.changes).toEqual([{ version: 2, change: 'entered', member: 'p3' }])
    const members = await api.audienceMembers(gold.audience.id, { search: 'ann' })
    expect(members.members.map((m) => m.member)).toEqual(['p1'])
    expect((await api.profileAudiences('p3')).audiences.map((a) => a.label)).toEqual(['Gold'])

    const vip = await api.createAudience({ type: 'list', label: 'VIP', members: ['p1', 'p9'] })
    const overlap = await api.audienceOverlap([gold.audience.id, vip.audience.id])
    expect(overlap.regions.map((r) => r.count)).toEqual([2, 1, 1])

    const body = await api.exportAudience(gold.audience.id, { format: 'csv', hashProfile: 'generic' })
    const csvText = await new Response(body).text()
    expect(csvText.trim().split('\n').slice(1).sort()).toEqual(
      ['ann@shop.example', 'bob@shop.example', 'cat@shop.example'].map((e) => sha256Hex(e)).sort(),
    )
    const unknown = await apiError(api.exportAudience(gold.audience.id, { hashProfile: 'myspace' }))
    expect([unknown.status, unknown.code]).toEqual([400, 'IDENTITY_UNKNOWN_PROFILE'])

    const derived = await api.createAudience({
      type: 'query',
      label: 'Gold VIP',
      rule: { kind: 'audience', audience: vip.audience.id },
    })
    expect(derived.audience.size).toBe(1)
    const inUse = await apiError(api.deleteAudience(vip.audience.id))
    expect([inUse.status, inUse.code]).toEqual([409, 'AUDIENCE_IN_USE'])
    const taken = await apiError(api.createAudience({ type: 'list', label: 'vip', members: [] }))
    expect([taken.status, taken.code]).toEqual([409, 'AUDIENCE_LABEL_TAKEN'])
    expect(await api.deleteAudience(derived.audience.id)).toEqual({ deleted: derived.audience.id })
    expect((await api.listAudiences()).audiences.map((a) => a.label)).toEqual(['Gold', 'Upload', 'VIP'])
  })

  it('refreshes a query audience on a schedule set through the API', async () => {
    await store.engine.run("UPDATE org_shop.profiles SET tier = 'bronze'")
    const silver = await api.createAudience({
      type: 'query',
      label: 'Silver',
      rule: { kind: 'condition', field: 'tier', op: '=', value: 'silver' },
    })
    const id = silver.audience.id
    expect(await api.audienceSchedule(id)).toEqual({ schedule: null, nextLaunches: [] })
    const set = await api.scheduleAudience(id, { cron: '30 7 * * 1-5', timeZone: 'America/New_York' })
    expect(set.schedule).toMatchObject({ cron: '30 7 * * 1-5', timeZone: 'America/New_York', lastRun: null })
    expect(set.nextLaunches).toHaveLength(10)
    for (const l of set.nextLaunches) expect(new Date(l).getUTCDay()).toBeOneOf([1, 2, 3, 4, 5])
    const bad = await apiError(api.scheduleAudience(id, { cron: '61 * * * *' }))
    expect([bad.status, bad.code]).toEqual([400, 'AUDIENCE_SCHEDULE_INVALID'])
    const extra = await apiError(api.scheduleAudience(id, { cron: '0 6 * * *', every: 'day' } as never))
    expect([extra.status, extra.code]).toEqual([400, 'VALIDATION_FAILED'])
    // The server's scheduler fires when the launch has come (here: its tick, given that time).
    await store.engine.run("UPDATE org_shop.profiles SET tier = 'silver' WHERE profile_id = 'p1'")
    const tick = await store.audienceSchedules.tick(new Date(Date.parse(set.nextLaunches[0]!) + 1000))
    expect(tick.refreshed).toEqual([{ audience: id, version: 2 }])
    expect((await api.audienceSchedule(id)).schedule).toMatchObject({ lastVersion: 2, lastError: null })
    expect((await api.getAudience(id)).audience.size).toBe(1)
    expect(await api.unscheduleAudience(id)).toEqual({ removed: true })
    expect(await api.unscheduleAudience(id)).toEqual({ removed: false })
  })
})

/** Runs the real CLI in a child process; never rejects, so exit codes can be asserted. */
function ahub(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, AHUB_CONFIG: join(root, 'ahub-config.json') }
  for (const name of ['AHUB_URL', 'AHUB_SERVER', 'AHUB_TOKEN', 'AHUB_ORG', 'AHUB_DATA_DIR']) delete env[name]
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(__dirname, '..', 'packages/cli/bin/ahub.js'), '--data-dir', dataDir, '--org', 'acme', ...args],
      { env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    )
  })
}

describe('ahub audience', () => {
  it('uploads a list, shows its change log, exports it hashed and deletes it', async () => {
    const dataDir = join(root, 'cli')
    const list = join(root, 'cli-list.txt')
    writeFileSync(list, '+33 6 12 34 56 78\nnot a phone\n06 98 76 54 32\n')
    const org = await ahub(dataDir, 'org', 'create', 'acme')
    expect(org.code, org.stderr).toBe(0)
    const created = await ahub(
      dataDir,
      'audience',
      'create',
      'Callers',
      '--file',
      list,
      '--namespace',
      'phone',
      '--country',
      'FR',
      '--json',
    )
    expect(created.code, created.stderr).toBe(0)
    const saved = JSON.parse(created.stdout)
    expect(saved.accepted).toBe(2)
    expect(saved.rejected).toEqual([{ line: 2, value: 'not a phone', reason: expect.any(String) }])
    const id = saved.audience.id as string

    const changes = JSON.parse(
      (await ahub(dataDir, 'audience', 'changes', id, '--since', '0', '--json')).stdout,
    )
    expect(changes.changes.map((c: { member: string }) => c.member)).toEqual(['+33612345678', '+33698765432'])

    const out = join(root, 'callers.csv')
    const exported = await ahub(dataDir, 'audience', 'export', id, out, '--hash', 'meta')
    expect(exported.code, exported.stderr).toBe(0)
    const [header, ...hashes] = readFileSync(out, 'utf8').trim().split('\n')
    expect(header).toBe('phone_sha256')
    expect(hashes.sort()).toEqual([sha256Hex('33612345678'), sha256Hex('33698765432')].sort())

    const refresh = await ahub(dataDir, 'audience', 'refresh', id)
    expect(refresh.code).not.toBe(0)
    expect(refresh.stderr).toContain('AUDIENCE_TYPE_NOT_ALLOWED')
    expect((await ahub(dataDir, 'audience', 'delete', id)).code).toBe(0)
    const listed = JSON.parse((await ahub(dataDir, 'audience', 'list', '--json')).stdout)
    expect(listed.audiences).toEqual([])
  }, 180_000)
})
