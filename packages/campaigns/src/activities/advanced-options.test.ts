import type { CampaignDefinitionInput } from '@ahub/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chain, type Fixture, keysOf, openFixture, runCampaign } from '../test-support'

let f: Fixture
beforeAll(async () => {
  f = await openFixture()
  await f.load(
    [
      { id: 'a', email: 'a@x', country: 'FR', score: 10 },
      { id: 'b', email: 'a@x', country: 'FR', score: 30 },
      { id: 'c', email: null, country: 'DE', score: 20 },
      { id: 'd', email: 'd@x', country: 'DE', score: 40 },
      { id: 'e', email: 'e@x', country: 'FR', score: 50 },
    ],
    [
      { id: 'o1', profile: 'a', amount: 10, category: 'books' },
      { id: 'o2', profile: 'a', amount: 5, category: 'toys' },
      { id: 'o3', profile: 'a', amount: 7, category: 'books' },
      { id: 'o4', profile: 'b', amount: 20, category: 'books' },
    ],
  )
})
afterAll(() => f.close())

const build = (id: string, rule: unknown) => ({ id, type: 'build_audience' as const, options: { rule } })
const fr = { kind: 'condition', field: 'country', op: '=', value: 'FR' }
const de = { kind: 'condition', field: 'country', op: '=', value: 'DE' }
const high = { kind: 'condition', field: 'score', op: '>=', value: 30 }
const everyone = { kind: 'condition', field: 'id', op: 'is not empty' }

/** Two builds into a Combine, its outlets to End. */
function combined(
  label: string,
  left: unknown,
  right: unknown,
  options: Record<string, unknown>,
): CampaignDefinitionInput {
  return {
    label,
    activities: [
      build('left', left),
      build('right', right),
      { id: 'comb', type: 'combine', options },
      { id: 'end', type: 'end', options: {} },
      ...(options.complement ? [{ id: 'end2', type: 'end' as const, options: {} }] : []),
    ],
    transitions: [
      { id: 'l', from: 'left', to: 'comb' },
      { id: 'r', from: 'right', to: 'comb' },
      { id: 'out', from: 'comb', to: 'end' },
      ...(options.complement ? [{ id: 'rest', from: 'comb', to: 'end2', output: 'complement' }] : []),
    ],
    settings: { keepInterimResults: true },
  }
}

describe('Combine with reconciliation by chosen columns', () => {
  it('union keeps one member per set of values, from the earliest input; empty values never match', async () => {
    const run = await runCampaign(
      f,
      combined('union cols', fr, high, {
        operation: 'union',
        reconciliation: 'columns',
        columns: ['email'],
        complement: true,
      }),
    )
    expect(await keysOf(f, run, 'out')).toEqual(['a', 'd', 'e'])
    expect(await keysOf(f, run, 'rest')).toEqual(['b'])
    const withEmpty = await runCampaign(
      f,
      combined('union empty', de, fr, { operation: 'union', reconciliation: 'columns', columns: ['email'] }),
    )
    expect(await keysOf(f, withEmpty, 'out')).toEqual(['a', 'c', 'd', 'e'])
  })

  it('intersection and exclusion compare the chosen values, not the keys', async () => {
    const inter = await runCampaign(
      f,
      combined('inter cols', fr, high, {
        operation: 'intersection',
        reconciliation: 'columns',
        columns: ['country'],
        complement: true,
      }),
    )
    expect(await keysOf(f, inter, 'out')).toEqual(['a', 'b', 'e'])
    expect(await keysOf(f, inter, 'rest')).toEqual(['d'])
    const excl = await runCampaign(
      f,
      combined('excl cols', high, de, {
        operation: 'exclusion',
        reconciliation: 'columns',
        columns: ['country'],
        complement: true,
      }),
    )
    expect(await keysOf(f, excl, 'out')).toEqual(['b', 'e'])
    expect(await keysOf(f, excl, 'rest')).toEqual(['d'])
  })

  it('lists unknown columns and columns without column reconciliation', async () => {
    const { issues } = await f.campaigns.validate(
      'acme',
      combined('bad cols', fr, high, { operation: 'union', reconciliation: 'columns', columns: ['shoe'] }),
    )
    expect(issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['activities.2.options.columns.0', 'RULE_UNKNOWN_FIELD'],
    ])
    const mixed = await f.campaigns.validate(
      'acme',
      combined('mixed', fr, high, { operation: 'union', columns: ['email'] }),
    )
    expect(mixed.issues.map((i) => i.code)).toEqual(['CAMPAIGN_BAD_OPTIONS'])
  })
})

describe('Enrichment: first lines of a 1-N link, links to another transition', () => {
  it('adds the first N lines by a sort as numbered columns (NULL where there are fewer lines)', async () => {
    const run = await runCampaign(
      f,
      chain('lines', [
        build('build', everyone),
        {
          id: 'enrich',
          type: 'enrichment',
          options: {
            lines: [
              {
                name: 'top',
                link: 'purchases',
                sort: [{ field: 'amount', direction: 'desc' }],
                count: 2,
                fields: ['category', 'amount'],
              },
            ],
          },
        },
        { id: 'end', type: 'end' },
      ]),
    )
    const rows = (await f.campaigns.preview('acme', run.id, 't2')).rows
    expect(rows.slice(0, 3)).toEqual([
      { id: 'a', top_category_1: 'books', top_category_2: 'books', top_amount_1: 10, top_amount_2: 7 },
      { id: 'b', top_category_1: 'books', top_category_2: null, top_amount_1: 20, top_amount_2: null },
      { id: 'c', top_category_1: null, top_category_2: null, top_amount_1: null, top_amount_2: null },
    ])
    expect(rows).toHaveLength(5)
  })

  it('joins columns of another transition by key pairs; a member without a match gets NULL', async () => {
    const def: CampaignDefinitionInput = {
      label: 'link',
      activities: [
        build('main', fr),
        build('other', high),
        {
          id: 'calc',
          type: 'enrichment',
          options: { expressions: [{ name: 'double', expression: 'score * 2' }] },
        },
        {
          id: 'enrich',
          type: 'enrichment',
          options: {
            links: [
              {
                transition: 'side',
                pairs: [{ column: 'id', to: 'id' }],
                columns: [{ name: 'their_double', column: 'double' }],
              },
            ],
          },
        },
      ],
      transitions: [
        { id: 't1', from: 'main', to: 'enrich' },
        { id: 't2', from: 'other', to: 'calc' },
        { id: 'side', from: 'calc', to: 'enrich' },
        { id: 'done', from: 'enrich', to: 'end' },
      ],
      settings: { keepInterimResults: true },
    }
    def.activities.push({ id: 'end', type: 'end', options: {} })
    const run = await runCampaign(f, def)
    expect(run.state).toBe('completed')
    expect((await f.campaigns.preview('acme', run.id, 'done')).rows).toEqual([
      { id: 'a', their_double: null },
      { id: 'b', their_double: 60 },
      { id: 'e', their_double: 100 },
    ])
    const bad = structuredClone(def)
    bad.activities[3]!.options = {
      links: [
        { transition: 't2', pairs: [{ column: 'id', to: 'id' }], columns: [{ name: 'x', column: 'double' }] },
      ],
      lines: [{ name: 'l', link: 'nope', sort: [{ field: 'amount' }], fields: ['amount'] }],
    }
    expect(
      (await f.campaigns.validate('acme', bad)).issues.map((i) => [i.path.slice(3).join('.'), i.code]),
    ).toEqual([
      ['lines.0.link', 'RULE_NOT_A_LINK'],
      ['links.0.transition', 'CAMPAIGN_UNKNOWN_INPUT'],
      ['links', 'CAMPAIGN_UNKNOWN_INPUT'],
    ])
  })
})

describe('Split: all subsets in one table', () => {
  const split = (extra: Record<string, unknown>) => ({
    id: 'split',
    type: 'split',
    options: { subsets: [{ code: 'high', filter: high }, { code: 'low' }], oneTable: true, ...extra },
  })

  it('puts every subset in one outlet with its segment code, overlap on or off', async () => {
    const run = await runCampaign(
      f,
      chain('one table', [build('build', everyone), split({}), { id: 'end', type: 'end' }]),
    )
    const rows = (await f.campaigns.preview('acme', run.id, 't2')).rows
    expect(run.tasks[1]!.outputs).toEqual({ out: expect.objectContaining({ count: 5 }) })
    expect(rows.map((r) => `${r.id}:${r.segment_code}`)).toEqual([
      'a:low',
      'b:high',
      'c:low',
      'd:high',
      'e:high',
    ])
    const overlap = await runCampaign(
      f,
      chain('one table overlap', [build('build', everyone), split({ overlap: true })]),
    )
    expect(overlap.tasks[1]!.outputs.out!.count).toBe(8)
    const withRest = await runCampaign(
      f,
      chain('one table rest', [
        build('build', everyone),
        {
          id: 'split',
          type: 'split',
          options: { subsets: [{ code: 'high', filter: high }], oneTable: true, complement: true },
        },
      ]),
    )
    expect(
      Object.entries(withRest.tasks[1]!.outputs)
        .map(([k, v]) => [k, v.count])
        .sort(),
    ).toEqual([
      ['complement', 2],
      ['out', 3],
    ])
    const invalid = await f.campaigns.validate('acme', {
      ...chain('bad outlet', [build('build', everyone), split({}), { id: 'end', type: 'end' }]),
    })
    invalid.definition!.transitions[1]!.output = 'high'
    expect((await f.campaigns.validate('acme', invalid.definition)).issues.map((i) => i.code)).toEqual([
      'CAMPAIGN_UNKNOWN_OUTPUT',
    ])
  })
})

describe('Maximum duration', () => {
  it('raises one alert in the log and on the run when a run outlives it, then completes', async () => {
    const slow = chain(
      'slow',
      [build('build', everyone), { id: 'pause', type: 'wait', options: { duration: { seconds: 0.6 } } }],
      { keepInterimResults: true, maxDurationMinutes: 0.005 },
    )
    const started = await runCampaign(f, slow)
    expect(started.tasks[1]!.status).toBe('waiting')
    await new Promise((r) => setTimeout(r, 900))
    await f.campaigns.settled(started.id)
    const run = await f.campaigns.status('acme', started.id)
    expect(run.state).toBe('completed')
    expect(run.alertedAt).not.toBeNull()
    const alerts = (await f.campaigns.logs('acme', run.id)).filter((e) => e.level === 'alert')
    expect(alerts.map((e) => e.code)).toEqual(['CAMPAIGN_MAX_DURATION'])

    const quick = await runCampaign(f, chain('quick', [build('build', everyone)], { maxDurationMinutes: 60 }))
    expect(quick.alertedAt).toBeNull()
    const bad = await f.campaigns.validate(
      'acme',
      chain('bad max', [build('build', everyone)], { maxDurationMinutes: 0 }),
    )
    expect(bad.issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['settings.maxDurationMinutes', 'CAMPAIGN_MALFORMED'],
    ])
  })
})
