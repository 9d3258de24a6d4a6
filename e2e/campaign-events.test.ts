import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CampaignService } from '@ahub/campaigns'
import { parseSchemaText } from '@ahub/core'
import { type App, bootstrapAdmin, buildApp, openCampaigns } from '@ahub/server'
import { Store } from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/** GET .../runs/:run/events: the run's server-sent events over a real socket. */
describe('run events (server-sent events)', () => {
  const root = mkdtempSync(join(tmpdir(), 'ahub-run-events-'))
  let store: Store
  let app: App
  let campaigns: CampaignService
  let base: string
  const secret = `test-${crypto.randomUUID()}`
  const auth = { authorization: `Bearer ${secret}` }
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}/v1/orgs/shop${url}`, {
      method,
      headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    return { status: res.status, body: (await res.json()) as ReturnType<typeof JSON.parse> }
  }

  /** Reads a stream of events until it ends; each event with its name and data. */
  async function readEvents(url: string, headers: Record<string, string> = auth) {
    const res = await fetch(`${base}${url}`, { headers })
    const events: { event: string; data: unknown }[] = []
    if (!res.ok || !res.body) return { status: res.status, type: res.headers.get('content-type'), events }
    let text = ''
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
      text += Buffer.from(chunk).toString()
    for (const block of text.split('\n\n')) {
      const event = /^event: (.*)$/m.exec(block)?.[1]
      const data = /^data: (.*)$/m.exec(block)?.[1]
      if (event && data) events.push({ event, data: JSON.parse(data) })
    }
    return { status: res.status, type: res.headers.get('content-type'), events }
  }

  beforeAll(async () => {
    store = await Store.open({ dataDir: join(root, 'data') })
    campaigns = await openCampaigns(store)
    await store.createOrg('shop', 'Shop')
    await store.createOrg('other', 'Other')
    await store.catalog.apply(
      'shop',
      parseSchemaText(`tables:
  profiles:
    primaryKey: [profile_id]
    fields:
      profile_id: { type: string, nullable: false }
      tier: { type: string }
`),
    )
    const people = join(root, 'shop.csv')
    writeFileSync(people, 'profile_id,tier\np1,gold\np2,gold\np3,silver\n')
    await store.ingestor.ingest('shop', 'profiles', people)
    const { user } = await bootstrapAdmin(store, 'shop', false)
    app = await buildApp({
      store,
      campaigns,
      rateLimit: false,
      verifiers: [
        async (b) => (b === secret ? { kind: 'user', userId: user.id, via: 'oidc', issuer: 'test' } : null),
      ],
    })
    base = await app.listen({ host: '127.0.0.1', port: 0 })
  })

  afterAll(async () => {
    await campaigns?.close()
    await app?.close()
    await store?.close()
    rmSync(root, { recursive: true, force: true })
  })

  it('streams the run as it changes until it ends, with counts matching the run the API reports', async () => {
    const created = await api('POST', '/campaigns', {
      label: 'Gold',
      activities: [
        {
          id: 'gold',
          type: 'build_audience',
          options: { rule: { kind: 'condition', field: 'tier', op: '=', value: 'gold' } },
        },
        { id: 'wait', type: 'wait', options: { duration: { seconds: 1 } } },
        { id: 'end', type: 'end' },
      ],
      transitions: [
        { id: 't1', from: 'gold', to: 'wait' },
        { id: 't2', from: 'wait', to: 'end' },
      ],
    })
    expect(created.status).toBe(200)
    const id = created.body.id as string
    const run = await api('POST', `/campaigns/${id}/runs`, { mode: 'test' })
    expect(run.status).toBe(200)
    const stream = await readEvents(`/v1/orgs/shop/campaigns/${id}/runs/${run.body.id}/events`)
    expect(stream.status).toBe(200)
    expect(stream.type).toMatch(/^text\/event-stream/)
    const runs = stream.events.filter((e) => e.event === 'run').map((e) => e.data as { state: string })
    expect(runs.length).toBeGreaterThanOrEqual(2)
    expect(runs.at(-1)!.state).toBe('completed')
    expect(
      stream.events.some(
        (e) => e.event === 'log' && /completed/.test((e.data as { message: string }).message),
      ),
    ).toBe(true)
    const final = await api('GET', `/campaigns/${id}/runs/${run.body.id}`)
    expect(runs.at(-1)).toEqual(final.body)
    expect(final.body.transitions).toEqual({ t1: 2, t2: 2 })

    // A finished run: one event with the whole run, then the stream ends (a reconnect gets it again).
    const again = await readEvents(`/v1/orgs/shop/campaigns/${id}/runs/${run.body.id}/events`)
    expect(again.events.map((e) => e.event)).toEqual(['run'])
    expect(again.events[0]!.data).toEqual(final.body)
  })

  it('refuses callers without a credential, other orgs and runs of another campaign', async () => {
    const list = await api('GET', '/campaigns')
    const c = list.body.campaigns[0]
    const runs = await api('GET', `/campaigns/${c.id}/runs`)
    const runId = runs.body.runs[0].id
    expect((await readEvents(`/v1/orgs/shop/campaigns/${c.id}/runs/${runId}/events`, {})).status).toBe(401)
    // An org the caller is not a member of is answered as for every org route (not found, no stream).
    const foreign = await readEvents(`/v1/orgs/other/campaigns/${c.id}/runs/${runId}/events`)
    expect(foreign.status).toBe(404)
    expect(foreign.type).not.toMatch(/event-stream/)
    const missing = await readEvents(`/v1/orgs/shop/campaigns/cmp_none/runs/${runId}/events`)
    expect(missing.status).toBe(404)
  })
})
