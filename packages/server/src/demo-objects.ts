import { createReadStream, createWriteStream, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { createInterface } from 'node:readline'
import type { CampaignService } from '@ahub/campaigns'
import { parseSchemaText } from '@ahub/core'
import type { SharingService } from '@ahub/sharing'
import type { Store } from '@ahub/store'
import { DEMO_ORG, ingestDemoFile, readDemoParts } from './demo'

/** The partner organisation of the demo: a smaller, overlapping profile set that imports from the demo org. */
export const PARTNER_ORG = 'partner'

/** Labels of what the living demo creates, for tests and the README tour. */
export const DEMO_OBJECTS = {
  recentBuyers: 'Purchased in the last 30 days',
  frRecent: 'FR recent buyers',
  bigSpenders: 'Big spenders (365 days)',
  handPicked: 'Hand-picked VIPs',
  campaign: 'Spring offer: test and control',
  draft: 'Summer offer (draft)',
  testGroup: 'Spring offer: test group (70 %)',
  controlGroup: 'Spring offer: control group',
  dataSource: 'demo-emails',
  shared: 'Recent buyers (shared with partner)',
  imported: 'Recent buyers from demo',
} as const

const DAY = 86_400_000

const recentBuyers = {
  kind: 'link',
  link: 'purchases',
  aggregate: { fn: 'exists' },
  where: {
    kind: 'condition',
    field: 'purchased_at',
    op: '=',
    date: { preset: 'last', n: 30, unit: 'days' },
  },
}

/** The worked examples of the activities (docs/campaigns.md) as one campaign: build, deduplicate, enrich, split 70 % / the rest, save with attributes. */
export function springCampaign(label: string, recentAudience: string) {
  return {
    label,
    activities: [
      {
        id: 'build',
        type: 'build_audience',
        options: { rule: { kind: 'audience', audience: recentAudience } },
      },
      { id: 'dedup', type: 'deduplication', options: { fields: ['email'], keep: 1 } },
      {
        id: 'enrich',
        type: 'enrichment',
        options: {
          attributes: [
            { name: 'country', field: 'country' },
            { name: 'tier', field: 'loyalty_tier' },
          ],
          aggregates: [
            { name: 'orders', fn: 'count', link: 'purchases' },
            { name: 'spend', fn: 'sum', link: 'purchases', field: 'amount' },
          ],
        },
      },
      {
        id: 'split',
        type: 'split',
        options: { subsets: [{ code: 'test', limit: { percent: 70 } }, { code: 'control' }] },
      },
      {
        id: 'save_test',
        type: 'save_audience',
        options: {
          label: DEMO_OBJECTS.testGroup,
          mode: 'replace',
          attributes: ['country', 'tier', 'orders', 'spend'],
        },
      },
      {
        id: 'save_control',
        type: 'save_audience',
        options: {
          label: DEMO_OBJECTS.controlGroup,
          mode: 'replace',
          attributes: ['country', 'tier', 'orders', 'spend'],
        },
      },
      { id: 'end_test', type: 'end' },
      { id: 'end_control', type: 'end' },
    ],
    transitions: [
      { id: 'built', from: 'build', to: 'dedup' },
      { id: 'unique', from: 'dedup', to: 'enrich' },
      { id: 'enriched', from: 'enrich', to: 'split' },
      { id: 'test', from: 'split', to: 'save_test', output: 'test' },
      { id: 'control', from: 'split', to: 'save_control', output: 'control' },
      { id: 'saved_test', from: 'save_test', to: 'end_test' },
      { id: 'saved_control', from: 'save_control', to: 'end_control' },
    ],
    settings: { dimension: 'profiles', errorManagement: 'abort', timeZone: 'UTC' },
  }
}

export interface LivingDemoDeps {
  store: Store
  campaigns: CampaignService
  sharing: SharingService
  log: (line: string) => void
  /** Where the demo's generated files are (profiles.csv, schema.yaml). */
  demoDir: string
  /** False when the hub is remote: the partner org has no hub token there, so it is not made. */
  partner?: boolean
}

/**
 * Makes the demo organisation look lived in, through the same services the API calls: query
 * audiences with a history (evaluated as of two weeks and one week ago, then now), a list
 * audience, a daily schedule, the worked-example campaign published with one finished run and a
 * draft, and a partner organisation that imported a shared audience through the hub and follows
 * it. Each step is skipped when what it makes exists, so a restart (or a start after a crash
 * mid-way) does only what is missing.
 */
export async function buildLivingDemo(deps: LivingDemoDeps): Promise<boolean> {
  const { store, campaigns, log } = deps
  if (!(await store.orgs.find(DEMO_ORG))) return false
  let did = false
  const started = Date.now()
  const audiences = new Map((await store.audiences.list(DEMO_ORG)).map((a) => [a.label, a]))
  const parts = readDemoParts(deps.demoDir)
  const now = new Date()
  // The purchases of the last two weeks arrive in two later batches; without parts (a demo made
  // before they were split) the history is replayed as of the same two dates on all the data.
  const cuts = parts
    ? parts.cuts.map((c) => new Date(c))
    : [14, 7].map((days) => new Date(now.getTime() - days * DAY))

  const rules: [string, unknown][] = [
    [DEMO_OBJECTS.recentBuyers, recentBuyers],
    [
      DEMO_OBJECTS.frRecent,
      {
        kind: 'group',
        op: 'and',
        children: [{ kind: 'condition', field: 'country', op: '=', value: 'FR' }, recentBuyers],
      },
    ],
    [
      DEMO_OBJECTS.bigSpenders,
      {
        kind: 'link',
        link: 'purchases',
        aggregate: { fn: 'sum', field: 'amount', op: '>', value: 1500 },
        where: {
          kind: 'condition',
          field: 'purchased_at',
          op: '=',
          date: { preset: 'last', n: 365, unit: 'days' },
        },
      },
    ],
  ]
  const made: string[] = []
  const ids: string[] = []
  for (const [label, rule] of rules) {
    const found = audiences.get(label)
    if (found) {
      ids.push(found.id)
      continue
    }
    did = true
    const created = await store.audiences.create(DEMO_ORG, { type: 'query', label, rule }, { asOf: cuts[0] })
    ids.push(created.audience.id)
    made.push(created.audience.id)
  }
  // Each later batch of purchases, then a refresh of the new audiences as of its end (now for the last).
  const loaded = new Set((await store.batches.list(DEMO_ORG, 'purchases', 1000)).map((b) => basename(b.file)))
  for (const [i, asOf] of [cuts[1], undefined].entries()) {
    const file = parts?.files[i + 1]
    if (file && !loaded.has(basename(file))) {
      did = true
      await ingestDemoFile(store, 'purchases', file, log)
    }
    for (const id of made) await store.audiences.refresh(DEMO_ORG, id, asOf ? { asOf } : {})
  }
  const [recent, frRecent, big] = ids as [string, string, string]
  // The partner's organisation, ingestion and import touch other tables than what follows: overlap them.
  const partner = deps.partner === false ? Promise.resolve(false) : sharePartner(deps, recent)
  partner.catch(() => undefined)
  if (!(await store.audienceSchedules.get(DEMO_ORG, big))) {
    did = true
    await store.audienceSchedules.set(DEMO_ORG, big, { cron: '0 6 * * *', timeZone: 'Europe/Paris' })
  }
  if (!audiences.has(DEMO_OBJECTS.handPicked)) {
    did = true
    const page = await store.audiences.members(DEMO_ORG, frRecent, { limit: 25 })
    await store.audiences.create(DEMO_ORG, {
      type: 'list',
      label: DEMO_OBJECTS.handPicked,
      members: page.members.map((m) => m.member),
    })
  }

  const byLabel = new Map((await campaigns.list(DEMO_ORG)).map((c) => [c.label, c]))
  let spring = byLabel.get(DEMO_OBJECTS.campaign)
  if (!spring) {
    did = true
    spring = await campaigns.create(DEMO_ORG, springCampaign(DEMO_OBJECTS.campaign, recent))
  }
  if (spring.status === 'draft') spring = await campaigns.publish(DEMO_ORG, spring.id)
  if ((await campaigns.runs(DEMO_ORG, spring.id)).length === 0) {
    did = true
    const run = await campaigns.start(DEMO_ORG, spring.id)
    await campaigns.settled(run.id)
  }
  if (!byLabel.has(DEMO_OBJECTS.draft)) {
    did = true
    await campaigns.create(DEMO_ORG, springCampaign(DEMO_OBJECTS.draft, frRecent))
  }

  if (await partner) did = true
  if (did)
    log(
      `  Demo audiences, campaigns and a partner organisation made in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
  return did
}

/** The partner org, its profiles (a fifth of the demo's, so IDs overlap), and the shared audience it imported. */
async function sharePartner(deps: LivingDemoDeps, audience: string): Promise<boolean> {
  const { store, sharing, demoDir } = deps
  let did = false
  if (!(await store.orgs.find(PARTNER_ORG))) {
    did = true
    await store.createOrg(PARTNER_ORG, 'Partner organisation')
    await store.catalog.apply(
      PARTNER_ORG,
      parseSchemaText(readFileSync(join(demoDir, 'schema.yaml'), 'utf8')),
    )
  }
  if ((await store.datasets.list(PARTNER_ORG)).every((d) => d.rows === 0)) {
    did = true
    const file = join(demoDir, 'partner-profiles.csv')
    await firstLines(join(demoDir, 'profiles.csv'), file, 1 / 5)
    await store.ingestor.ingest(PARTNER_ORG, 'profiles', file)
  }
  if ((await sharing.imports(PARTNER_ORG)).length > 0) return did
  // An empty audience (a tiny --demo-profiles) has nothing to share.
  if ((await store.audiences.get(DEMO_ORG, audience)).size === 0) return did
  let ds = (await sharing.dataSources(DEMO_ORG)).find((d) => d.alias === DEMO_OBJECTS.dataSource)
  ds ??= await sharing.createDataSource(DEMO_ORG, {
    label: 'Demo e-mails (SHA-256)',
    alias: DEMO_OBJECTS.dataSource,
    idType: 'declared',
    namespace: 'email',
    channel: 'email',
    protection: { kind: 'sha256' },
  })
  let shared = (await sharing.sharedAudiences(DEMO_ORG)).find((s) => s.name === DEMO_OBJECTS.shared)
  if (!shared) {
    const job = await sharing.exportAudience(DEMO_ORG, {
      audience,
      dataSource: ds.id,
      target: { newName: DEMO_OBJECTS.shared, sharedWith: [PARTNER_ORG] },
      mode: 'mirror',
    })
    shared = (await sharing.sharedAudiences(DEMO_ORG)).find((s) => s.id === job.sharedAudience)!
  }
  await sharing.importShared(PARTNER_ORG, { sharedAudience: shared.id, label: DEMO_OBJECTS.imported })
  return true
}

/** Copies the header and the first `share` of the data lines of a CSV file. */
async function firstLines(from: string, to: string, share: number): Promise<void> {
  const total = (readFileSync(from, 'latin1').match(/\n/g) ?? []).length - 1
  const keep = Math.max(1, Math.floor(total * share))
  const out = createWriteStream(to, { mode: 0o600 })
  let n = -1
  for await (const line of createInterface({
    input: createReadStream(from),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    if (n >= keep) break
    out.write(`${line}\n`)
    n++
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())))
}
