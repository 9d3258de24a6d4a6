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
import { campaignCommands, progressView } from '../packages/cli/src/commands/campaign'

const root = mkdtempSync(join(tmpdir(), 'ahub-campaign-crash-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const PROFILES = 6_000
const profiles = join(root, 'profiles.csv')
const purchases = join(root, 'purchases.csv')
{
  const p = ['id,email,score']
  for (let i = 0; i < PROFILES; i++) p.push(`p${i},u${i % 4_500}@example.com,${i % 100}`)
  writeFileSync(profiles, `${p.join('\n')}\n`)
  const o = ['purchase_id,profile_id,amount']
  for (let i = 0; i < PROFILES * 3; i++) o.push(`o${i},p${(i * 7) % PROFILES},${(i % 50) + 0.5}`)
  writeFileSync(purchases, `${o.join('\n')}\n`)
}

/**
 * Runs the child on `dataDir` and kills it with SIGKILL `delayMs` after the `killAt`-th log event
 * of the run it starts (never, when 0). `killed` is false when the child finished first.
 */
function runChild(
  dataDir: string,
  killAt: number,
  delayMs: number,
  what: 'run' | 'recover' = 'run',
): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, 'fixtures', 'campaign-child.ts'),
        dataDir,
        profiles,
        purchases,
        what,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let output = ''
    let killed = false
    let exited = false
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString()
      const run = output.split('STARTING\n')[1] ?? ''
      const seen = run.match(/^EVENT \d+/gm)?.length ?? 0
      if (!killed && killAt > 0 && seen >= killAt) {
        killed = true
        setTimeout(() => {
          if (exited) killed = false
          else child.kill('SIGKILL')
        }, delayMs)
      }
    })
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString()
    })
    child.on('error', reject)
    child.on('exit', (_code, sig) => {
      exited = true
      resolve({ killed: killed && sig === 'SIGKILL', output })
    })
  })
}

// A run logs 10 events (start, 8 activities, completion). Each child first resumes the run the
// previous one left behind, then starts a new run and is killed after a random one of its first
// 8 events plus up to 150 ms: inside an activity (a Save audience too) or between two. Every
// Save audience writes a new version of its audience (create or update), so after N runs each
// audience must be at version N exactly: a save lost or repeated by a crash shows.
describe('kill -9 during campaign runs', () => {
  it('resumes where it stopped, 20 kills out of 20, each Save audience applied exactly once', {
    timeout: 240_000,
  }, async () => {
    const dataDir = join(root, 'crash')
    let kills = 0
    let attempts = 0
    const resumed: string[] = []
    while (kills < 20 && attempts < 60) {
      attempts++
      // After one of the first 8 events: a kill after the 9th often comes once the run has ended.
      const killAt = 1 + Math.floor(Math.random() * 8)
      const delayMs = Math.floor(Math.random() * 150)
      const { killed, output } = await runChild(dataDir, killAt, delayMs)
      expect(output, output).toContain('STARTING')
      resumed.push(...[...output.matchAll(/^RESUMED \S+ (\S+)/gm)].map((m) => m[1]!))
      if (killed) kills++
    }
    const last = await runChild(dataDir, 0, 0, 'recover')
    resumed.push(...[...last.output.matchAll(/^RESUMED \S+ (\S+)/gm)].map((m) => m[1]!))
    expect(kills).toBe(20)
    expect(resumed.every((s) => s === 'completed')).toBe(true)

    const store = await Store.open({ dataDir })
    await migrateCampaigns(store.engine)
    const campaigns = new CampaignService(store.engine, store.catalog, store.audiences)
    try {
      const [c] = await campaigns.list('acme')
      const runs = await campaigns.runs('acme', c!.id)
      expect(runs).toHaveLength(attempts)
      for (const run of runs) {
        expect(run.state).toBe('completed')
        expect(run.tasks.every((t) => t.status === 'done')).toBe(true)
        expect(run.transitions).toMatchObject({ t3: 4_050, gold: 500, others: 3_550 })
      }
      const audiences = await store.audiences.list('acme')
      expect(audiences.map((a) => [a.label, a.version, a.size]).sort()).toEqual([
        ['Gold', attempts, 500],
        ['Others', attempts, 3_550],
      ])
      const [effects] = await store.engine.query<{ n: number }>(
        "SELECT count(*) AS n FROM meta.campaign_effects WHERE status = 'done'",
      )
      expect(Number(effects!.n)).toBe(2 * attempts)
    } finally {
      await campaigns.close()
      await store.close()
    }
  })
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
    const described = await call('GET', '/campaign-activities')
    expect(described.status).toBe(200)
    const split = described.body.activities.find((a: { type: string }) => a.type === 'split')
    expect(split.inputs).toEqual({ min: 1, max: 1 })
    expect(split.options.required).toEqual(['subsets'])
    expect(split.options.properties.subsets.items.properties.code.pattern).toBe('^[a-z][a-z0-9_]{0,62}$')
    expect(described.body.activities).toHaveLength(17)
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

  it('starts a run by signal with parameters, and refuses unknown or mistyped ones with a code', async () => {
    const created = await call('POST', '/campaigns', {
      label: 'By tier',
      activities: [
        {
          id: 'sig',
          type: 'signal',
          options: { parameters: [{ name: 'tier', type: 'string', required: true }] },
        },
        {
          id: 'pick',
          type: 'build_audience',
          options: { rule: { kind: 'condition', field: 'tier', op: '=', value: { param: 'tier' } } },
        },
        { id: 'end', type: 'end' },
      ],
      transitions: [
        { id: 't1', from: 'sig', to: 'pick' },
        { id: 't2', from: 'pick', to: 'end' },
      ],
      settings: { keepInterimResults: true },
    })
    const id = created.body.id as string
    await call('POST', `/campaigns/${id}/publish`)
    const bad = await call('POST', `/campaigns/${id}/signal`, { parameters: { tier: 1, colour: 'red' } })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('CAMPAIGN_BAD_PARAMETERS')
    expect(bad.body.error.details.issues.map((i: { code: string }) => i.code)).toEqual([
      'CAMPAIGN_PARAMETER_TYPE',
      'CAMPAIGN_UNKNOWN_PARAMETER',
    ])
    const started = await call('POST', `/campaigns/${id}/signal`, { parameters: { tier: 'silver' } })
    expect(started.status).toBe(200)
    await campaigns.settled(started.body.id)
    const run = await call('GET', `/campaign-runs/${started.body.id}`)
    expect(run.body).toMatchObject({
      campaign: id,
      state: 'completed',
      parameters: { tier: 'silver' },
      transitions: { t2: 1 },
    })
  })
})

describe('ahub campaign (in-process server on the data directory)', () => {
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

  /** The same without --json: what a person sees (stdout is not a terminal here). */
  const ahubText = async (...args: string[]): Promise<string> => {
    const program = new Command().exitOverride()
    campaignCommands(program, () => ({ dataDir, org: 'acme' }))
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
    return out
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
    const live = await ahub('start', run.campaign)
    expect(live).toMatchObject({ mode: 'live', state: 'completed' })
    expect((await ahub('logs', run.campaign)).events.at(-1).message).toBe('Run completed')
    expect((await ahub('status', live.id)).id).toBe(live.id)
  })

  it('signals with --param, pauses at a breakpoint and resumes, printing progress lines off a terminal', async () => {
    const file = join(root, 'signal.json')
    writeFileSync(
      file,
      JSON.stringify({
        label: 'Signal',
        activities: [
          {
            id: 'sig',
            type: 'signal',
            options: { parameters: [{ name: 'min', type: 'integer', default: 3 }] },
          },
          {
            id: 'pick',
            type: 'build_audience',
            options: { rule: { kind: 'expression', expression: 'score >= $min' } },
          },
          { id: 'end', type: 'end' },
        ],
        transitions: [
          { id: 't1', from: 'sig', to: 'pick' },
          { id: 't2', from: 'pick', to: 'end' },
        ],
        settings: { keepInterimResults: true },
      }),
    )
    const created = await ahub('create', file)
    const paused = await ahub('signal', created.id, '--test', '--param', 'min=2', '--param', 'x=1').catch(
      (e: { code: string }) => e,
    )
    expect(paused.code).toBe('CAMPAIGN_BAD_PARAMETERS')
    const text = await ahubText('test', created.id, '--at', 'end', '--param', 'min=2')
    expect(text).toMatch(/^run run_\S+ \(test\): running$/m)
    expect(text).toMatch(/^pick: done \(out=2\)$/m)
    expect(text).toMatch(/^run run_\S+ \(test\): paused$/m)
    const resumed = await ahub('resume', created.id)
    expect(resumed).toMatchObject({ state: 'completed', parameters: { min: 2 }, transitions: { t2: 2 } })
  })

  it('redraws the activity table in place on a terminal', () => {
    let screen = ''
    const stream = {
      isTTY: true,
      write: (t: string) => {
        screen += t
        return true
      },
    } as unknown as NodeJS.WriteStream
    const view = progressView(stream)
    const task = (status: string, count: number | null) => ({
      activity: 'pick',
      type: 'build_audience' as const,
      status: status as 'done',
      attempts: 1,
      notBefore: null,
      startedAt: null,
      finishedAt: null,
      outputs: (count === null ? {} : { out: { table: 'x', count } }) as Record<
        string,
        { table: string; count: number }
      >,
      error: null,
    })
    const run = {
      id: 'run_1',
      campaign: 'c',
      mode: 'test' as const,
      breakpoint: null,
      createdAt: '',
      finishedAt: null,
      error: null,
      transitions: {},
      parameters: {},
      alertedAt: null,
      startedBy: null,
    }
    view.update({ ...run, state: 'running', tasks: [task('running', null)] })
    view.update({ ...run, state: 'completed', tasks: [task('done', 7)] })
    const frames = screen.split('\x1b[2A')
    expect(frames).toHaveLength(2)
    expect(frames[1]).toContain('run_1 (test) completed')
    expect(frames[1]).toMatch(/pick +build_audience +done +out=7/)
  })
})
