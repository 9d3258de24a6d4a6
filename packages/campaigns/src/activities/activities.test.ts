import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chain, errorOf, type Fixture, keysOf, openFixture, runCampaign } from '../test-support'

let f: Fixture
beforeAll(async () => {
  f = await openFixture()
  await f.load(
    [
      { id: 'a', email: 'a@x', country: 'FR', score: 10 },
      { id: 'b', email: 'a@x', country: 'FR', score: 30 },
      { id: 'c', email: null, country: 'DE', score: 20 },
      { id: 'd', email: null, country: 'DE', score: 40 },
      { id: 'e', email: 'e@x', country: 'FR', score: 50 },
    ],
    [
      { id: 'o1', profile: 'a', amount: 10, category: 'books' },
      { id: 'o2', profile: 'a', amount: 5, category: 'toys' },
      { id: 'o3', profile: 'b', amount: 7, category: 'books' },
    ],
  )
})
afterAll(() => f.close())

const everyone = { kind: 'condition', field: 'id', op: 'is not empty' }
const nobody = { kind: 'condition', field: 'country', op: '=', value: 'XX' }
const build = (rule: unknown = everyone, extra: Record<string, unknown> = {}) => ({
  id: 'build',
  type: 'build_audience' as const,
  options: { rule, ...extra },
})
const end = { id: 'end', type: 'end' }

describe('Build audience', () => {
  it('stops the branch on an empty result, unless "outbound transition when empty" is set', async () => {
    const quiet = await runCampaign(f, chain('empty', [build(nobody), end]))
    expect(quiet.state).toBe('completed')
    expect(quiet.tasks.map((t) => t.status)).toEqual(['done', 'skipped'])
    const loud = await runCampaign(f, chain('empty loud', [build(nobody, { outboundWhenEmpty: true }), end]))
    expect(loud.tasks.map((t) => t.status)).toEqual(['done', 'done'])
    expect(loud.transitions.t1).toBe(0)
  })
})

describe('Enrichment', () => {
  it('adds attributes, filtered 1-N aggregates and expressions as columns', async () => {
    const run = await runCampaign(
      f,
      chain('enrich', [
        build(),
        {
          id: 'enrich',
          type: 'enrichment',
          options: {
            attributes: [{ name: 'where_from', field: 'country' }],
            aggregates: [
              {
                name: 'book_spend',
                fn: 'sum',
                link: 'purchases',
                field: 'amount',
                filter: "category = 'books'",
              },
              { name: 'orders', fn: 'count', link: 'purchases' },
            ],
            expressions: [{ name: 'double_score', expression: 'score * 2' }],
          },
        },
        end,
      ]),
    )
    const p = await f.campaigns.preview('acme', run.id, 't2')
    expect(p.columns.map((c) => c.name)).toEqual(['id', 'where_from', 'book_spend', 'orders', 'double_score'])
    expect(p.rows[0]).toMatchObject({
      id: 'a',
      where_from: 'FR',
      book_spend: 10,
      orders: 2,
      double_score: 20,
    })
    expect(p.rows[2]).toMatchObject({ id: 'c', book_spend: 0, orders: 0 })
  })
})

describe('Deduplication methods', () => {
  const dedup = (method: unknown, fields = ['country']) =>
    chain(`dedup ${JSON.stringify(method)}`, [
      build(),
      { id: 'dedup', type: 'deduplication', options: { fields, method } },
      end,
    ])

  it('keeps the smallest or largest by expression', async () => {
    const small = await runCampaign(f, dedup({ kind: 'expression', expression: 'score', keep: 'smallest' }))
    expect(await keysOf(f, small, 't2')).toEqual(['a', 'c'])
    const large = await runCampaign(f, dedup({ kind: 'expression', expression: 'score', keep: 'largest' }))
    expect(await keysOf(f, large, 't2')).toEqual(['d', 'e'])
  })

  it('prefers non-empty values, then a value priority list', async () => {
    const nonEmpty = await runCampaign(f, dedup({ kind: 'non_empty', fields: ['email'] }))
    expect((await keysOf(f, nonEmpty, 't2')).filter((k) => ['a', 'b', 'e'].includes(k))).toHaveLength(1)
    const priority = await runCampaign(f, dedup({ kind: 'priority', field: 'email', values: ['e@x', 'a@x'] }))
    expect((await keysOf(f, priority, 't2')).filter((k) => ['a', 'b', 'e'].includes(k))).toEqual(['e'])
  })

  it('never treats members with an empty field as duplicates; all-duplicates keep one', async () => {
    const byEmail = await runCampaign(f, dedup({ kind: 'random' }, ['email']))
    const kept = await keysOf(f, byEmail, 't2')
    expect(kept).toEqual(expect.arrayContaining(['c', 'd', 'e']))
    expect(kept).toHaveLength(4)
    const one = await runCampaign(
      f,
      chain('all dup', [
        build(),
        { id: 'enrich', type: 'enrichment', options: { expressions: [{ name: 'k', expression: '1' }] } },
        { id: 'dedup', type: 'deduplication', options: { fields: ['k'] } },
        end,
      ]),
    )
    expect(one.transitions.t3).toBe(1)
  })

  it('picks the same members when an activity of the same run is executed again (seeded by run id)', async () => {
    const a = await runCampaign(f, dedup({ kind: 'random' }))
    const again = await f.store.engine.query(`SELECT id FROM org_acme."_cw_${a.id}_dedup_out" ORDER BY id`)
    expect(again.map((r) => r.id)).toEqual(await keysOf(f, a, 't2'))
  })
})

describe('Split options', () => {
  const split = (options: unknown) => ({
    label: 'split',
    activities: [
      build(),
      { id: 'split', type: 'split', options },
      { id: 'e1', type: 'end' },
      { id: 'e2', type: 'end' },
      { id: 'e3', type: 'end' },
    ],
    transitions: [
      { id: 't1', from: 'build', to: 'split' },
      { id: 'fr', from: 'split', to: 'e1', output: 'fr' },
      { id: 'top', from: 'split', to: 'e2', output: 'top' },
      { id: 'rest', from: 'split', to: 'e3', output: 'complement' },
    ],
    settings: { keepInterimResults: true },
  })

  it('filters, limits with a sort larger than the population, and emits the complement', async () => {
    const run = await runCampaign(
      f,
      split({
        complement: true,
        subsets: [
          { code: 'fr', filter: { kind: 'condition', field: 'country', op: '=', value: 'FR' } },
          {
            code: 'top',
            limit: { count: 99, order: { kind: 'expression', expression: 'score', direction: 'desc' } },
          },
        ],
      }) as never,
    )
    expect(run.transitions).toMatchObject({ fr: 3, top: 2, rest: 0 })
  })

  it('limits by count with sorting, and skips an empty subset when asked', async () => {
    const run = await runCampaign(
      f,
      split({
        complement: true,
        subsets: [
          { code: 'fr', filter: nobody, skipWhenEmpty: true },
          {
            code: 'top',
            limit: { count: 1, order: { kind: 'expression', expression: 'score', direction: 'desc' } },
          },
        ],
      }) as never,
    )
    expect(await keysOf(f, run, 'top')).toEqual(['e'])
    expect(run.transitions.rest).toBe(4)
    expect(run.transitions.fr).toBeUndefined()
    expect(run.tasks.find((t) => t.activity === 'e1')!.status).toBe('skipped')
  })
})

describe('Read audience, Fork, And-join and Wait', () => {
  it('reads an audience with its attributes, forks, joins and ends', async () => {
    const saved = await f.store.audiences.create('acme', {
      type: 'list',
      label: 'Scored',
      dimension: 'profiles',
      attributes: [{ name: 'tier', type: 'string' }],
      members: [{ key: 'a', attributes: { tier: 'gold' } }, 'b'],
    })
    const run = await runCampaign(f, {
      label: 'flow',
      activities: [
        { id: 'read', type: 'read_audience', options: { audience: saved.audience.id, attributes: ['tier'] } },
        { id: 'fork', type: 'fork', options: {} },
        { id: 'pause', type: 'wait', options: { duration: { seconds: 0.2 } } },
        { id: 'join', type: 'and_join', options: { primary: 'late' } },
        { id: 'end', type: 'end', options: {} },
      ],
      transitions: [
        { id: 't1', from: 'read', to: 'fork' },
        { id: 'early', from: 'fork', to: 'join' },
        { id: 't2', from: 'fork', to: 'pause' },
        { id: 'late', from: 'pause', to: 'join' },
        { id: 'done', from: 'join', to: 'end' },
      ],
      settings: { keepInterimResults: true },
    })
    expect(run.state).toBe('running')
    expect(run.tasks.find((t) => t.activity === 'pause')!.status).toBe('waiting')
    await new Promise((r) => setTimeout(r, 400))
    await f.campaigns.settled(run.id)
    const after = await f.campaigns.status('acme', run.id)
    expect(after.state).toBe('completed')
    expect(after.transitions).toMatchObject({ t1: 2, early: 2, late: 2, done: 2 })
    const p = await f.campaigns.preview('acme', run.id, 'done')
    expect(p.rows).toEqual([
      { id: 'a', tier: 'gold' },
      { id: 'b', tier: null },
    ])
  })

  it('fails the run of a deleted audience with AUDIENCE_NOT_FOUND', async () => {
    const gone = await f.store.audiences.create('acme', {
      type: 'list',
      label: 'Gone',
      dimension: 'profiles',
      members: ['a'],
    })
    const c = await f.campaigns.create(
      'acme',
      chain('reads gone', [
        { id: 'read', type: 'read_audience', options: { audience: gone.audience.id } },
        end,
      ]),
    )
    await f.store.audiences.delete('acme', gone.audience.id)
    const e = await errorOf(f.campaigns.start('acme', c.id, { mode: 'test' }))
    expect(e.code).toBe('CAMPAIGN_INVALID')
    expect((e.details!.issues as { code: string }[])[0]!.code).toBe('AUDIENCE_NOT_FOUND')
  })
})

describe('empty populations', () => {
  it('flow through every activity with zero counts, and save an empty audience', async () => {
    const run = await runCampaign(
      f,
      {
        label: 'empty everywhere',
        activities: [
          build(nobody, { outboundWhenEmpty: true }),
          { id: 'other', type: 'build_audience', options: { rule: everyone } },
          { id: 'combine', type: 'combine', options: { operation: 'intersection', complement: true } },
          {
            id: 'enrich',
            type: 'enrichment',
            options: { expressions: [{ name: 's', expression: 'score' }] },
          },
          { id: 'dedup', type: 'deduplication', options: { fields: ['s'], complement: true } },
          {
            id: 'split',
            type: 'split',
            options: { subsets: [{ code: 'half', limit: { percent: 50 } }], complement: true },
          },
          { id: 'save', type: 'save_audience', options: { label: 'Nobody' } },
          { id: 'end', type: 'end', options: {} },
        ],
        transitions: [
          { id: 'a', from: 'build', to: 'combine' },
          { id: 'b', from: 'other', to: 'combine' },
          { id: 'c', from: 'combine', to: 'enrich' },
          { id: 'd', from: 'enrich', to: 'dedup' },
          { id: 'e', from: 'dedup', to: 'split' },
          { id: 'f', from: 'split', to: 'save', output: 'half' },
          { id: 'g', from: 'save', to: 'end' },
        ],
        settings: { keepInterimResults: true },
      },
      { live: true },
    )
    expect(run.state).toBe('completed')
    expect(run.transitions).toMatchObject({ a: 0, b: 5, c: 0, d: 0, e: 0, f: 0, g: 0 })
    expect((await f.store.audiences.list('acme')).find((a) => a.label === 'Nobody')).toMatchObject({
      size: 0,
      version: 1,
    })
  })
})
