import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorOf, type Fixture, openFixture } from './test-support'
import { deeperThan } from './validate'

let f: Fixture
beforeAll(async () => {
  f = await openFixture()
})
afterAll(() => f.close())

const rule = { kind: 'condition', field: 'country', op: '=', value: 'FR' }
const codes = async (def: unknown) => (await f.campaigns.validate('acme', def)).issues.map((i) => i.code)

describe('campaign validation', () => {
  it('accepts a valid graph', async () => {
    const { issues } = await f.campaigns.validate('acme', {
      label: 'ok',
      activities: [
        { id: 'when', type: 'scheduler', options: { schedule: { kind: 'daily', times: ['09:00'] } } },
        { id: 'build', type: 'build_audience', options: { rule } },
        { id: 'end', type: 'end' },
      ],
      transitions: [
        { id: 't1', from: 'when', to: 'build' },
        { id: 't2', from: 'build', to: 'end' },
      ],
    })
    expect(issues).toEqual([])
  })

  it('refuses options nested 10 000 levels with RULE_TOO_DEEP instead of overflowing the stack', async () => {
    let deep: unknown = rule
    for (let i = 0; i < 10_000; i++) deep = { kind: 'group', op: 'and', children: [deep] }
    const { issues } = await f.campaigns.validate('acme', {
      label: 'deep',
      activities: [
        { id: 'build', type: 'build_audience', options: { rule: deep } },
        { id: 'end', type: 'end' },
      ],
      transitions: [{ id: 't1', from: 'build', to: 'end' }],
    })
    // One issue, RULE_TOO_DEEP, whichever bound (the rule's or the options') catches it first.
    expect(issues).toEqual([expect.objectContaining({ code: 'RULE_TOO_DEEP' })])
    expect(deeperThan({ a: [{ b: 1 }] }, 3)).toBe(false)
    expect(deeperThan({ a: [{ b: {} }] }, 3)).toBe(true)
  })

  it('lists every issue at once, each with its path and code', async () => {
    const { issues } = await f.campaigns.validate('acme', {
      label: 'broken',
      activities: [
        {
          id: 'build',
          type: 'build_audience',
          options: { rule: { kind: 'condition', field: 'shoe_size', op: '=', value: 1 } },
        },
        { id: 'when', type: 'scheduler', options: { schedule: { kind: 'cron', expression: '61 * * * *' } } },
        { id: 'dedup', type: 'deduplication', options: { fields: ['email'], keep: 'one' } },
        { id: 'a', type: 'fork' },
        { id: 'b', type: 'fork' },
        { id: 'join', type: 'and_join' },
        { id: 'orphan', type: 'enrichment', options: { attributes: [{ name: 'c', field: 'country' }] } },
        { id: 'end', type: 'end' },
        { id: 'after_end', type: 'end' },
      ],
      transitions: [
        { id: 't1', from: 'build', to: 'when' },
        { id: 't2', from: 'a', to: 'b' },
        { id: 't3', from: 'b', to: 'a' },
        { id: 't4', from: 'build', to: 'join' },
        { id: 't5', from: 'end', to: 'after_end' },
        { id: 't6', from: 'build', to: 'end' },
        { id: 't7', from: 'build', to: 'nowhere' },
      ],
    })
    const by = (code: string) => issues.filter((i) => i.code === code).map((i) => i.path)
    expect(by('RULE_UNKNOWN_FIELD')).toEqual([['activities', 0, 'options', 'rule', 'field']])
    expect(by('CAMPAIGN_SCHEDULER_NOT_FIRST')).toEqual([['activities', 1]])
    expect(by('CAMPAIGN_BAD_SCHEDULE')).toEqual([['activities', 1, 'options', 'schedule', 'expression']])
    expect(by('CAMPAIGN_BAD_OPTIONS')).toEqual([['activities', 2, 'options', 'keep']])
    expect(by('CAMPAIGN_CYCLE').length).toBeGreaterThan(0)
    expect(by('CAMPAIGN_UNCONNECTED_INPUT')).toEqual(
      expect.arrayContaining([
        ['activities', 2],
        ['activities', 5],
        ['activities', 6],
      ]),
    )
    expect(by('CAMPAIGN_BAD_PREDECESSOR')).toContainEqual(['transitions', 4, 'from'])
    expect(by('CAMPAIGN_UNKNOWN_ACTIVITY')).toEqual([['transitions', 6, 'to']])
  })

  it('refuses an activity that needs a population right after a Scheduler', async () => {
    expect(
      await codes({
        label: 'x',
        activities: [
          {
            id: 'when',
            type: 'scheduler',
            options: { schedule: { kind: 'once', at: '2030-01-01T00:00:00Z' } },
          },
          { id: 'split', type: 'split', options: { subsets: [{ code: 'all' }] } },
        ],
        transitions: [{ id: 't1', from: 'when', to: 'split' }],
      }),
    ).toEqual(['CAMPAIGN_BAD_PREDECESSOR'])
  })

  it('reports a wrong dimension, an unknown outlet and a read of an unknown audience', async () => {
    const found = await codes({
      label: 'x',
      activities: [
        { id: 'b', type: 'build_audience', options: { dimension: 'purchases', rule } },
        { id: 'r', type: 'read_audience', options: { audience: 'aud_gone' } },
        { id: 'end', type: 'end' },
      ],
      transitions: [
        { id: 't1', from: 'b', to: 'end', output: 'complement' },
        { id: 't2', from: 'r', to: 'end' },
      ],
    })
    expect(found.sort()).toEqual([
      'AUDIENCE_NOT_FOUND',
      'CAMPAIGN_UNKNOWN_OUTPUT',
      'CAMPAIGN_WRONG_DIMENSION',
    ])
    expect(await codes({ label: 'x', activities: [], settings: { dimension: 'nope' } })).toEqual([
      'CAMPAIGN_WRONG_DIMENSION',
    ])
  })

  it('reports a read of an audience of raw identifiers as a wrong dimension', async () => {
    const file = await f.store.audiences.create('acme', {
      type: 'file',
      label: 'Raw',
      namespace: 'email',
      lines: ['a@b.org'],
    })
    expect(
      await codes({
        label: 'x',
        activities: [
          { id: 'r', type: 'read_audience', options: { audience: file.audience.id } },
          { id: 'end', type: 'end' },
        ],
        transitions: [{ id: 't1', from: 'r', to: 'end' }],
      }),
    ).toEqual(['CAMPAIGN_WRONG_DIMENSION'])
  })

  it('refuses more than 500 activities, unknown keys and duplicate ids', async () => {
    const many = Array.from({ length: 501 }, (_, i) => ({
      id: `b${i}`,
      type: 'build_audience',
      options: { rule },
    }))
    expect(await codes({ label: 'big', activities: many })).toEqual(['CAMPAIGN_TOO_MANY_ACTIVITIES'])
    expect(await codes({ label: 'x', activities: [], colour: 'red' })).toEqual(['CAMPAIGN_MALFORMED'])
    expect(
      await codes({
        label: 'x',
        activities: [
          { id: 'b', type: 'build_audience', options: { rule } },
          { id: 'b', type: 'build_audience', options: { rule } },
        ],
      }),
    ).toEqual(['CAMPAIGN_DUPLICATE_ID'])
  })

  it('checks expressions and fields of enrichment, dedup and split options against the schema', async () => {
    const { issues } = await f.campaigns.validate('acme', {
      label: 'x',
      activities: [
        { id: 'b', type: 'build_audience', options: { rule } },
        {
          id: 'enrich',
          type: 'enrichment',
          options: {
            aggregates: [
              { name: 'spend', fn: 'sum', link: 'purchases', field: 'amount', filter: 'category = 1 +' },
            ],
            expressions: [{ name: 'x', expression: 'nope * 2' }],
          },
        },
        { id: 'dedup', type: 'deduplication', options: { fields: ['spend', 'zip'] } },
        {
          id: 'split',
          type: 'split',
          options: {
            subsets: [{ code: 'a', filter: { kind: 'condition', field: 'zip', op: '=', value: 1 } }],
          },
        },
        { id: 'end', type: 'end' },
      ],
      transitions: [
        { id: 't1', from: 'b', to: 'enrich' },
        { id: 't2', from: 'enrich', to: 'dedup' },
        { id: 't3', from: 'dedup', to: 'split' },
        { id: 't4', from: 'split', to: 'end', output: 'a' },
      ],
    })
    expect(issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['activities.1.options.aggregates.0', 'EXPR_PARSE'],
      ['activities.1.options.expressions.0.expression', 'RULE_UNKNOWN_FIELD'],
      ['activities.2.options.fields.1', 'RULE_UNKNOWN_FIELD'],
      ['activities.3.options.subsets.0.filter.field', 'RULE_UNKNOWN_FIELD'],
    ])
  })

  it('refuses to save an invalid campaign, and to edit a published one', async () => {
    const e = await errorOf(
      f.campaigns.create('acme', { label: 'x', activities: [{ id: 'end', type: 'end' }] }),
    )
    expect(e.code).toBe('CAMPAIGN_INVALID')
    expect(e.details!.issues as unknown[]).toHaveLength(1)
    const c = await f.campaigns.create('acme', {
      label: 'ok',
      activities: [{ id: 'b', type: 'build_audience', options: { rule } }],
    })
    expect(c.state).toBe('draft')
    const live = await f.campaigns.publish('acme', c.id)
    expect(live.status).toBe('published')
    expect((await errorOf(f.campaigns.update('acme', c.id, { label: 'y', activities: [] }))).code).toBe(
      'CAMPAIGN_READ_ONLY',
    )
    expect((await errorOf(f.campaigns.get('acme', 'cmp_nope'))).code).toBe('CAMPAIGN_NOT_FOUND')
  })
})

describe('fields used by published campaigns', () => {
  it('refuses removing or retyping a field a published campaign uses, naming it; a draft protects nothing', async () => {
    const g = await openFixture()
    try {
      const { parseSchemaText } = await import('@ahub/core')
      const { TEST_SCHEMA } = await import('./test-support')
      const flow = (label: string) => ({
        label,
        activities: [
          { id: 'b', type: 'build_audience', options: { rule } },
          {
            id: 'enrich',
            type: 'enrichment',
            options: { aggregates: [{ name: 'spend', fn: 'sum', link: 'purchases', field: 'amount' }] },
          },
          {
            id: 'split',
            type: 'split',
            options: {
              subsets: [{ code: 'high', filter: { kind: 'condition', field: 'score', op: '>', value: 50 } }],
            },
          },
          { id: 'end', type: 'end' },
        ],
        transitions: [
          { id: 't1', from: 'b', to: 'enrich' },
          { id: 't2', from: 'enrich', to: 'split' },
          { id: 't3', from: 'split', to: 'end', output: 'high' },
        ],
      })
      const live = await g.campaigns.create('acme', flow('Spring sale'))
      await g.campaigns.publish('acme', live.id)
      await g.campaigns.create('acme', {
        label: 'Draft',
        activities: [
          {
            id: 'b',
            type: 'build_audience',
            options: { rule: { kind: 'condition', field: 'email', op: 'is not empty' } },
          },
        ],
      })
      const apply = (schema: string) =>
        errorOf(g.store.catalog.apply('acme', parseSchemaText(schema), { allowDestructive: true }))

      const noScore = await apply(TEST_SCHEMA.replace('      score: { type: integer }\n', ''))
      expect(noScore.code).toBe('SCHEMA_FIELD_IN_USE')
      expect(noScore.message).toContain('Spring sale')
      const retyped = await apply(TEST_SCHEMA.replace('score: { type: integer }', 'score: { type: string }'))
      expect(retyped.code).toBe('SCHEMA_FIELD_IN_USE')
      const noAmount = await apply(TEST_SCHEMA.replace('      amount: { type: number }\n', ''))
      expect(noAmount.code).toBe('SCHEMA_FIELD_IN_USE')
      expect(noAmount.message).toContain('Spring sale')
      // Used by the published campaign's rule (country), by no published campaign (email).
      expect((await apply(TEST_SCHEMA.replace('      country: { type: string }\n', ''))).code).toBe(
        'SCHEMA_FIELD_IN_USE',
      )
      await g.store.catalog.apply(
        'acme',
        parseSchemaText(TEST_SCHEMA.replace('      email: { type: string }\n', '')),
        {
          allowDestructive: true,
        },
      )
      expect(Object.keys((await g.store.catalog.definitions('acme')).profiles!.fields)).not.toContain('email')
    } finally {
      await g.close()
    }
  })
})
