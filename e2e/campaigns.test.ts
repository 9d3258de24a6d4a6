import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CampaignService, migrateCampaigns } from '@ahub/campaigns'
import { parseSchemaText } from '@ahub/core'
import { type App, bootstrapAdmin, buildApp, openCampaigns } from '@ahub/server'
import { Store } from '@ahub/store'
import { Command } from 'commander'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { campaignCommands } from '../packages/cli/src/commands/campaign'

const root = mkdtempSync(join(tmpdir(), 'ahub-campaign-crash-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const PROFILES = 60_000
const profiles = join(root, 'profiles.csv')
const purchases = join(root, 'purchases.csv')
{
  const p = ['id,email,score']
  for (let i = 0; i < PROFILES; i++) p.push(`p${i},u${i % 45_000}@example.com,${i % 100}`)
  writeFileSync(profiles, `${p.join('\n')}\n`)
  const o = ['purchase_id,profile_id,amount']
  for (let i = 0; i < PROFILES * 3; i++) o.push(`o${i},p${(i * 7) % PROFILES},${(i % 50) + 0.5}`)
  writeFileSync(purchases, `${o.join('\n')}\n`)
}

/** Runs the child and kills it with SIGKILL `delayMs` after its `killAt`-th log event (never, when 0). */
function runChild(
  dataDir: string,
  killAt: number,
  delayMs: number,
): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'fixtures', 'campaign-child.ts'), dataDir, profiles, purchases],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let output = ''
    let killed = false
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString()
      const seen = output.match(/^EVENT \d+/gm)?.length ?? 0
      if (!killed && killAt > 0 && seen >= killAt) {
        killed = true
        setTimeout(() => child.kill('SIGKILL'), delayMs)
      }
    })
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString()
    })
    child.on('error', reject)
    child.on('exit', () => resolve({ killed, output }))
  })
}

// A run logs 10 events (start, 8 activities, completion): the kill lands after a random one of
// the first 9, plus up to 250 ms, i.e. inside an activity or between two.
// The run state is stored: killed at any point, the run resumes after a restart and each Save
// audience writes its audience exactly once.
describe('kill -9 during a campaign run', () => {
  const points = Array.from({ length: 5 }, () => ({
    killAt: 1 + Math.floor(Math.random() * 9),
    delayMs: Math.floor(Math.random() * 250),
  }))
  for (const [i, { killAt, delayMs }] of points.entries()) {
    it(`resumes where it stopped (kill ${i + 1}: after event ${killAt} + ${delayMs} ms)`, {
      timeout: 120_000,
    }, async () => {
      const dataDir = join(root, `data-${i}`)
      const { killed, output } = await runChild(dataDir, killAt, delayMs)
      expect(output).toContain('EVENT 1 ')
      expect(killed).toBe(true)
      const store = await Store.open({ dataDir })
      await migrateCampaigns(store.engine)
      const campaigns = new CampaignService(store.engine, store.catalog, store.audiences)
      try {
        const [c] = await campaigns.list('acme')
        const [runId] = await campaigns.recover()
        const id = runId ?? (await campaigns.runs('acme', c!.id))[0]!.id
        await campaigns.settled(id)
        const run = await campaigns.status('acme', id)
        expect(run.state).toBe('completed')
        expect(run.tasks.every((t) => t.status === 'done')).toBe(true)
        const audiences = await store.audiences.list('acme')
        expect(audiences.map((a) => a.label).sort()).toEqual(['Gold', 'Others'])
        for (const a of audiences) expect(a.version).toBe(1)
        const gold = audiences.find((a) => a.label === 'Gold')!
        const others = audiences.find((a) => a.label === 'Others')!
        expect(gold.size).toBe(5000)
        expect(gold.size).toBe(run.transitions.gold)
        expect(others.size).toBe(run.transitions.others)
        expect(gold.size + others.size).toBe(run.transitions.t3)
        expect(run.transitions.t3).toBe(40_500)
      } finally {
        await campaigns.close()
        await store.close()
      }
    })
  }
})

describe('campaign HTTP API', () => {
  let store: Store
  let app: App
  let campaigns: CampaignService
  const secret = `test-${crypto.randomUUID()}`
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const res = await app.inject({
      method,
      url: `/v1/orgs/shop${url}`,
      payload: payload as object,
      headers: { authorization: `Bearer ${secret}` },
    })
    return { status: res.statusCode, body: res.json() }
  }

  beforeAll(async () => {
    store = await Store.open({ dataDir: join(root, 'api') })
    campaigns = await openCampaigns(store)
    await store.createOrg('shop', 'Shop')
    await store.catalog.apply(
      'shop',
      parseSchemaText(`tables:
  profiles:
    primaryKey: [profile_id]
    fields:
      profile_id: { type: string, nullable: false }
      tier: { type: string }
`),
    )
    const people = join(root, 'shop.csv')
    writeFileSync(people, 'profile_id,tier\np1,gold\np2,gold\np3,silver\n')
    await store.ingestor.ingest('shop', 'profiles', people)
    const { user } = await bootstrapAdmin(store, 'shop', false)
    app = await buildApp({
      store,
      campaigns,
      rateLimit: false,
      verifiers: [
        async (b) => (b === secret ? { kind: 'user', userId: user.id, via: 'oidc', issuer: 'test' } : null),
      ],
    })
  })

  afterAll(async () => {
    await campaigns?.close()
    await app?.close()
    await store?.close()
  })

  it('validates, creates, publishes, runs and monitors a campaign', async () => {
    const definition = {
      label: 'Gold',
      activities: [
        {
          id: 'gold',
          type: 'build_audience',
          options: { rule: { kind: 'condition', field: 'tier', op: '=', value: 'gold' } },
        },
        { id: 'save', type: 'save_audience', options: { label: 'Gold members' } },
        { id: 'end', type: 'end' },
      ],
      transitions: [
        { id: 't1', from: 'gold', to: 'save' },
        { id: 't2', from: 'save', to: 'end' },
      ],
      settings: { keepInterimResults: true },
    }
    const bad = await call('POST', '/campaigns/validate', { ...definition, transitions: [] })
    expect(bad.status).toBe(200)
    expect(bad.body.valid).toBe(false)
    expect(bad.body.issues.map((i: { code: string }) => i.code)).toEqual([
      'CAMPAIGN_UNCONNECTED_INPUT',
      'CAMPAIGN_UNCONNECTED_INPUT',
    ])
    const refused = await call('POST', '/campaigns', { ...definition, transitions: [] })
    expect(refused.body.error.code).toBe('CAMPAIGN_INVALID')

    const created = await call('POST', '/campaigns', definition)
    expect(created.status).toBe(200)
    const id = created.body.id as string
    expect((await call('POST', `/campaigns/${id}/runs`, {})).body.error.code).toBe('CAMPAIGN_BAD_STATE')
    expect((await call('POST', `/campaigns/${id}/publish`)).body.status).toBe('published')
    const started = await call('POST', `/campaigns/${id}/runs`, { mode: 'live' })
    expect(started.status).toBe(200)
    const run = started.body.id as string
    await campaigns.settled(run)
    const status = await call('GET', `/campaigns/${id}/runs/${run}`)
    expect(status.body).toMatchObject({ state: 'completed', transitions: { t1: 2, t2: 2 } })
    const preview = await call('GET', `/campaigns/${id}/runs/${run}/transitions/t1?limit=1`)
    expect(preview.body).toMatchObject({
      count: 2,
      columns: [{ name: 'profile_id' }],
      rows: [{ profile_id: 'p1' }],
    })
    const logs = await call('GET', `/campaigns/${id}/runs/${run}/logs`)
    expect(logs.body.events.at(-1).message).toBe('Run completed')
    expect((await call('GET', `/campaigns/${id}/runs`)).body.runs).toHaveLength(1)
    expect((await call('PUT', `/campaigns/${id}`, definition)).body.error.code).toBe('CAMPAIGN_READ_ONLY')
    expect((await call('GET', `/campaigns/${id}/runs/run_nope`)).body.error.code).toBe(
      'CAMPAIGN_RUN_NOT_FOUND',
    )
    expect((await store.audiences.list('shop')).map((a) => [a.label, a.size])).toEqual([['Gold members', 2]])
  })
})

describe('ahub campaign (local data directory)', () => {
  const dataDir = join(root, 'cli')
  /** Runs `ahub campaign ...args --json` in-process and returns what it printed, parsed. */
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON output, checked by the assertions
  const ahub = async (...args: string[]): Promise<any> => {
    const program = new Command().exitOverride()
    campaignCommands(program, () => ({ dataDir, org: 'acme', json: true }))
    let out = ''
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string) => {
      out += chunk
      return true
    }) as typeof process.stdout.write
    try {
      await program.parseAsync(['campaign', ...args], { from: 'user' })
    } finally {
      process.stdout.write = write
    }
    return JSON.parse(out)
  }

  beforeAll(async () => {
    const store = await Store.open({ dataDir })
    await store.createOrg('acme', 'Acme')
    await store.catalog.apply(
      'acme',
      parseSchemaText(`tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      score: { type: integer }
`),
    )
    const people = join(root, 'cli.csv')
    writeFileSync(people, 'id,score\na,1\nb,2\nc,3\n')
    await store.ingestor.ingest('acme', 'profiles', people)
    await store.close()
  })

  it('validates, creates and test-runs a YAML definition, then shows status, logs and a preview', async () => {
    const file = join(root, 'campaign.yaml')
    writeFileSync(
      file,
      `label: High scores
activities:
  - { id: high, type: build_audience, options: { rule: { kind: condition, field: score, op: ">=", value: 2 } } }
  - { id: save, type: save_audience, options: { label: High } }
transitions:
  - { id: t1, from: high, to: save }
settings: { keepInterimResults: true }
`,
    )
    expect(await ahub('validate', file)).toEqual({ valid: true, issues: [] })
    const run = await ahub('test', file)
    expect(run).toMatchObject({ mode: 'test', state: 'completed', transitions: { t1: 2 } })
    const status = await ahub('status', run.campaign)
    expect(status.campaign.state).toBe('draft')
    expect(status.latestRun.id).toBe(run.id)
    expect((await ahub('logs', run.id)).events.at(-1).message).toBe('Run completed')
    expect((await ahub('preview', run.id, 't1', '--limit', '1')).rows).toEqual([{ id: 'b' }])
    const published = await ahub('publish', run.campaign)
    expect(published.status).toBe('published')
    expect(await ahub('start', run.campaign)).toMatchObject({ mode: 'live', state: 'completed' })
  })
})
