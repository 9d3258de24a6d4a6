/**
 * Campaign benchmark (docs/campaigns.md): a 12-activity campaign over the demo data (Scheduler, two Build
 * audience, Combine, Enrichment with an aggregate, Deduplication, Split into 3, three Save
 * audience, And-join, End), run live; total time, and the orchestration overhead measured as the
 * time not spent inside engine statements.
 */

import { CampaignService, migrateCampaigns } from '@ahub/campaigns'
import type { CampaignDefinitionInput } from '@ahub/core'
import { AudienceService, type Engine, SchemaCatalog, type Session, type Store } from '@ahub/store'

export interface BenchResult {
  name: string
  value: number
  unit: string
  target?: string
}

/** The benchmark campaign; labels carry a suffix so repeated runs do not collide. */
export function benchCampaign(suffix: string): CampaignDefinitionInput {
  const save = (id: string, code: string) => ({
    id,
    type: 'save_audience' as const,
    options: { label: `bench ${code} ${suffix}`, mode: 'create' as const },
  })
  return {
    label: `bench campaign ${suffix}`,
    activities: [
      { id: 'when', type: 'scheduler', options: { schedule: { kind: 'daily', times: ['06:00'] } } },
      {
        id: 'europe',
        type: 'build_audience',
        options: {
          rule: { kind: 'condition', field: 'country', op: 'in', values: ['FR', 'DE', 'GB', 'ES', 'IT'] },
        },
      },
      {
        id: 'no_consent',
        type: 'build_audience',
        options: { rule: { kind: 'condition', field: 'marketing_consent', op: '=', value: false } },
      },
      { id: 'combine', type: 'combine', options: { operation: 'exclusion' } },
      {
        id: 'enrich',
        type: 'enrichment',
        options: {
          aggregates: [
            {
              name: 'spend_books',
              fn: 'sum',
              link: 'purchases',
              field: 'amount',
              filter: "category = 'books'",
            },
          ],
        },
      },
      { id: 'dedup', type: 'deduplication', options: { fields: ['email'] } },
      {
        id: 'split',
        type: 'split',
        options: {
          subsets: [
            {
              code: 'top',
              limit: { percent: 10, order: { kind: 'column', column: 'spend_books', direction: 'desc' } },
            },
            {
              code: 'gold',
              filter: { kind: 'condition', field: 'loyalty_tier', op: 'in', values: ['gold', 'platinum'] },
            },
            { code: 'rest' },
          ],
        },
      },
      save('save_top', 'top'),
      save('save_gold', 'gold'),
      save('save_rest', 'rest'),
      { id: 'join', type: 'and_join', options: {} },
      { id: 'end', type: 'end', options: {} },
    ],
    transitions: [
      { id: 'start_a', from: 'when', to: 'europe' },
      { id: 'start_b', from: 'when', to: 'no_consent' },
      { id: 'in_main', from: 'europe', to: 'combine' },
      { id: 'in_excl', from: 'no_consent', to: 'combine' },
      { id: 'combined', from: 'combine', to: 'enrich' },
      { id: 'enriched', from: 'enrich', to: 'dedup' },
      { id: 'unique', from: 'dedup', to: 'split' },
      { id: 'top', from: 'split', to: 'save_top', output: 'top' },
      { id: 'gold', from: 'split', to: 'save_gold', output: 'gold' },
      { id: 'rest', from: 'split', to: 'save_rest', output: 'rest' },
      { id: 'j1', from: 'save_top', to: 'join' },
      { id: 'j2', from: 'save_gold', to: 'join' },
      { id: 'j3', from: 'save_rest', to: 'join' },
      { id: 'done', from: 'join', to: 'end' },
    ],
    settings: { errorManagement: 'abort' },
  }
}

/** Runs the campaign benchmark on `org` of an opened store holding the demo data. */
export async function benchCampaigns(store: Store, org: string): Promise<BenchResult[]> {
  await migrateCampaigns(store.engine)
  const timer: Timer = { ms: 0, active: 0, since: 0 }
  const engine = timed(store.engine, timer)
  const catalog = new SchemaCatalog(engine)
  const audiences = new AudienceService(engine, catalog)
  const campaigns = new CampaignService(engine, catalog, audiences)
  const suffix = String(Date.now())
  const created: string[] = []
  try {
    const c = await campaigns.create(org, benchCampaign(suffix))
    await campaigns.publish(org, c.id)
    timer.ms = 0
    const started = performance.now()
    const run = await campaigns.start(org, c.id)
    await campaigns.settled(run.id)
    const total = performance.now() - started
    const status = await campaigns.status(org, run.id)
    if (status.state !== 'completed')
      throw new Error(`bench campaign ended ${status.state}: ${status.error?.message}`)
    for (const a of await store.audiences.list(org)) if (a.label.endsWith(suffix)) created.push(a.id)
    return [
      { name: 'campaign_12_activities_s', value: Math.round(total / 10) / 100, unit: 's', target: '< 5' },
      { name: 'campaign_overhead_ms', value: Math.round(total - timer.ms), unit: 'ms', target: '< 1000' },
      { name: 'campaign_population', value: status.transitions.unique ?? 0, unit: 'members' },
    ]
  } finally {
    await campaigns.close()
    for (const id of created) await store.audiences.delete(org, id)
  }
}

interface Timer {
  ms: number
  active: number
  since: number
}

/** The engine with the time during which any of its statements runs added to `timer.ms`. */
function timed(engine: Engine, timer: Timer): Engine {
  const wrap = <S extends Session>(s: S): S =>
    new Proxy(s, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver)
        if (typeof value !== 'function') return value
        if (prop === 'withSession')
          return <T>(fn: (x: Session) => Promise<T>) =>
            (target as unknown as Engine).withSession((x) => fn(wrap(x)))
        if (prop === 'transaction')
          return <T>(fn: (x: Session) => Promise<T>, sess?: Session) =>
            (target as unknown as Engine).transaction((x) => fn(wrap(x)), sess)
        if (
          !['query', 'run', 'stream', 'queryColumns', 'appendTextColumns', 'runWithProgress'].includes(
            String(prop),
          )
        )
          return value.bind(target)
        return async (...args: unknown[]) => {
          // Statements may overlap (several sessions): count the time when at least one runs.
          if (timer.active++ === 0) timer.since = performance.now()
          try {
            return await value.apply(target, args)
          } finally {
            if (--timer.active === 0) timer.ms += performance.now() - timer.since
          }
        }
      },
    }) as S
  return wrap(engine as Engine & Session) as Engine
}
