import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AppError, type CampaignDefinitionInput, type CampaignRun, parseSchemaText } from '@ahub/core'
import { Store } from '@ahub/store'
import type { ChannelSender } from './activities/channel'
import { CampaignService } from './campaign-service'
import { migrateCampaigns } from './migrations'

/** Schema of the test org: profiles with a 1-N link to purchases. */
export const TEST_SCHEMA = `
tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      email: { type: string }
      country: { type: string }
      score: { type: integer }
    relationships:
      purchases: { target: purchases, cardinality: 1-N, on: { id: profile_id } }
  purchases:
    primaryKey: [purchase_id]
    fields:
      purchase_id: { type: string, nullable: false }
      profile_id: { type: string }
      amount: { type: number }
      category: { type: string }
`

/** A profile row of the test data. */
export interface Person {
  id: string
  email?: string | null
  country?: string
  score?: number
}

export interface Fixture {
  dir: string
  store: Store
  campaigns: CampaignService
  /** Replaces the profiles (and purchases) with these rows. */
  load(
    people: Person[],
    purchases?: { id: string; profile: string; amount: number; category: string }[],
  ): Promise<void>
  close(): Promise<void>
}

/** Opens a store in a temporary folder with org `acme`, the test schema and the campaign tables. */
export async function openFixture(dataDir?: string, sender?: ChannelSender): Promise<Fixture> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'ahub-campaigns-'))
  const store = await Store.open({ dataDir: join(dir, 'data') })
  await migrateCampaigns(store.engine)
  if (!(await store.orgs.find('acme'))) {
    await store.createOrg('acme', 'Acme')
    await store.catalog.apply('acme', parseSchemaText(TEST_SCHEMA))
  }
  const campaigns = new CampaignService(
    store.engine,
    store.catalog,
    store.audiences,
    undefined,
    undefined,
    undefined,
    sender,
  )
  let batch = 0
  return {
    dir,
    store,
    campaigns,
    async load(people, purchases = []) {
      batch++
      await store.engine.run('DELETE FROM org_acme.profiles')
      await store.engine.run('DELETE FROM org_acme.purchases')
      const p = join(dir, `profiles-${batch}.csv`)
      const lines = [
        'id,email,country,score',
        ...people.map((x) => `${x.id},${x.email ?? ''},${x.country ?? ''},${x.score ?? ''}`),
      ]
      writeFileSync(p, `${lines.join('\n')}\n`)
      await store.ingestor.ingest('acme', 'profiles', p)
      if (purchases.length > 0) {
        const q = join(dir, `purchases-${batch}.csv`)
        const rows = [
          'purchase_id,profile_id,amount,category',
          ...purchases.map((x) => `${x.id},${x.profile},${x.amount},${x.category}`),
        ]
        writeFileSync(q, `${rows.join('\n')}\n`)
        await store.ingestor.ingest('acme', 'purchases', q)
      }
    },
    async close() {
      await campaigns.close()
      await store.close()
      if (!dataDir) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Creates the campaign as a draft, runs it (test mode unless `live`) and waits until the loop settles. */
export async function runCampaign(
  f: Fixture,
  def: CampaignDefinitionInput,
  options: { live?: boolean; breakpoint?: string } = {},
): Promise<CampaignRun> {
  const c = await f.campaigns.create('acme', def)
  if (options.live) await f.campaigns.publish('acme', c.id)
  const run = await f.campaigns.start('acme', c.id, {
    mode: options.live ? 'live' : 'test',
    breakpoint: options.breakpoint,
  })
  await f.campaigns.settled(run.id)
  return f.campaigns.status('acme', run.id)
}

/** Member keys of a transition's work table, sorted. */
export async function keysOf(f: Fixture, run: CampaignRun, transition: string): Promise<string[]> {
  const p = await f.campaigns.preview('acme', run.id, transition, 1000)
  return p.rows.map((r) => String(r.id)).sort()
}

/** The AppError a promise rejects with. */
export async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (e) {
    return e as AppError
  }
  throw new Error('expected the call to fail')
}

/** A linear chain of activities joined by transitions t1, t2, ... (each from `out`). */
export function chain(
  label: string,
  activities: { id: string; type: string; options?: Record<string, unknown>; onError?: string }[],
  settings: Record<string, unknown> = { keepInterimResults: true },
): CampaignDefinitionInput {
  return {
    label,
    activities: activities.map((a) => ({
      ...a,
      options: a.options ?? {},
    })) as CampaignDefinitionInput['activities'],
    transitions: activities.slice(1).map((a, i) => ({ id: `t${i + 1}`, from: activities[i]!.id, to: a.id })),
    settings: settings as CampaignDefinitionInput['settings'],
  }
}
