import { AppError } from '@ahub/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AudienceSink } from './audience-sink'
import { CampaignService } from './campaign-service'
import { chain, errorOf, type Fixture, openFixture, runCampaign } from './test-support'

let f: Fixture
beforeAll(async () => {
  f = await openFixture()
  await f.load(
    Array.from({ length: 20 }, (_, i) => ({ id: `p${i}`, country: i % 2 ? 'FR' : 'DE', score: i })),
  )
})
afterAll(() => f.close())

const everyone = {
  id: 'build',
  type: 'build_audience',
  options: { rule: { kind: 'condition', field: 'id', op: 'is not empty' } },
}
const save = (label: string, extra: Record<string, unknown> = {}) => ({
  id: 'save',
  type: 'save_audience',
  options: { label, ...extra },
})
const end = { id: 'end', type: 'end' }
const audience = async (label: string) =>
  (await f.store.audiences.list('acme')).find((a) => a.label === label)

describe('runs', () => {
  it('test mode runs everything but saves nothing', async () => {
    const run = await runCampaign(f, chain('test mode', [everyone, save('Not saved'), end]))
    expect(run).toMatchObject({ mode: 'test', state: 'completed' })
    expect(run.transitions).toMatchObject({ t1: 20, t2: 20 })
    expect(await audience('Not saved')).toBeUndefined()
    const log = await f.campaigns.logs('acme', run.id)
    expect(log.map((e) => e.message)).toContain('Done (out: 20) (test mode: nothing saved)')
  })

  it('a test run keeps its work tables for preview until the next run of the campaign starts', async () => {
    const def = chain('test kept', [everyone, save('Not saved either'), end], { keepInterimResults: false })
    const first = await runCampaign(f, def)
    expect(first.state).toBe('completed')
    expect((await f.campaigns.preview('acme', first.id, 't1')).count).toBe(20)
    const second = await f.campaigns.start('acme', first.campaign, { mode: 'test' })
    await f.campaigns.settled(second.id)
    expect((await f.campaigns.preview('acme', second.id, 't1')).count).toBe(20)
    const dropped = await errorOf(f.campaigns.preview('acme', first.id, 't1'))
    expect(dropped.code).toBe('CAMPAIGN_WORK_TABLE_DROPPED')
    expect(dropped.message).toContain('newer run')
  })

  it('a live run saves once, and drops its work tables unless interim results are kept', async () => {
    const run = await runCampaign(
      f,
      chain('live', [everyone, save('Saved once'), end], { keepInterimResults: false }),
      { live: true },
    )
    expect(run.state).toBe('completed')
    expect(await audience('Saved once')).toMatchObject({
      size: 20,
      version: 1,
      origin: { kind: 'campaign_run', ref: `${run.id}/save` },
    })
    const left = await f.store.engine.query(
      `SELECT table_name FROM duckdb_tables() WHERE starts_with(table_name, $1)`,
      [`_cw_${run.id}`],
    )
    expect(left).toEqual([])
    // The work tables are gone: the preview says so, with its own code (issue 17 item 14).
    expect(await errorOf(f.campaigns.preview('acme', run.id, 't1'))).toMatchObject({
      code: 'CAMPAIGN_WORK_TABLE_DROPPED',
      details: { run: run.id, transition: 't1', state: 'completed' },
    })
    expect((await errorOf(f.campaigns.preview('acme', run.id, 'nope'))).code).toBe(
      'CAMPAIGN_TRANSITION_NOT_FOUND',
    )
  })

  it('pauses at a breakpoint, resumes, and keeps a chronological log and task list', async () => {
    const run = await runCampaign(f, chain('breakpoint', [everyone, { id: 'fork', type: 'fork' }, end]), {
      breakpoint: 'fork',
    })
    expect(run.state).toBe('paused')
    expect(run.tasks.map((t) => t.status)).toEqual(['done', 'pending', 'pending'])
    await f.campaigns.resume('acme', run.id)
    await f.campaigns.settled(run.id)
    const done = await f.campaigns.status('acme', run.id)
    expect(done.state).toBe('completed')
    expect(done.tasks.every((t) => t.status === 'done' && t.attempts === 1)).toBe(true)
    const log = await f.campaigns.logs('acme', run.id)
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1))
    expect(log.map((e) => e.message)).toEqual([
      'Test run started',
      'Done (out: 20)',
      'Paused at breakpoint before "fork"',
      'Resumed',
      'Done (out: 20)',
      'Done',
      'Run completed',
    ])
  })

  it('refuses a second start while a run is active (CAMPAIGN_ALREADY_RUNNING), also when both start at once', async () => {
    const c = await f.campaigns.create(
      'acme',
      chain('twice', [everyone, { id: 'hold', type: 'wait', options: { duration: { days: 1 } } }, end]),
    )
    const results = await Promise.allSettled([
      f.campaigns.start('acme', c.id, { mode: 'test' }),
      f.campaigns.start('acme', c.id, { mode: 'test' }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect((refused.reason as AppError).code).toBe('CAMPAIGN_ALREADY_RUNNING')
    const run = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ id: string }>)
      .value
    await f.campaigns.settled(run.id)
    expect((await errorOf(f.campaigns.start('acme', c.id, { mode: 'test' }))).code).toBe(
      'CAMPAIGN_ALREADY_RUNNING',
    )
    expect((await f.campaigns.get('acme', c.id)).state).toBe('testing')
    const stopped = await f.campaigns.stop('acme', run.id)
    expect(stopped.state).toBe('stopped')
    expect((await errorOf(f.campaigns.resume('acme', run.id))).code).toBe('CAMPAIGN_BAD_STATE')
    const again = await f.campaigns.restart('acme', c.id)
    expect(again.id).not.toBe(run.id)
    await f.campaigns.stop('acme', again.id)
    expect((await f.campaigns.runs('acme', c.id)).map((r) => r.state)).toEqual(['stopped', 'stopped'])
  })

  it('refuses a live start of a draft', async () => {
    const c = await f.campaigns.create('acme', chain('draft', [everyone]))
    expect((await errorOf(f.campaigns.start('acme', c.id))).code).toBe('CAMPAIGN_BAD_STATE')
  })
})

describe('error management and retries', () => {
  const failing = (onError: string) =>
    ({
      label: `error ${onError}`,
      activities: [
        everyone,
        { id: 'first', type: 'enrichment', options: { expressions: [{ name: 'x', expression: 'score' }] } },
        {
          id: 'bad',
          type: 'enrichment',
          options: { expressions: [{ name: 'x', expression: 'score' }] },
          onError,
        },
        { id: 'fork', type: 'fork', options: {} },
        { id: 'e1', type: 'end', options: {} },
        { id: 'e2', type: 'end', options: {} },
      ],
      transitions: [
        { id: 't0', from: 'build', to: 'first' },
        { id: 't1', from: 'first', to: 'fork' },
        { id: 't2', from: 'fork', to: 'bad' },
        { id: 't3', from: 'bad', to: 'e1' },
        { id: 't4', from: 'fork', to: 'e2' },
      ],
      settings: { keepInterimResults: true },
    }) as never

  it('ignore: the failing branch stops, the others complete', async () => {
    const run = await runCampaign(f, failing('ignore'))
    expect(run.state).toBe('completed')
    expect(Object.fromEntries(run.tasks.map((t) => [t.activity, t.status]))).toMatchObject({
      bad: 'ignored',
      e1: 'skipped',
      e2: 'done',
    })
  })

  it('abort: the run fails with the cause; suspend: the run pauses until resumed', async () => {
    const aborted = await runCampaign(f, failing('abort'))
    expect(aborted.state).toBe('failed')
    expect(aborted.error?.message).toMatch(/already has a column "x"/)
    const suspended = await runCampaign(f, failing('suspend'))
    expect(suspended.state).toBe('paused')
    expect(suspended.tasks.find((t) => t.activity === 'bad')!.error?.code).toBe('CAMPAIGN_INVALID')
  })

  it('retries transient errors with back-off', async () => {
    let failures = 2
    const flaky: AudienceSink = {
      list: (o) => f.store.audiences.list(o),
      get: (o, id) => f.store.audiences.get(o, id),
      delete: (o, id) => f.store.audiences.delete(o, id),
      audienceResolver: (o) => f.store.audiences.audienceResolver(o),
      saveList: (...a) => f.store.audiences.saveList(...a),
      create: async (...a) => {
        if (failures-- > 0) throw new AppError('AUDIENCE_BUSY', 'busy, try later')
        return f.store.audiences.create(...a)
      },
    }
    const service = new CampaignService(f.store.engine, f.store.catalog, flaky)
    const c = await service.create('acme', chain('flaky', [everyone, save('Flaky'), end]))
    await service.publish('acme', c.id)
    const started = await service.start('acme', c.id)
    for (let i = 0; i < 50 && (await service.status('acme', started.id)).state === 'running'; i++)
      await new Promise((r) => setTimeout(r, 100))
    const run = await service.status('acme', started.id)
    await service.close()
    expect(run.state).toBe('completed')
    expect(run.tasks.find((t) => t.activity === 'save')!.attempts).toBe(3)
    expect((await service.logs('acme', run.id)).filter((e) => e.level === 'warn')).toHaveLength(2)
    expect((await audience('Flaky'))?.size).toBe(20)
  })
})

describe('durability', () => {
  it('a 10-year wait is accepted and survives a restart', async () => {
    const g = await openFixture()
    await g.load([{ id: 'x' }])
    const c = await g.campaigns.create(
      'acme',
      chain('decade', [everyone, { id: 'wait', type: 'wait', options: { duration: { days: 3653 } } }, end]),
    )
    await g.campaigns.publish('acme', c.id)
    const run = await g.campaigns.start('acme', c.id)
    await g.campaigns.settled(run.id)
    const before = (await g.campaigns.status('acme', run.id)).tasks.find((t) => t.activity === 'wait')!
    expect(before.status).toBe('waiting')
    expect(new Date(before.notBefore!).getUTCFullYear()).toBeGreaterThanOrEqual(
      new Date().getUTCFullYear() + 9,
    )
    await g.campaigns.close()
    await g.store.close()
    const h = await openFixture(g.dir)
    try {
      expect(await h.campaigns.recover()).toEqual([run.id])
      await h.campaigns.settled(run.id)
      const after = await h.campaigns.status('acme', run.id)
      expect(after.state).toBe('running')
      expect(after.tasks.find((t) => t.activity === 'wait')).toMatchObject({
        status: 'waiting',
        notBefore: before.notBefore,
      })
      expect((await errorOf(h.campaigns.start('acme', c.id))).code).toBe('CAMPAIGN_ALREADY_RUNNING')
    } finally {
      await h.close()
    }
  })

  it('Save audience is not repeated when a resumed run finds the save already applied', async () => {
    const run = await runCampaign(f, chain('ledger', [everyone, save('Ledgered'), end]), { live: true })
    const saved = (await audience('Ledgered'))!
    // As if the process died after the audience was written but before the task and ledger were closed.
    await f.store.engine.run(
      "UPDATE meta.campaign_effects SET status = 'started', audience = NULL WHERE run = $1",
      [run.id],
    )
    await f.store.engine.run(
      "UPDATE meta.campaign_tasks SET status = 'running' WHERE run = $1 AND activity IN ('save', 'end')",
      [run.id],
    )
    await f.store.engine.run("UPDATE meta.campaign_runs SET state = 'running' WHERE id = $1", [run.id])
    expect(await f.campaigns.recover()).toEqual([run.id])
    await f.campaigns.settled(run.id)
    expect((await f.campaigns.status('acme', run.id)).state).toBe('completed')
    expect(await audience('Ledgered')).toMatchObject({ id: saved.id, version: 1 })
    expect((await f.store.audiences.list('acme')).filter((a) => a.label === 'Ledgered')).toHaveLength(1)
  })
})

describe('scheduling and audience usage', () => {
  it('starts a published campaign when its Scheduler launch is due, once', async () => {
    const at = new Date(Date.now() + 1500).toISOString()
    const c = await f.campaigns.create(
      'acme',
      chain('scheduled', [
        { id: 'when', type: 'scheduler', options: { schedule: { kind: 'once', at } } },
        everyone,
        end,
      ]),
    )
    expect((await f.campaigns.tickSchedules()).started).toEqual([])
    const live = await f.campaigns.publish('acme', c.id)
    expect(live.state).toBe('scheduled')
    expect(await f.campaigns.nextLaunches('acme', c.id)).toEqual([at])
    expect((await f.campaigns.tickSchedules()).started).toEqual([])
    await new Promise((r) => setTimeout(r, 1600))
    const tick = await f.campaigns.tickSchedules()
    expect(tick.started).toHaveLength(1)
    await f.campaigns.settled(tick.started[0]!)
    expect((await f.campaigns.status('acme', tick.started[0]!)).state).toBe('completed')
    expect((await f.campaigns.tickSchedules()).started).toEqual([])
  })

  it('reports published campaigns that read an audience as its users', async () => {
    const a = await f.store.audiences.create('acme', {
      type: 'list',
      label: 'Used',
      dimension: 'profiles',
      members: ['p1'],
    })
    const c = await f.campaigns.create(
      'acme',
      chain('reader', [{ id: 'read', type: 'read_audience', options: { audience: a.audience.id } }, end]),
    )
    expect(await f.campaigns.audienceUsers('acme', a.audience.id)).toEqual([])
    await f.campaigns.publish('acme', c.id)
    expect(await f.campaigns.audienceUsers('acme', a.audience.id)).toEqual([
      { kind: 'campaign', id: c.id, label: 'reader' },
    ])
  })
})
