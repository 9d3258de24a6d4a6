import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CampaignService } from '@ahub/campaigns'
import { parseSchemaText } from '@ahub/core'
import { type HubClient, HubService, InProcessHubClient } from '@ahub/hub'
import { type App, bootstrapAdmin, buildApp, openCampaigns } from '@ahub/server'
import { migrateSharing, SharingService } from '@ahub/sharing'
import { Store } from '@ahub/store'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const SCHEMA = `
tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      email: { type: string, identity: { namespace: email, primary: true } }
`

interface LogLine {
  level: number
  msg: string
  component?: string
  err?: { message: string }
  [key: string]: unknown
}

// Issue 19, point 1: work no caller waits for (a scheduler tick, a push from the hub) logs every
// failure it catches, with its context, and the object shows its last error through the API.
describe('background failures are logged and shown on the object', () => {
  let dir: string
  let store: Store
  let hub: HubService
  let sharing: SharingService
  let campaigns: CampaignService
  let app: App
  const tokens: Record<string, string> = {}
  const lines: LogLine[] = []
  let downloadsFail = false

  async function api(
    org: string,
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
    // biome-ignore lint/suspicious/noExplicitAny: parsed JSON answers, checked by the assertions
  ): Promise<{ status: number; json: any }> {
    const res = await app.inject({
      method,
      url: `/v1/orgs/${org}${url}`,
      headers: { authorization: `Bearer ${tokens[org]}` },
      ...(body === undefined ? {} : { payload: body as object }),
    })
    return { status: res.statusCode, json: res.body ? JSON.parse(res.body) : null }
  }

  async function until<T>(what: () => Promise<T> | T, done: (v: T) => boolean): Promise<T> {
    const started = Date.now()
    for (;;) {
      const v = await what()
      if (done(v) || Date.now() - started > 10_000) return v
      await new Promise((r) => setTimeout(r, 25))
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahub-e2e-background-'))
    // The services' pino logger, its JSON lines captured as they are written.
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) })
    store = await Store.open({ dataDir: join(dir, 'data'), logger })
    await migrateSharing(store.engine)
    for (const org of ['acme', 'beta']) {
      await store.createOrg(org, org)
      await store.catalog.apply(org, parseSchemaText(SCHEMA))
      const csv = join(dir, `${org}.csv`)
      writeFileSync(csv, 'id,email\np1,ann@example.com\np2,bob@example.com\n')
      await store.ingestor.ingest(org, 'profiles', csv)
      tokens[org] = (await bootstrapAdmin(store, org, true)).secret!
    }
    hub = await HubService.open({ dataDir: join(dir, 'hub'), env: {} })
    // beta's downloads can be made to fail as a full disk would: not a hub outage, so no retry.
    const client = (org: string): HubClient => {
      const real = new InProcessHubClient(hub, org)
      return new Proxy(real, {
        get(target, key) {
          if (key === 'downloadMembers' && org === 'beta' && downloadsFail)
            return async () => {
              throw new Error('ENOSPC: no space left on device')
            }
          const v = Reflect.get(target, key)
          return typeof v === 'function' ? v.bind(target) : v
        },
      })
    }
    sharing = new SharingService(store, { hub: client, retry: { attempts: 2, delayMs: 1 } })
    campaigns = await openCampaigns(store, sharing)
    app = await buildApp({ store, rateLimit: false, sharing, campaigns })
    await app.ready()
  })

  afterAll(async () => {
    await app?.close()
    await campaigns?.close()
    await sharing?.stopFollowing()
    await store?.close()
    await hub?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('a scheduled launch refused at each tick is logged and shown as the campaign last schedule error', async () => {
    const created = await api('acme', 'POST', '/campaigns', {
      label: 'Nightly',
      activities: [
        {
          id: 'when',
          type: 'scheduler',
          options: { schedule: { kind: 'once', at: new Date(Date.now() + 1500).toISOString() } },
        },
        {
          id: 'build',
          type: 'build_audience',
          options: { rule: { kind: 'condition', field: 'id', op: 'is not empty' } },
        },
        { id: 'save', type: 'save_audience', options: { label: 'Nightly' } },
      ],
      transitions: [
        { id: 't_when', from: 'when', to: 'build' },
        { id: 't_in', from: 'build', to: 'save' },
      ],
    })
    expect(created.status).toBe(200)
    const id = created.json.id as string
    expect((await api('acme', 'POST', `/campaigns/${id}/publish`)).status).toBe(200)
    // The field the rule reads is gone by launch time (a stored definition no longer valid).
    await store.engine.run(
      `UPDATE meta.campaigns SET definition = replace(definition, '"field":"id"', '"field":"gone"') WHERE id = $1`,
      [id],
    )
    campaigns.startScheduling(50)
    const refused = await until(
      () => lines.filter((l) => l.msg.startsWith('scheduled launch refused') && l.campaign === id),
      (found) => found.length >= 2,
    )
    expect(refused.length).toBeGreaterThanOrEqual(2)
    expect(refused[0]).toMatchObject({ level: 40, component: 'campaigns', code: 'CAMPAIGN_INVALID' })
    const shown = await api('acme', 'GET', `/campaigns/${id}`)
    expect(shown.status).toBe(200)
    expect(shown.json.lastScheduleError).toMatchObject({ code: 'CAMPAIGN_INVALID' })
    expect(Date.parse(shown.json.lastScheduleError.at)).not.toBeNaN()

    // Repaired, the next tick launches it and the error goes.
    await store.engine.run(
      `UPDATE meta.campaigns SET definition = replace(definition, '"field":"gone"', '"field":"id"') WHERE id = $1`,
      [id],
    )
    const after = await until(
      () => api('acme', 'GET', `/campaigns/${id}`),
      (r) => r.json.lastScheduleError === null,
    )
    expect(after.json.lastScheduleError).toBeNull()
    expect(after.json.campaign.lastRun).not.toBeNull()
  })

  it('a sync started by a hub push that fails is logged and shown as the import last error', async () => {
    const ds = await api('acme', 'POST', '/sharing/data-sources', {
      label: 'E-mail SHA-256',
      alias: 'email-sha',
      idType: 'declared',
      namespace: 'email',
      channel: 'email',
      protection: { kind: 'sha256' },
    })
    expect(ds.status).toBe(200)
    const vip = (await store.audiences.create('acme', { type: 'list', label: 'VIP', members: ['p1', 'p2'] }))
      .audience
    const annOnly = (await store.audiences.create('acme', { type: 'list', label: 'Ann', members: ['p1'] }))
      .audience
    const exported = await api('acme', 'POST', '/sharing/exports', {
      audience: vip.id,
      dataSource: ds.json.id,
      target: { newName: 'VIP', sharedWith: ['beta'] },
    })
    expect(exported.status).toBe(200)
    const sharedAudience = exported.json.sharedAudience as string
    const imported = await api('beta', 'POST', '/sharing/imports', { sharedAudience, label: 'VIP' })
    expect(imported.status).toBe(200)
    const audience = imported.json.audience.id as string
    await sharing.startFollowing()

    downloadsFail = true
    const again = await api('acme', 'POST', '/sharing/exports', {
      audience: annOnly.id,
      dataSource: ds.json.id,
      target: { sharedAudience },
      mode: 'mirror',
    })
    expect(again.status).toBe(200)
    const failed = await until(
      () => lines.find((l) => l.msg === 'sync after a hub push failed'),
      (l) => l !== undefined,
    )
    await sharing.idle()
    expect(failed).toMatchObject({
      level: 50,
      component: 'sharing',
      org: 'beta',
      audience,
      sharedAudience,
      version: 2,
      err: { message: expect.stringContaining('ENOSPC') },
    })
    const [imp] = (await api('beta', 'GET', '/sharing/imports')).json.imports
    expect(imp).toMatchObject({ audience, lastVersion: 1, lastError: { code: 'INTERNAL' } })

    // A sync that succeeds clears it.
    downloadsFail = false
    expect((await api('beta', 'POST', `/sharing/imports/${audience}/sync`)).status).toBe(200)
    const [fixed] = (await api('beta', 'GET', '/sharing/imports')).json.imports
    expect(fixed).toMatchObject({ audience, lastVersion: 2, lastError: null })
  })
})
