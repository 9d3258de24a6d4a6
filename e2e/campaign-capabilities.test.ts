import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CampaignService } from '@ahub/campaigns'
import { parseSchemaText } from '@ahub/core'
import { HubService, InProcessHubClient } from '@ahub/hub'
import { type App, bootstrapAdmin, buildApp, openCampaigns, TokenRepository } from '@ahub/server'
import { migrateSharing, SharingService } from '@ahub/sharing'
import { Store } from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const SCHEMA = `
tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      email: { type: string, identity: { namespace: email, primary: true } }
`

// Issue 13, item 3: the share permission is checked where the effect happens, so a campaign is no
// way around it. Every step goes through the HTTP API but the scheduler's tick.
describe('a campaign that shares needs the share permission, at publish, start and the effect', () => {
  let dir: string
  let store: Store
  let hub: HubService
  let sharing: SharingService
  let campaigns: CampaignService
  let app: App
  let admin = ''
  let readWrite = ''
  let dataSource = ''

  async function api(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    bearer: string,
    body?: unknown,
    // biome-ignore lint/suspicious/noExplicitAny: parsed JSON answers, checked by the assertions
  ): Promise<{ status: number; json: any }> {
    const res = await app.inject({
      method,
      url: `/v1/orgs/acme${url}`,
      headers: { authorization: `Bearer ${bearer}` },
      ...(body === undefined ? {} : { payload: body as object }),
    })
    return { status: res.statusCode, json: res.body ? JSON.parse(res.body) : null }
  }

  /** A marketer of acme with a token holding read, write and share. */
  async function marketer(
    name: string,
  ): Promise<{ id: string; email: string; token: string; tokenId: string }> {
    const email = `${name}@example.com`
    const added = await api('POST', '/members', admin, { email, role: 'marketer' })
    expect(added.status).toBe(201)
    const { token, secret } = await new TokenRepository(store.engine).create({
      org: 'acme',
      userId: added.json.user.id,
      name,
      scopes: ['read', 'write', 'share'],
    })
    return { id: added.json.user.id, email, token: secret, tokenId: token.id }
  }

  /** Build everyone -> Save audience shared with beta, optionally launched once by a Scheduler. */
  function definition(label: string, at?: string) {
    return {
      label,
      activities: [
        ...(at ? [{ id: 'when', type: 'scheduler', options: { schedule: { kind: 'once', at } } }] : []),
        {
          id: 'build',
          type: 'build_audience',
          options: { rule: { kind: 'condition', field: 'id', op: 'is not empty' } },
        },
        {
          id: 'save',
          type: 'save_audience',
          options: { label, share: { dataSource, target: { newName: label, sharedWith: ['beta'] } } },
        },
      ],
      transitions: [
        ...(at ? [{ id: 't_when', from: 'when', to: 'build' }] : []),
        { id: 't_in', from: 'build', to: 'save' },
      ],
    }
  }

  const sharedNames = async () =>
    ((await api('GET', '/sharing/shared-audiences', admin)).json.sharedAudiences as { name: string }[]).map(
      (a) => a.name,
    )

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahub-e2e-capabilities-'))
    store = await Store.open({ dataDir: join(dir, 'data') })
    await migrateSharing(store.engine)
    for (const org of ['acme', 'beta']) {
      await store.createOrg(org, org)
      await store.catalog.apply(org, parseSchemaText(SCHEMA))
      const csv = join(dir, `${org}.csv`)
      writeFileSync(csv, 'id,email\np1,ann@example.com\np2,bob@example.com\n')
      await store.ingestor.ingest(org, 'profiles', csv)
    }
    const first = await bootstrapAdmin(store, 'acme', true)
    admin = first.secret!
    readWrite = (
      await new TokenRepository(store.engine).create({
        org: 'acme',
        userId: first.user.id,
        name: 'read write',
        scopes: ['read', 'write'],
      })
    ).secret
    hub = await HubService.open({ dataDir: join(dir, 'hub'), env: {} })
    sharing = new SharingService(store, { hub: (org) => new InProcessHubClient(hub, org) })
    campaigns = await openCampaigns(store, sharing)
    app = await buildApp({ store, rateLimit: false, sharing, campaigns })
    await app.ready()
    const ds = await api('POST', '/sharing/data-sources', admin, {
      label: 'E-mail SHA-256',
      alias: 'email-sha',
      idType: 'declared',
      namespace: 'email',
      channel: 'email',
      protection: { kind: 'sha256' },
    })
    expect(ds.status).toBe(200)
    dataSource = ds.json.id
  })

  afterAll(async () => {
    await app?.close()
    await campaigns?.close()
    await store?.close()
    await hub?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('refuses a read-write token at publish and at a live start, as it refuses a direct export', async () => {
    const vip = await api('POST', '/audiences', readWrite, { type: 'list', label: 'VIP', members: ['p1'] })
    expect(vip.status).toBe(200)
    const direct = await api('POST', '/sharing/exports', readWrite, {
      audience: vip.json.audience.id,
      dataSource,
      target: { newName: 'Direct', sharedWith: ['beta'] },
    })
    expect(direct).toMatchObject({ status: 403, json: { error: { code: 'FORBIDDEN' } } })

    const created = await api('POST', '/campaigns', readWrite, definition('Around'))
    expect(created.status).toBe(200)
    const id = created.json.id as string
    const publish = await api('POST', `/campaigns/${id}/publish`, readWrite)
    expect(publish).toMatchObject({
      status: 403,
      json: { error: { code: 'FORBIDDEN', details: { needs: ['share'], activities: ['save'] } } },
    })
    expect((await api('GET', `/campaigns/${id}`, readWrite)).json.campaign.status).toBe('draft')
    // Test mode shares nothing, so it needs nothing more than write.
    expect((await api('POST', `/campaigns/${id}/runs`, readWrite, { mode: 'test' })).status).toBe(200)

    // Published by the admin, the campaign still cannot be started live by the read-write token.
    for (;;) {
      const c = (await api('GET', `/campaigns/${id}`, admin)).json.campaign
      if (c.state !== 'testing') break
      await new Promise((r) => setTimeout(r, 50))
    }
    expect((await api('POST', `/campaigns/${id}/publish`, admin)).status).toBe(200)
    const start = await api('POST', `/campaigns/${id}/runs`, readWrite, { mode: 'live' })
    expect(start).toMatchObject({ status: 403, json: { error: { code: 'FORBIDDEN' } } })
    expect(await sharedNames()).not.toContain('Around')

    // The admin token (share included) starts it; the run records who answers for it.
    const run = await api('POST', `/campaigns/${id}/runs`, admin, { mode: 'live' })
    expect(run.status).toBe(200)
    expect(run.json.startedBy).toMatchObject({ kind: 'token', capabilities: ['share', 'send'] })
    await campaigns.settled(run.json.id)
    expect((await api('GET', `/campaign-runs/${run.json.id}`, admin)).json.state).toBe('completed')
    expect(await sharedNames()).toContain('Around')
  })

  it('fails the share of a scheduled run whose publisher lost the right since, with CAMPAIGN_NOT_PERMITTED', async () => {
    const at = new Date(Date.now() + 30_000).toISOString()
    const cases = {
      revoked: await marketer('revoked'),
      demoted: await marketer('demoted'),
      removed: await marketer('removed'),
      kept: await marketer('kept'),
    }
    const ids: Record<string, string> = {}
    for (const [name, m] of Object.entries(cases)) {
      const c = await api('POST', '/campaigns', m.token, definition(`Scheduled ${name}`, at))
      expect(c.status).toBe(200)
      expect((await api('POST', `/campaigns/${c.json.id}/publish`, m.token)).status).toBe(200)
      ids[name] = c.json.id
    }
    expect((await api('DELETE', `/tokens/${cases.revoked.tokenId}`, admin)).status).toBe(200)
    expect((await api('PUT', `/members/${cases.demoted.email}`, admin, { role: 'viewer' })).status).toBe(200)
    expect((await api('DELETE', `/members/${cases.removed.email}`, admin)).status).toBe(200)

    const tick = await campaigns.tickSchedules(new Date(Date.now() + 60_000))
    expect(tick.refused).toEqual([])
    expect(tick.started).toHaveLength(4)
    const reasons: Record<string, string | null> = {}
    for (const runId of tick.started) {
      await campaigns.settled(runId)
      const run = (await api('GET', `/campaign-runs/${runId}`, admin)).json
      const name = Object.keys(ids).find((k) => ids[k] === run.campaign)!
      expect(run.startedBy).toMatchObject({
        userId: cases[name as keyof typeof cases].id,
        capabilities: ['share'],
      })
      const save = run.tasks.find((t: { activity: string }) => t.activity === 'save')
      if (name === 'kept') {
        expect(run.state).toBe('completed')
        reasons[name] = null
        continue
      }
      expect(run).toMatchObject({ state: 'paused', error: { code: 'CAMPAIGN_NOT_PERMITTED' } })
      expect(save).toMatchObject({ status: 'failed', error: { code: 'CAMPAIGN_NOT_PERMITTED' } })
      const logs = (await api('GET', `/campaigns/${run.campaign}/runs/${runId}/logs`, admin)).json.events
      const failed = logs.find((e: { code: string | null }) => e.code === 'CAMPAIGN_NOT_PERMITTED')
      expect(failed).toMatchObject({ activity: 'save', level: 'error' })
      reasons[name] = /\(([A-Z_]+)\)\s*\(run suspended\)$/.exec(failed.message)?.[1] ?? failed.message
    }
    expect(reasons).toEqual({
      revoked: 'TOKEN_REVOKED',
      demoted: 'CAPABILITY_WITHDRAWN',
      removed: 'NOT_A_MEMBER',
      kept: null,
    })
    const names = await sharedNames()
    expect(names).toContain('Scheduled kept')
    for (const name of ['revoked', 'demoted', 'removed']) expect(names).not.toContain(`Scheduled ${name}`)
  })
})
