import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chain, errorOf, type Fixture, keysOf, openFixture } from '../test-support'

let f: Fixture
beforeAll(async () => {
  f = await openFixture()
  await f.load([
    { id: 'a', email: 'a@x', country: 'FR', score: 10 },
    { id: 'b', email: 'b@x', country: 'FR', score: 30 },
    { id: 'c', email: 'c@x', country: 'DE', score: 20 },
    { id: 'd', email: "it's $min", country: 'FR', score: 40 },
  ])
})
afterAll(() => f.close())

const signal = {
  id: 'signal',
  type: 'signal',
  options: {
    parameters: [
      { name: 'country', type: 'string', required: true },
      { name: 'min', type: 'integer', default: 25 },
      { name: 'since', type: 'date' },
    ],
  },
}

/** Signal -> build (rule bound to $country) -> enrich ($min in an expression) -> split (filter bound to $min). */
const definition = chain('By country', [
  signal,
  {
    id: 'build',
    type: 'build_audience',
    options: { rule: { kind: 'condition', field: 'country', op: '=', value: { param: 'country' } } },
  },
  {
    id: 'enrich',
    type: 'enrichment',
    options: {
      expressions: [
        { name: 'gap', expression: 'score - $min' },
        { name: 'tag', expression: "concat('$min', ':', $country)" },
      ],
    },
  },
  {
    id: 'split',
    type: 'split',
    options: {
      subsets: [
        { code: 'high', filter: { kind: 'condition', field: 'score', op: '>=', value: { param: 'min' } } },
      ],
      complement: true,
    },
  },
])

describe('Signal', () => {
  it('starts a run by API call; parameters are bound in rules and expressions, defaults fill the rest', async () => {
    const c = await f.campaigns.create('acme', definition)
    await f.campaigns.publish('acme', c.id)
    const started = await f.campaigns.signal('acme', c.id, { parameters: { country: 'FR' } })
    await f.campaigns.settled(started.id)
    const run = await f.campaigns.status('acme', started.id)
    expect(run).toMatchObject({ state: 'completed', mode: 'live', parameters: { country: 'FR', min: 25 } })
    expect(await keysOf(f, run, 't2')).toEqual(['a', 'b', 'd'])
    const enriched = await f.campaigns.preview('acme', run.id, 't3')
    expect(enriched.rows).toEqual([
      { id: 'a', gap: -15, tag: '$min:FR' },
      { id: 'b', gap: 5, tag: '$min:FR' },
      { id: 'd', gap: 15, tag: '$min:FR' },
    ])
    const high = await f.campaigns.status('acme', run.id)
    expect(high.tasks.find((t) => t.activity === 'split')?.outputs.high?.count).toBe(2)

    const again = await f.campaigns.signal('acme', c.id, { parameters: { country: 'DE', min: 5 } })
    await f.campaigns.settled(again.id)
    const de = await f.campaigns.status('acme', again.id)
    expect(de.parameters).toEqual({ country: 'DE', min: 5 })
    expect(de.transitions.t2).toBe(1)
    expect(de.tasks.find((t) => t.activity === 'split')?.outputs.high?.count).toBe(1)
  })

  it('refuses unknown, wrongly typed and missing parameters with a code, and starts nothing', async () => {
    const c = await f.campaigns.create('acme', { ...definition, label: 'Refusals' })
    await f.campaigns.publish('acme', c.id)
    const e = await errorOf(
      f.campaigns.signal('acme', c.id, { parameters: { country: 3, region: 'x', since: '2026-02-30' } }),
    )
    expect(e.code).toBe('CAMPAIGN_BAD_PARAMETERS')
    expect((e.details!.issues as { path: string[]; code: string }[]).map((i) => [i.path[1], i.code])).toEqual(
      [
        ['country', 'CAMPAIGN_PARAMETER_TYPE'],
        ['region', 'CAMPAIGN_UNKNOWN_PARAMETER'],
        ['since', 'CAMPAIGN_PARAMETER_TYPE'],
      ],
    )
    const missing = await errorOf(f.campaigns.signal('acme', c.id, { parameters: { min: 1.5 } }))
    expect((missing.details!.issues as { code: string }[]).map((i) => i.code)).toEqual([
      'CAMPAIGN_PARAMETER_TYPE',
      'CAMPAIGN_PARAMETER_MISSING',
    ])
    expect(await f.campaigns.runs('acme', c.id)).toEqual([])
    const ok = await f.campaigns.signal('acme', c.id, {
      parameters: { country: 'DE', since: '2026-02-28' },
      mode: 'test',
    })
    await f.campaigns.settled(ok.id)
    expect((await f.campaigns.status('acme', ok.id)).state).toBe('completed')
  })

  it('needs a Signal activity, and a published campaign for a live signal', async () => {
    const plain = await f.campaigns.create(
      'acme',
      chain('No signal', [
        {
          id: 'build',
          type: 'build_audience',
          options: { rule: { kind: 'condition', field: 'country', op: '=', value: 'FR' } },
        },
      ]),
    )
    expect((await errorOf(f.campaigns.signal('acme', plain.id))).code).toBe('CAMPAIGN_BAD_STATE')
    const draft = await f.campaigns.create('acme', { ...definition, label: 'Draft' })
    expect(
      (await errorOf(f.campaigns.signal('acme', draft.id, { parameters: { country: 'FR' } }))).code,
    ).toBe('CAMPAIGN_BAD_STATE')
  })

  it('validates parameter references and declarations, each issue with its path', async () => {
    const bad = chain('Bad refs', [
      {
        ...signal,
        options: {
          parameters: [
            { name: 'country', type: 'string' },
            { name: 'country', type: 'integer' },
            { name: 'when', type: 'date', default: 'soon' },
          ],
        },
      },
      {
        id: 'build',
        type: 'build_audience',
        options: {
          rule: {
            kind: 'group',
            op: 'and',
            children: [
              { kind: 'condition', field: 'country', op: '=', value: { param: 'nope' } },
              { kind: 'condition', field: 'country', op: '=', value: { param: 'when' } },
            ],
          },
        },
      },
      {
        id: 'enrich',
        type: 'enrichment',
        options: { expressions: [{ name: 'x', expression: 'score + $other' }] },
      },
    ])
    const { issues } = await f.campaigns.validate('acme', bad)
    expect(issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['activities.1.options.rule.children.0.value', 'CAMPAIGN_UNKNOWN_PARAMETER'],
      ['activities.2.options.expressions.0.expression', 'CAMPAIGN_UNKNOWN_PARAMETER'],
      ['activities.0.options.parameters.1.name', 'CAMPAIGN_BAD_OPTIONS'],
      ['activities.0.options.parameters.2.default', 'CAMPAIGN_PARAMETER_TYPE'],
      ['activities.1.options.rule.children.0.value', 'RULE_FILTER_PARAM'],
      ['activities.2.options.expressions.0.expression', 'EXPR_PARSE'],
    ])
    // A string parameter compared with an integer field is a type mismatch, found with a sample value.
    const typed = chain('Typed', [
      signal,
      {
        id: 'build',
        type: 'build_audience',
        options: { rule: { kind: 'condition', field: 'score', op: '>', value: { param: 'country' } } },
      },
    ])
    expect((await f.campaigns.validate('acme', typed)).issues.map((i) => [i.path.join('.'), i.code])).toEqual(
      [['activities.1.options.rule.value', 'RULE_TYPE_MISMATCH']],
    )
    const two = chain('Two signals', [signal, { ...signal, id: 'signal2' }])
    const found = (await f.campaigns.validate('acme', two)).issues.map((i) => i.code)
    expect(found).toContain('CAMPAIGN_DUPLICATE_SIGNAL')
    expect(found).toContain('CAMPAIGN_SCHEDULER_NOT_FIRST')
  })
})
