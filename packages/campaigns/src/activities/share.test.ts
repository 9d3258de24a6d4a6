import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CampaignDefinition,
  type CampaignDefinitionInput,
  type CampaignRun,
  type Capability,
  type DataSource,
  parseSchemaText,
  sha256Hex,
} from '@ahub/core'
import { HttpHubClient, type HubClient, type HubFixture, inProcessFixture } from '@ahub/hub'
import { migrateSharing, SharingService } from '@ahub/sharing'
import { Store } from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Authority, neededCapabilities } from '../authority'
import { CampaignService } from '../campaign-service'
import { migrateCampaigns } from '../migrations'
import { shareRequestId } from './share'

// Profiles with an e-mail identity, a consent flag; org `gov` labels its e-mails no-share.
const schema = (emailLabels: string) => `
tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      email: { type: string, identity: { namespace: email, primary: true }${emailLabels} }
      country: { type: string }
      consent: { type: boolean }
`
// p1..p3 French with an e-mail, p4 French without one, p5 French without consent, p6 German.
const PEOPLE = [
  'p1,ann@example.com,FR,true',
  'p2,bob@example.com,FR,true',
  'p3,cat@example.com,FR,true',
  'p4,,FR,true',
  'p5,eve@example.com,FR,false',
  'p6,fay@example.com,DE,true',
]

let dir: string
let store: Store
let hub: HubFixture
let sharing: SharingService
let campaigns: CampaignService
/** While true, the sharing service talks to a hub nobody listens for (a closed loopback port). */
let hubDown = false
const clients = new Map<string, HubClient>()
const sources = new Map<string, DataSource>()

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ahub-campaign-share-'))
  store = await Store.open({ dataDir: join(dir, 'data') })
  await migrateCampaigns(store.engine)
  await migrateSharing(store.engine)
  hub = await inProcessFixture()
  for (const [org, labels] of [
    ['acme', ''],
    ['gov', ', labels: [no-share]'],
  ] as const) {
    await store.createOrg(org, org)
    await store.catalog.apply(org, parseSchemaText(schema(labels)))
    const file = join(dir, `${org}.csv`)
    writeFileSync(file, `id,email,country,consent\n${PEOPLE.join('\n')}\n`)
    await store.ingestor.ingest(org, 'profiles', file)
    clients.set(org, await hub.client(org))
  }
  sharing = new SharingService(store, {
    hub: (org) =>
      hubDown ? new HttpHubClient({ url: 'http://127.0.0.1:9', token: 'ahubhub_x', org }) : clients.get(org)!,
    retry: { attempts: 2, delayMs: 1 },
  })
  campaigns = new CampaignService(store.engine, store.catalog, store.audiences, undefined, sharing)
  for (const org of ['acme', 'gov'])
    sources.set(
      org,
      await sharing.createDataSource(org, {
        label: 'E-mail SHA-256',
        alias: 'email-sha',
        idType: 'declared',
        namespace: 'email',
        channel: 'email',
        protection: { kind: 'sha256' },
      }),
    )
})

afterAll(async () => {
  await campaigns.close()
  await sharing.stopFollowing()
  await store.close()
  await hub.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Build (a rule on country) -> Save audience with `share`, its three outlets each to an End. */
function sharingCampaign(
  label: string,
  share: Record<string, unknown>,
  country = 'FR',
  save: Record<string, unknown> = {},
): CampaignDefinitionInput {
  return {
    label,
    activities: [
      {
        id: 'build',
        type: 'build_audience',
        options: { rule: { kind: 'condition', field: 'country', op: '=', value: country } },
      },
      { id: 'save', type: 'save_audience', options: { label, share, ...save } },
      { id: 'saved', type: 'end' },
      { id: 'sent', type: 'end' },
      { id: 'lost', type: 'end' },
    ],
    transitions: [
      { id: 't_in', from: 'build', to: 'save' },
      { id: 't_saved', from: 'save', to: 'saved' },
      { id: 't_exported', from: 'save', to: 'sent', output: 'exported' },
      { id: 't_unmapped', from: 'save', to: 'lost', output: 'unmapped' },
    ],
    settings: { keepInterimResults: true },
  }
}

async function run(
  org: string,
  def: CampaignDefinitionInput,
  mode: 'live' | 'test' = 'live',
  service = campaigns,
): Promise<CampaignRun> {
  const c = await service.create(org, def)
  if (mode === 'live') await service.publish(org, c.id)
  const r = await service.start(org, c.id, { mode })
  await service.settled(r.id)
  return service.status(org, r.id)
}

/** Waits (retries wait on timers) until the run leaves `running`. */
async function finished(org: string, runId: string): Promise<CampaignRun> {
  for (let i = 0; i < 200; i++) {
    const r = await campaigns.status(org, runId)
    if (r.state !== 'running') return r
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`run ${runId} is still running`)
}

async function keys(org: string, r: CampaignRun, transition: string): Promise<string[]> {
  const p = await campaigns.preview(org, r.id, transition, 100)
  return p.rows.map((row) => String(row.id)).sort()
}

async function ledger(r: CampaignRun): Promise<{ status: string; result: string | null }> {
  const [row] = await store.engine.query<{ status: string; result: string | null }>(
    "SELECT status, result FROM meta.campaign_effects WHERE run = $1 AND activity = 'save'",
    [r.id],
  )
  return row!
}

async function hubIds(org: string, sharedAudience: string): Promise<string[]> {
  const file = join(dir, `${sharedAudience}.ids`)
  await clients.get(org)!.downloadMembers(sharedAudience, file)
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).sort()
}

const hashed = (...names: string[]) => names.map((n) => sha256Hex(`${n}@example.com`)).sort()

describe('Save audience with share (docs/sharing.md)', () => {
  it('publishes the saved audience once and splits the population into exported and unmapped', async () => {
    const share = {
      dataSource: sources.get('acme')!.id,
      target: { newName: 'French VIP', sharedWith: [] },
      consentField: 'consent',
    }
    const r = await run('acme', sharingCampaign('French VIP', share))
    expect(r.state).toBe('completed')
    expect(r.transitions).toMatchObject({ t_in: 5, t_saved: 5, t_exported: 3, t_unmapped: 1 })
    expect(await keys('acme', r, 't_exported')).toEqual(['p1', 'p2', 'p3'])
    expect(await keys('acme', r, 't_unmapped')).toEqual(['p4'])

    const saved = (await store.audiences.list('acme')).find((a) => a.label === 'French VIP')!
    expect(saved).toMatchObject({ size: 5, version: 1 })
    const [job] = await sharing.listJobs('acme', { audience: saved.id })
    expect(job).toMatchObject({
      state: 'succeeded',
      sharedVersion: 1,
      counts: { received: 5, exported: 3, unmapped: 1, withoutConsent: 1 },
    })
    expect(await hubIds('acme', job!.sharedAudience!)).toEqual(hashed('ann', 'bob', 'cat'))
    expect(await clients.get('acme')!.versions(job!.sharedAudience!)).toHaveLength(1)

    expect(JSON.parse((await ledger(r)).result!)).toEqual({ shareJob: job!.id })
    const log = (await campaigns.logs('acme', r.id)).map((e) => e.message)
    expect(log).toContain(
      `Shared as sync job ${job!.id}: shared audience ${job!.sharedAudience} version 1; 5 member(s), 3 ID(s) exported, 1 unmapped, 1 without consent`,
    )
    expect(log).toContain('Done (out: 5, exported: 3, unmapped: 1)')
  })

  it('mirrors into an existing shared audience: a later run removes the members gone', async () => {
    const ds = sources.get('acme')!.id
    const first = await run(
      'acme',
      sharingCampaign('Mirror all', { dataSource: ds, target: { newName: 'Mirror', sharedWith: [] } }, 'FR'),
    )
    const [job1] = await sharing.listJobs('acme', { limit: 1 })
    expect(first.state).toBe('completed')
    expect(await hubIds('acme', job1!.sharedAudience!)).toEqual(hashed('ann', 'bob', 'cat', 'eve'))
    const second = await run(
      'acme',
      sharingCampaign(
        'Mirror de',
        { dataSource: ds, target: { sharedAudience: job1!.sharedAudience }, mode: 'mirror' },
        'DE',
      ),
    )
    expect(second.transitions).toMatchObject({ t_exported: 1, t_unmapped: 0 })
    expect(await hubIds('acme', job1!.sharedAudience!)).toEqual(hashed('fay'))
    const versions = await clients.get('acme')!.versions(job1!.sharedAudience!)
    expect(versions.map((v) => [v.version, v.size, v.added, v.removed])).toEqual([
      [1, 4, 4, 0],
      [2, 1, 1, 4],
    ])
  })

  it('test mode neither saves nor shares, and emits both outlets empty', async () => {
    const before = (await sharing.sharedAudiences('acme')).length
    const share = { dataSource: sources.get('acme')!.id, target: { newName: 'Test only', sharedWith: [] } }
    const r = await run('acme', sharingCampaign('Test only', share), 'test')
    expect(r.state).toBe('completed')
    expect(r.transitions).toMatchObject({ t_saved: 5, t_exported: 0, t_unmapped: 0 })
    expect((await store.audiences.list('acme')).some((a) => a.label === 'Test only')).toBe(false)
    expect(await sharing.sharedAudiences('acme')).toHaveLength(before)
    const log = (await campaigns.logs('acme', r.id)).map((e) => e.message)
    expect(log).toContain('Done (out: 5, exported: 0, unmapped: 0) (test mode: nothing saved or shared)')
  })

  it('publishes once when the process died after the hub published but before the task was closed', async () => {
    const share = {
      dataSource: sources.get('acme')!.id,
      target: { newName: 'Crash', sharedWith: [] },
      mode: 'mirror',
    }
    const r = await run('acme', sharingCampaign('Crash', share))
    const [job] = await sharing.listJobs('acme', { limit: 1 })
    expect(job!.state).toBe('succeeded')
    // As if killed between the hub's publish and the end of the job: the job still running, nothing
    // recorded on the ledger, the task and what follows it not done.
    await store.engine.run("UPDATE meta.share_jobs SET state = 'running' WHERE id = $1", [job!.id])
    await store.engine.run('UPDATE meta.campaign_effects SET result = NULL WHERE run = $1', [r.id])
    await store.engine.run(
      "UPDATE meta.campaign_tasks SET status = 'running', outputs = '{}' WHERE run = $1 AND activity IN ('save', 'saved', 'sent', 'lost')",
      [r.id],
    )
    await store.engine.run("UPDATE meta.campaign_runs SET state = 'running' WHERE id = $1", [r.id])
    // While the process was down the audience changed: a second mirror would publish a version 2.
    const audience = (await store.audiences.list('acme')).find((a) => a.label === 'Crash')!
    await store.audiences.saveList('acme', audience.id, ['p1'])
    expect(await campaigns.recover()).toEqual([r.id])
    await campaigns.settled(r.id)
    expect((await campaigns.status('acme', r.id)).state).toBe('completed')
    // The same job ran again, and the hub answered its request id with the version it had made.
    const jobs = await sharing.listJobs('acme', { sharedAudience: job!.sharedAudience! })
    expect(jobs.map((j) => [j.id, j.state, j.sharedVersion])).toEqual([[job!.id, 'succeeded', 1]])
    expect((await clients.get('acme')!.versions(job!.sharedAudience!)).map((v) => v.version)).toEqual([1])
    expect(await hubIds('acme', job!.sharedAudience!)).toEqual(hashed('ann', 'bob', 'cat', 'eve'))
    expect(JSON.parse((await ledger(r)).result!)).toEqual({ shareJob: job!.id })

    // Killed twice more, the hub now unreachable: with the job on the ledger, then (died between
    // the end of the job and the ledger) without it. Neither resumed task needs the hub.
    const again = async () => {
      await store.engine.run(
        "UPDATE meta.campaign_tasks SET status = 'running' WHERE run = $1 AND activity IN ('save', 'saved', 'sent', 'lost')",
        [r.id],
      )
      await store.engine.run("UPDATE meta.campaign_runs SET state = 'running' WHERE id = $1", [r.id])
      await campaigns.recover()
      await campaigns.settled(r.id)
      return campaigns.status('acme', r.id)
    }
    hubDown = true
    try {
      expect((await again()).state).toBe('completed')
      await store.engine.run('UPDATE meta.campaign_effects SET result = NULL WHERE run = $1', [r.id])
      const last = await again()
      expect(last.state).toBe('completed')
      const codes = (await campaigns.logs('acme', r.id)).map((e) => e.code)
      expect(codes.filter((c) => c !== null)).toEqual([])
    } finally {
      hubDown = false
    }
    expect(JSON.parse((await ledger(r)).result!)).toEqual({ shareJob: job!.id })
    const requests = await store.engine.query<{ id: string }>(
      `SELECT id FROM meta.share_jobs WHERE json_extract_string(request, '$.requestId') = $1`,
      [shareRequestId(r.id, 'save')],
    )
    expect(requests.map((x) => x.id)).toEqual([job!.id])
    expect((await clients.get('acme')!.versions(job!.sharedAudience!)).map((v) => v.version)).toEqual([1])
  })

  it('fails the activity with SHARE_GOVERNANCE_BLOCKED when a label forbids sharing', async () => {
    const share = { dataSource: sources.get('gov')!.id, target: { newName: 'Blocked', sharedWith: [] } }
    const r = await run('gov', sharingCampaign('Blocked', share))
    expect(r).toMatchObject({ state: 'paused', error: { code: 'SHARE_GOVERNANCE_BLOCKED' } })
    expect(r.tasks.find((t) => t.activity === 'save')).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'SHARE_GOVERNANCE_BLOCKED' },
    })
    expect(await sharing.sharedAudiences('gov')).toEqual([])
    const log = await campaigns.logs('gov', r.id)
    expect(log.find((e) => e.level === 'error')).toMatchObject({
      activity: 'save',
      code: 'SHARE_GOVERNANCE_BLOCKED',
    })
    expect(log.find((e) => e.level === 'error')!.message).toContain('profiles.email')
  })

  it('retries the activity while the hub is down, then publishes once', async () => {
    hubDown = true
    const stop = sharing.onJob((job) => {
      if (job.state === 'failed') hubDown = false
    })
    try {
      const share = { dataSource: sources.get('acme')!.id, target: { newName: 'Flaky', sharedWith: [] } }
      const c = await campaigns.create('acme', sharingCampaign('Flaky', share))
      await campaigns.publish('acme', c.id)
      const started = await campaigns.start('acme', c.id)
      const r = await finished('acme', started.id)
      expect(r.state).toBe('completed')
      expect(r.tasks.find((t) => t.activity === 'save')).toMatchObject({ status: 'done', attempts: 2 })
      const log = await campaigns.logs('acme', r.id)
      expect(log.find((e) => e.level === 'warn')).toMatchObject({ code: 'SHARE_HUB_UNAVAILABLE' })
      const jobs = await sharing.listJobs('acme', { limit: 2 })
      expect(jobs.map((j) => j.state)).toEqual(['succeeded', 'failed'])
      expect(await clients.get('acme')!.versions(jobs[0]!.sharedAudience!)).toHaveLength(1)
      // The save itself happened once, before the first attempt to share.
      expect((await store.audiences.list('acme')).find((a) => a.label === 'Flaky')!.version).toBe(1)
    } finally {
      stop()
      hubDown = false
    }
  })

  it('fails with CAMPAIGN_SHARE_UNAVAILABLE in a process without a hub link', async () => {
    const alone = new CampaignService(store.engine, store.catalog, store.audiences)
    try {
      const share = { dataSource: sources.get('acme')!.id, target: { newName: 'Nowhere', sharedWith: [] } }
      const r = await run('acme', sharingCampaign('Nowhere', share), 'live', alone)
      expect(r).toMatchObject({ state: 'paused', error: { code: 'CAMPAIGN_SHARE_UNAVAILABLE' } })
    } finally {
      await alone.close()
    }
  })
})

describe('validation of the share option', () => {
  it('lists a consent field that is not boolean, bad options and outlets without share', async () => {
    const ds = sources.get('acme')!.id
    const bad = sharingCampaign('Bad share', {
      dataSource: ds,
      target: { newName: 'X' },
      consentField: 'country',
    })
    const issues = (await campaigns.validate('acme', bad)).issues
    expect(issues).toEqual([
      expect.objectContaining({
        path: ['activities', 1, 'options', 'share', 'consentField'],
        code: 'SHARE_CONSENT_FIELD',
      }),
    ])
    const wrongMode = sharingCampaign('Bad mode', { dataSource: ds, target: { newName: 'X' }, mode: 'sync' })
    expect((await campaigns.validate('acme', wrongMode)).issues).toEqual([
      expect.objectContaining({
        path: ['activities', 1, 'options', 'share', 'mode'],
        code: 'CAMPAIGN_BAD_OPTIONS',
      }),
    ])
    const noShare = sharingCampaign('No share', {})
    delete (noShare.activities[1]!.options as Record<string, unknown>).share
    const codes = (await campaigns.validate('acme', noShare)).issues.map((i) => [i.path.join('.'), i.code])
    expect(codes).toEqual([
      ['transitions.2.output', 'CAMPAIGN_UNKNOWN_OUTPUT'],
      ['transitions.3.output', 'CAMPAIGN_UNKNOWN_OUTPUT'],
    ])
  })
})

describe('capabilities of a campaign that shares (issue 13, item 3)', () => {
  // What each principal may do now, as the server's permission rules would answer; tests change it.
  const grants = new Map<string, Capability[]>()
  const authority: Authority = {
    capabilities: async (_org, p) => {
      const held = grants.get(p.tokenId ?? p.userId)
      return held ? { capabilities: held } : { capabilities: [], reason: 'TOKEN_REVOKED' }
    },
  }
  const marketer = { kind: 'token' as const, userId: 'u_m', tokenId: 't_m' }
  const writer = { kind: 'token' as const, userId: 'u_w', tokenId: 't_w' }
  let guarded: CampaignService

  beforeAll(() => {
    guarded = new CampaignService(store.engine, store.catalog, store.audiences, undefined, sharing, authority)
  })
  afterAll(() => guarded.close())

  const share = (name: string) => ({
    dataSource: sources.get('acme')!.id,
    target: { newName: name, sharedWith: ['gov'] },
  })

  it('names share as what a definition with a sharing Save audience needs, and nothing otherwise', () => {
    const def = CampaignDefinition.parse(sharingCampaign('Needs', share('Needs')))
    expect(neededCapabilities(def)).toEqual([{ activity: 'save', capability: 'share' }])
    const plain = CampaignDefinition.parse(sharingCampaign('Plain', {}))
    delete (plain.activities[1]!.options as Record<string, unknown>).share
    expect(neededCapabilities(plain)).toEqual([])
    // A channel activity sends messages: it needs send.
    const mail = CampaignDefinition.parse({
      label: 'Mail',
      activities: [
        {
          id: 'build',
          type: 'build_audience',
          options: { rule: { kind: 'condition', field: 'id', op: 'is not empty' } },
        },
        { id: 'mail', type: 'channel', options: { channel: 'email', address: 'email' } },
      ],
      transitions: [{ id: 't', from: 'build', to: 'mail' }],
    })
    expect(neededCapabilities(mail)).toEqual([{ activity: 'mail', capability: 'send' }])
  })

  it('refuses to publish or start a sharing campaign for a caller without share; test mode needs none', async () => {
    grants.set('t_w', [])
    grants.set('t_m', ['share'])
    const c = await guarded.create('acme', sharingCampaign('Refused', share('Refused')))
    await expect(guarded.publish('acme', c.id, writer)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { needs: ['share'], activities: ['save'] },
    })
    expect((await guarded.get('acme', c.id)).status).toBe('draft')
    const test = await guarded.start('acme', c.id, { mode: 'test', caller: writer })
    await guarded.settled(test.id)
    expect((await guarded.status('acme', test.id)).state).toBe('completed')
    // Published by someone who may share, it still cannot be started by someone who may not.
    await guarded.publish('acme', c.id, marketer)
    await expect(guarded.start('acme', c.id, { caller: writer })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect((await sharing.sharedAudiences('acme')).some((a) => a.name === 'Refused')).toBe(false)
  })

  it('records the starter and checks again at the effect: a right lost mid-run fails the activity', async () => {
    grants.set('t_m', ['share'])
    const c = await guarded.create('acme', sharingCampaign('Lost right', share('Lost right')))
    await guarded.publish('acme', c.id, marketer)
    const r = await guarded.start('acme', c.id, { caller: marketer, breakpoint: 'save' })
    expect(r.startedBy).toEqual({ ...marketer, capabilities: ['share'] })
    await guarded.settled(r.id)
    expect((await guarded.status('acme', r.id)).state).toBe('paused')
    // The token is revoked while the run waits; whoever resumes must hold share and answers from then on.
    grants.delete('t_m')
    await expect(guarded.resume('acme', r.id, writer)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await store.engine.run(
      "UPDATE meta.campaign_runs SET state = 'running', breakpoint = NULL WHERE id = $1",
      [r.id],
    )
    await guarded.recover()
    await guarded.settled(r.id)
    const after = await guarded.status('acme', r.id)
    expect(after).toMatchObject({ state: 'paused', error: { code: 'CAMPAIGN_NOT_PERMITTED' } })
    expect(after.tasks.find((t) => t.activity === 'save')).toMatchObject({
      status: 'failed',
      error: { code: 'CAMPAIGN_NOT_PERMITTED' },
    })
    const failed = (await guarded.logs('acme', r.id)).find((e) => e.code === 'CAMPAIGN_NOT_PERMITTED')!
    expect(failed.message).toContain('token t_m')
    expect(failed.message).toContain('TOKEN_REVOKED')
    expect((await sharing.sharedAudiences('acme')).some((a) => a.name === 'Lost right')).toBe(false)
    // An admin who may share resumes it and answers for the rest: the audience is shared once.
    grants.set('u_admin', ['share', 'send'])
    const admin = { kind: 'user' as const, userId: 'u_admin', tokenId: null }
    const resumed = await guarded.resume('acme', r.id, admin)
    expect(resumed.startedBy).toEqual({ ...admin, capabilities: ['share', 'send'] })
    await guarded.settled(r.id)
    expect((await guarded.status('acme', r.id)).state).toBe('completed')
    expect((await sharing.sharedAudiences('acme')).filter((a) => a.name === 'Lost right')).toHaveLength(1)
  })

  it('runs a schedule as its publisher, and fails the share when the publisher lost the right since', async () => {
    grants.set('t_m', ['share'])
    const at = new Date(Date.now() + 30_000).toISOString()
    const def = sharingCampaign('Scheduled', share('Scheduled'))
    def.activities.unshift({ id: 'when', type: 'scheduler', options: { schedule: { kind: 'once', at } } })
    def.transitions!.unshift({ id: 't_when', from: 'when', to: 'build' })
    const c = await guarded.create('acme', def)
    await guarded.publish('acme', c.id, marketer)
    grants.set('t_m', ['send']) // e.g. the token's creator demoted, or share taken from the token
    const tick = await guarded.tickSchedules(new Date(Date.now() + 60_000))
    expect(tick).toMatchObject({ started: [expect.any(String)], refused: [] })
    await guarded.settled(tick.started[0]!)
    const r = await guarded.status('acme', tick.started[0]!)
    expect(r.campaign).toBe(c.id)
    expect(r.startedBy).toEqual({ ...marketer, capabilities: ['share'] })
    expect(r).toMatchObject({ state: 'paused', error: { code: 'CAMPAIGN_NOT_PERMITTED' } })
    const failed = (await guarded.logs('acme', r.id)).find((e) => e.code === 'CAMPAIGN_NOT_PERMITTED')!
    expect(failed).toMatchObject({ activity: 'save', level: 'error' })
    expect(failed.message).toContain('CAPABILITY_WITHDRAWN')
    expect((await sharing.sharedAudiences('acme')).some((a) => a.name === 'Scheduled')).toBe(false)
  })
})
