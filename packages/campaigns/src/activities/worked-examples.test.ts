import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chain, type Fixture, keysOf, openFixture, runCampaign } from '../test-support'

let f: Fixture
beforeAll(async () => {
  f = await openFixture()
})
afterAll(() => f.close())

const all = { kind: 'condition', field: 'id', op: 'is not empty' }
const build = (rule: unknown = all) => ({ id: 'build', type: 'build_audience', options: { rule } })

// Worked examples of the activities described in docs/campaigns.md.
describe('Deduplication (worked example)', () => {
  const people = [
    { id: 'A', email: 'same@x' },
    { id: 'B', email: 'same@x' },
    { id: 'Y', email: 'same@x' },
    { id: 'C', email: 'other@x' },
    { id: 'Z', email: 'other@x' },
  ]
  const def = (keep: number) => ({
    label: `dedup keep ${keep}`,
    activities: [
      build(),
      { id: 'dedup', type: 'deduplication', options: { fields: ['email'], keep, complement: true } },
      { id: 'end', type: 'end' },
      { id: 'end2', type: 'end' },
    ],
    transitions: [
      { id: 't1', from: 'build', to: 'dedup' },
      { id: 'kept', from: 'dedup', to: 'end' },
      { id: 'removed', from: 'dedup', to: 'end2', output: 'complement' },
    ],
    settings: { keepInterimResults: true },
  })

  it('keeps one of {A, B, Y} and one of {C, Z}; the complement holds exactly the removed ones', async () => {
    await f.load(people)
    const run = await runCampaign(f, def(1) as never)
    expect(run.state).toBe('completed')
    const kept = await keysOf(f, run, 'kept')
    const removed = await keysOf(f, run, 'removed')
    expect(kept).toHaveLength(2)
    expect(kept.filter((k) => ['A', 'B', 'Y'].includes(k))).toHaveLength(1)
    expect(kept.filter((k) => ['C', 'Z'].includes(k))).toHaveLength(1)
    expect([...kept, ...removed].sort()).toEqual(['A', 'B', 'C', 'Y', 'Z'])
    expect(run.transitions).toMatchObject({ t1: 5, kept: 2, removed: 3 })
  })

  it('keep 0 keeps all five and removes none', async () => {
    const run = await runCampaign(f, def(0) as never)
    expect(await keysOf(f, run, 'kept')).toEqual(['A', 'B', 'C', 'Y', 'Z'])
    expect(run.transitions.removed).toBe(0)
  })
})

describe('Split (worked example)', () => {
  const people = Array.from({ length: 100 }, (_, i) => ({ id: `p${String(i).padStart(3, '0')}`, score: i }))
  const def = (overlap: boolean) => ({
    label: `split overlap ${overlap}`,
    activities: [
      build(),
      {
        id: 'split',
        type: 'split',
        options: {
          overlap,
          subsets: [{ code: 'seventy', limit: { percent: 70 } }, { code: 'everyone' }],
        },
      },
      { id: 'e1', type: 'end' },
      { id: 'e2', type: 'end' },
    ],
    transitions: [
      { id: 't1', from: 'build', to: 'split' },
      { id: 's1', from: 'split', to: 'e1', output: 'seventy' },
      { id: 's2', from: 'split', to: 'e2', output: 'everyone' },
    ],
    settings: { keepInterimResults: true },
  })

  it('gives subset 2 ("everyone") the remaining 30 %', async () => {
    await f.load(people)
    const run = await runCampaign(f, def(false) as never)
    expect(run.transitions).toMatchObject({ t1: 100, s1: 70, s2: 30 })
    const a = await keysOf(f, run, 's1')
    const b = await keysOf(f, run, 's2')
    expect(a.filter((k) => b.includes(k))).toEqual([])
    const preview = await f.campaigns.preview('acme', run.id, 's2', 5)
    expect(preview.rows[0]!.segment_code).toBe('everyone')
  })

  it('gives subset 2 everyone when overlap is allowed', async () => {
    const run = await runCampaign(f, def(true) as never)
    expect(run.transitions).toMatchObject({ s1: 70, s2: 100 })
  })
})

describe('Combine (worked example)', () => {
  const people = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ id, score: i }))
  const def = (operation: string, primary?: string) => ({
    label: `combine ${operation}`,
    activities: [
      {
        id: 'low',
        type: 'build_audience',
        options: { rule: { kind: 'condition', field: 'score', op: '<=', value: 2 } },
      },
      {
        id: 'high',
        type: 'build_audience',
        options: { rule: { kind: 'condition', field: 'score', op: '>=', value: 1 } },
      },
      { id: 'combine', type: 'combine', options: { operation, complement: true, primary } },
      { id: 'e1', type: 'end' },
      { id: 'e2', type: 'end' },
    ],
    transitions: [
      { id: 'in_low', from: 'low', to: 'combine' },
      { id: 'in_high', from: 'high', to: 'combine' },
      { id: 'result', from: 'combine', to: 'e1' },
      { id: 'rest', from: 'combine', to: 'e2', output: 'complement' },
    ],
    settings: { keepInterimResults: true },
  })

  it('intersection: the complement is the union minus the intersection', async () => {
    await f.load(people)
    const run = await runCampaign(f, def('intersection') as never)
    expect(await keysOf(f, run, 'result')).toEqual(['b', 'c'])
    expect(await keysOf(f, run, 'rest')).toEqual(['a', 'd', 'e'])
  })

  it('exclusion removes from the primary set every member found in the other inputs', async () => {
    const run = await runCampaign(f, def('exclusion', 'in_high') as never)
    expect(await keysOf(f, run, 'result')).toEqual(['d', 'e'])
    expect(await keysOf(f, run, 'rest')).toEqual(['b', 'c'])
  })

  it('union holds every member once, with an empty complement', async () => {
    const run = await runCampaign(f, def('union') as never)
    expect(await keysOf(f, run, 'result')).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(run.transitions.rest).toBe(0)
  })
})

describe('Save audience modes (worked example)', () => {
  const save = (label: string, mode: string) =>
    chain(`save ${mode}`, [
      build({ kind: 'condition', field: 'score', op: '>=', value: 1 }),
      { id: 'save', type: 'save_audience', options: { label, mode } },
      { id: 'end', type: 'end' },
    ])

  it('replace overwrites members, type and dimension', async () => {
    await f.load(['a', 'b', 'c'].map((id, i) => ({ id, score: i, email: `${id}@x.org` })))
    const file = await f.store.audiences.create('acme', {
      type: 'file',
      label: 'Imported',
      namespace: 'email',
      lines: ['z@x.org'],
    })
    expect(file.audience.type).toBe('file')
    const run = await runCampaign(f, save('Imported', 'replace'), { live: true })
    expect(run.state).toBe('completed')
    const now = (await f.store.audiences.list('acme')).find((a) => a.label === 'Imported')!
    expect(now).toMatchObject({ type: 'list', dimension: 'profiles', size: 2 })
  })

  it('add new members keeps existing members, and fails clearly on an incompatible audience', async () => {
    await f.store.audiences.create('acme', {
      type: 'list',
      label: 'Growing',
      dimension: 'profiles',
      members: ['a'],
    })
    const run = await runCampaign(f, save('Growing', 'add'), { live: true })
    expect(run.state).toBe('completed')
    expect((await f.store.audiences.list('acme')).find((a) => a.label === 'Growing')!.size).toBe(3)
    await f.store.audiences.create('acme', {
      type: 'file',
      label: 'Emails',
      namespace: 'email',
      lines: ['z@x.org'],
    })
    const bad = await runCampaign(f, save('Emails', 'add'), { live: true })
    expect(bad.state).toBe('paused')
    expect(bad.error?.code).toBe('CAMPAIGN_SAVE_INCOMPATIBLE')
    expect(bad.tasks.find((t) => t.activity === 'save')!.status).toBe('failed')
  })

  it('create refuses a label that another audience has (the run is suspended with the code)', async () => {
    const run = await runCampaign(f, save('Growing', 'create'), { live: true })
    expect(run.state).toBe('paused')
    expect(run.error?.code).toBe('AUDIENCE_LABEL_TAKEN')
  })

  it('create new appends a timestamp to the label, so every run makes a new audience', async () => {
    const def = save('Weekly', 'create_new')
    const c = await f.campaigns.create('acme', def)
    await f.campaigns.publish('acme', c.id)
    for (let i = 0; i < 2; i++) {
      const run = await f.campaigns.start('acme', c.id)
      await f.campaigns.settled(run.id)
      expect((await f.campaigns.status('acme', run.id)).state).toBe('completed')
      await new Promise((r) => setTimeout(r, 1100))
    }
    const weekly = (await f.store.audiences.list('acme')).filter((a) => a.label.startsWith('Weekly '))
    expect(weekly).toHaveLength(2)
    expect(weekly[0]!.label).toMatch(/^Weekly \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    expect(weekly.every((a) => a.origin.kind === 'campaign_run')).toBe(true)
  })
})
