import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CampaignRun } from '@ahub/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chain, type Fixture, openFixture, runCampaign } from '../test-support'
import { exportFolder } from './export-file'

let f: Fixture
beforeAll(async () => {
  f = await openFixture()
  await f.load(
    [
      { id: 'a', email: 'a@x', country: 'FR', score: 10 },
      { id: 'b', email: 'b@x', country: 'FR', score: 30 },
      { id: 'c', email: 'c@x', country: 'DE', score: 20 },
    ],
    [
      { id: 'o1', profile: 'a', amount: 10, category: 'books' },
      { id: 'o2', profile: 'a', amount: 5, category: 'books' },
      { id: 'o3', profile: 'b', amount: 7, category: 'toys' },
      { id: 'o4', profile: 'zz', amount: 1, category: 'books' },
    ],
  )
})
afterAll(() => f.close())

const onPurchases = { dimension: 'purchases', keepInterimResults: true }
const purchases = (
  rule: unknown = { kind: 'condition', field: 'purchase_id', op: 'is not empty' },
  extra = {},
) => ({
  id: 'build',
  type: 'build_audience',
  options: { rule, ...extra },
})
const books = { kind: 'condition', field: 'category', op: '=', value: 'books' }
const nothing = { kind: 'condition', field: 'category', op: '=', value: 'none' }
const buyer = {
  id: 'enrich',
  type: 'enrichment',
  options: { attributes: [{ name: 'buyer', field: 'profile_id' }] },
}

/** Rows of a transition, as plain objects. */
async function rows(run: CampaignRun, transition: string) {
  return (await f.campaigns.preview('acme', run.id, transition, 100)).rows
}
const outlet = (run: CampaignRun, activity: string, name = 'out') =>
  run.tasks.find((t) => t.activity === activity)?.outputs[name]?.count

describe('Change dimension', () => {
  it('turns purchases into their distinct profiles, and later activities work on profiles', async () => {
    const run = await runCampaign(
      f,
      chain(
        'buyers',
        [
          purchases(books),
          { id: 'people', type: 'change_dimension', options: { dimension: 'profiles' } },
          { id: 'dedup', type: 'deduplication', options: { fields: ['country'] } },
        ],
        onPurchases,
      ),
    )
    expect(run.state).toBe('completed')
    expect(run.transitions).toEqual({ t1: 3, t2: 1 })
    // o4's profile "zz" does not exist: only a remains (o1 and o2 are both a's).
    expect(await rows(run, 't2')).toEqual([{ id: 'a' }])
  })

  it('gives an empty population on an empty input', async () => {
    const run = await runCampaign(
      f,
      chain(
        'no buyers',
        [
          purchases(nothing, { outboundWhenEmpty: true }),
          { id: 'people', type: 'change_dimension', options: { dimension: 'profiles' } },
          { id: 'end', type: 'end' },
        ],
        onPurchases,
      ),
    )
    expect(run.transitions).toEqual({ t1: 0, t2: 0 })
  })

  it('refuses tables without a relationship, and checks later options against the new dimension', async () => {
    const { issues } = await f.campaigns.validate(
      'acme',
      chain(
        'bad',
        [
          purchases(),
          { id: 'self', type: 'change_dimension', options: { dimension: 'purchases', relationship: 'nope' } },
          { id: 'people', type: 'change_dimension', options: { dimension: 'profiles' } },
          { id: 'dedup', type: 'deduplication', options: { fields: ['amount'] } },
        ],
        onPurchases,
      ),
    )
    expect(issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['activities.1.options.relationship', 'CAMPAIGN_WRONG_DIMENSION'],
      ['activities.3.options.fields.0', 'RULE_UNKNOWN_FIELD'],
    ])
  })
})

describe('Reconciliation', () => {
  const reconcile = (options: Record<string, unknown>) => ({
    id: 'rec',
    type: 'reconciliation',
    options: { dimension: 'profiles', ...options },
  })

  it('pairs a column with a field: duplicates become one member, unmatched rows are kept apart', async () => {
    const def = chain(
      'by rules',
      [purchases(), buyer, reconcile({ rules: [{ column: 'buyer', field: 'id' }] })],
      onPurchases,
    )
    def.activities.push({ id: 'end', type: 'end', options: {} }, { id: 'end2', type: 'end', options: {} })
    def.transitions!.push(
      { id: 'ok', from: 'rec', to: 'end' },
      { id: 'rest', from: 'rec', to: 'end2', output: 'unreconciled' },
    )
    const run = await runCampaign(f, def)
    expect(run.state).toBe('completed')
    expect(run.transitions).toMatchObject({ ok: 2, rest: 1 })
    // The first incoming row of each member is kept, with its columns.
    expect(await rows(run, 'ok')).toEqual([
      { id: 'a', purchase_id: 'o1', buyer: 'a' },
      { id: 'b', purchase_id: 'o3', buyer: 'b' },
    ])
    expect(await rows(run, 'rest')).toEqual([{ purchase_id: 'o4', buyer: 'zz' }])
  })

  it('reconciles by a condition naming incoming columns with @, and can drop unreconciled rows', async () => {
    const run = await runCampaign(
      f,
      chain(
        'by condition',
        [
          purchases(books),
          buyer,
          reconcile({ condition: "id = @buyer and country = 'FR'", keepUnreconciled: false }),
          { id: 'end', type: 'end' },
        ],
        onPurchases,
      ),
    )
    expect(run.state).toBe('completed')
    expect(run.transitions.t3).toBe(1)
    expect(Object.keys(run.tasks.find((t) => t.activity === 'rec')!.outputs)).toEqual(['out'])
    expect(await rows(run, 't3')).toEqual([{ id: 'a', purchase_id: 'o1', buyer: 'a' }])
  })

  it('handles an empty input, and a population where nothing matches', async () => {
    const empty = await runCampaign(
      f,
      chain(
        'empty rec',
        [
          purchases(nothing, { outboundWhenEmpty: true }),
          buyer,
          reconcile({ rules: [{ column: 'buyer', field: 'id' }] }),
        ],
        onPurchases,
      ),
    )
    expect([outlet(empty, 'rec'), outlet(empty, 'rec', 'unreconciled')]).toEqual([0, 0])
    const none = await runCampaign(
      f,
      chain(
        'no match',
        [purchases(), buyer, reconcile({ rules: [{ column: 'buyer', field: 'email' }] })],
        onPurchases,
      ),
    )
    expect([outlet(none, 'rec'), outlet(none, 'rec', 'unreconciled')]).toEqual([0, 4])
  })

  it('lists bad rules, conditions and raw rows fed where members are needed', async () => {
    const def = chain(
      'bad rec',
      [
        purchases(),
        buyer,
        reconcile({ rules: [{ column: 'buyer', field: 'shoe' }] }),
        { id: 'dedup', type: 'deduplication', options: { fields: ['email'] } },
      ],
      onPurchases,
    )
    def.transitions![2]!.output = 'unreconciled'
    const { issues } = await f.campaigns.validate('acme', def)
    expect(issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['activities.2.options.rules.0.field', 'RULE_UNKNOWN_FIELD'],
      ['activities.3', 'CAMPAIGN_WRONG_DIMENSION'],
    ])
    const cond = chain('bad cond', [purchases(), buyer, reconcile({ condition: 'score + 1' })], onPurchases)
    expect((await f.campaigns.validate('acme', cond)).issues.map((i) => i.code)).toEqual([
      'EXPR_TYPE',
      'CAMPAIGN_BAD_OPTIONS',
    ])
    const both = chain(
      'both',
      [purchases(), buyer, reconcile({ condition: 'id = @buyer', rules: [] })],
      onPurchases,
    )
    expect((await f.campaigns.validate('acme', both)).issues.map((i) => i.code)).toContain(
      'CAMPAIGN_BAD_OPTIONS',
    )
  })

  it('refuses to combine populations of different dimensions', async () => {
    const def = chain(
      'mixed',
      [purchases(), { id: 'people', type: 'change_dimension', options: { dimension: 'profiles' } }],
      onPurchases,
    )
    def.activities.push({ id: 'comb', type: 'combine', options: { operation: 'union' } })
    def.transitions!.push({ id: 'x1', from: 'build', to: 'comb' }, { id: 'x2', from: 'people', to: 'comb' })
    expect((await f.campaigns.validate('acme', def)).issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['activities.2', 'CAMPAIGN_WRONG_DIMENSION'],
    ])
  })
})

describe('Export file', () => {
  const everyone = { kind: 'condition', field: 'id', op: 'is not empty' }
  const build = { id: 'build', type: 'build_audience', options: { rule: everyone } }
  const enrich = {
    id: 'enrich',
    type: 'enrichment',
    options: { attributes: [{ name: 'land', field: 'country' }] },
  }

  it('writes one file per live run in csv, ndjson or parquet, in a folder under the data directory', async () => {
    const c = await f.campaigns.create(
      'acme',
      chain('export', [
        build,
        enrich,
        { id: 'csv', type: 'export_file', options: { format: 'csv', name: 'people' } },
        { id: 'json', type: 'export_file', options: { format: 'ndjson', columns: ['land', 'id'] } },
        { id: 'pq', type: 'export_file', options: { format: 'parquet' } },
      ]),
    )
    await f.campaigns.publish('acme', c.id)
    const started = await f.campaigns.start('acme', c.id)
    await f.campaigns.settled(started.id)
    const run = await f.campaigns.status('acme', started.id)
    expect(run.state).toBe('completed')
    expect(run.transitions).toMatchObject({ t3: 3, t4: 3 })
    const folder = exportFolder(join(f.dir, 'data'), 'acme', c.id)
    expect(readdirSync(folder).sort()).toEqual(
      [`json-${run.id}.ndjson`, `people-${run.id}.csv`, `pq-${run.id}.parquet`].sort(),
    )
    expect(readFileSync(join(folder, `people-${run.id}.csv`), 'utf8')).toBe('id,land\na,FR\nb,FR\nc,DE\n')
    expect(
      readFileSync(join(folder, `json-${run.id}.ndjson`), 'utf8')
        .trim()
        .split('\n')[0],
    ).toBe('{"land":"FR","id":"a"}')
    const [pq] = await f.store.engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM read_parquet('${join(folder, `pq-${run.id}.parquet`)}')`,
    )
    expect(Number(pq!.n)).toBe(3)
  })

  it('writes nothing in test mode, an empty file for an empty population, and fails on an unknown column', async () => {
    const test = await runCampaign(
      f,
      chain('export test', [build, { id: 'x', type: 'export_file', options: {} }]),
    )
    expect(test.state).toBe('completed')
    expect(existsSync(exportFolder(join(f.dir, 'data'), 'acme', test.campaign))).toBe(false)

    const empty = await runCampaign(
      f,
      chain('export empty', [
        {
          id: 'build',
          type: 'build_audience',
          options: {
            rule: { kind: 'condition', field: 'country', op: '=', value: 'XX' },
            outboundWhenEmpty: true,
          },
        },
        { id: 'x', type: 'export_file', options: {} },
        { id: 'y', type: 'export_file', options: { columns: ['nope'] }, onError: 'ignore' },
      ]),
      { live: true },
    )
    const folder = exportFolder(join(f.dir, 'data'), 'acme', empty.campaign)
    expect(readFileSync(join(folder, `x-${empty.id}.csv`), 'utf8')).toBe('id\n')
    expect(empty.tasks.find((t) => t.activity === 'y')).toMatchObject({
      status: 'ignored',
      error: { code: 'CAMPAIGN_INVALID' },
    })
  })
})

describe('Channel (slot)', () => {
  const def = chain('channel', [
    {
      id: 'build',
      type: 'build_audience',
      options: { rule: { kind: 'condition', field: 'id', op: 'is not empty' } },
    },
    { id: 'mail', type: 'channel', options: { channel: 'email', address: 'email' } },
    { id: 'end', type: 'end' },
  ])

  it('test mode pauses before the first channel activity; resuming simulates it', async () => {
    const paused = await runCampaign(f, def)
    expect(paused.state).toBe('paused')
    expect(paused.tasks.map((t) => t.status)).toEqual(['done', 'pending', 'pending'])
    await f.campaigns.resume('acme', paused.id)
    await f.campaigns.settled(paused.id)
    const done = await f.campaigns.status('acme', paused.id)
    expect(done.state).toBe('completed')
    expect(done.transitions).toEqual({ t1: 3, t2: 3 })
  })

  it('a live run reaching it stops with CAMPAIGN_CHANNEL_UNAVAILABLE; bad options are listed', async () => {
    const run = await runCampaign(f, { ...def, label: 'channel live' }, { live: true })
    expect(run.state).toBe('paused')
    expect(run.error?.code).toBe('CAMPAIGN_CHANNEL_UNAVAILABLE')
    const bad = chain('bad channel', [
      {
        id: 'build',
        type: 'build_audience',
        options: { rule: { kind: 'condition', field: 'id', op: 'is not empty' } },
      },
      { id: 'mail', type: 'channel', options: { channel: 'fax', address: 'email', throttle: 0 } },
    ])
    expect((await f.campaigns.validate('acme', bad)).issues.map((i) => i.path.join('.'))).toEqual([
      'activities.1.options.channel',
      'activities.1.options.throttle',
    ])
  })
})
