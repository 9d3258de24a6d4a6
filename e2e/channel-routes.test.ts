import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CampaignService } from '@ahub/campaigns'
import { parseSchemaText } from '@ahub/core'
import { type App, bootstrapAdmin, buildApp, openCampaigns, TokenRepository } from '@ahub/server'
import { AuditRepository, Store } from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSmtp } from '../packages/channels/src/test-support'

const SCHEMA = `
tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      email: { type: string }
      first_name: { type: string }
`
const PASSWORD = 'sw0rdfish-never-shown'

// Issue 16: the channel routes. Providers are admin-managed and write-only; preview reads, proof
// sends (the send permission); every route answers only the org in its path.
describe('channel routes', () => {
  let dir: string
  let store: Store
  let campaigns: CampaignService
  let app: App
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  const tokens: Record<'admin' | 'beta' | 'readWrite' | 'viewer', string> = {
    admin: '',
    beta: '',
    readWrite: '',
    viewer: '',
  }
  let campaign = ''

  async function api(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    who: keyof typeof tokens,
    body?: unknown,
    // biome-ignore lint/suspicious/noExplicitAny: parsed JSON answers, checked by the assertions
  ): Promise<{ status: number; json: any; raw: string }> {
    const res = await app.inject({
      method,
      url: `/v1/orgs/${url}`,
      headers: { authorization: `Bearer ${tokens[who]}` },
      ...(body === undefined ? {} : { payload: body as object }),
    })
    return { status: res.statusCode, json: res.body ? JSON.parse(res.body) : null, raw: res.body }
  }

  const provider = (port: number) => ({
    kind: 'email',
    host: '127.0.0.1',
    port,
    verifyCertificate: false,
    user: 'shop',
    password: PASSWORD,
    from: 'shop@example.org',
  })

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahub-e2e-channel-routes-'))
    smtp = await startSmtp({ onAuth: (_auth, _session, cb) => cb(null, { user: 'shop' }) })
    store = await Store.open({ dataDir: ':memory:' })
    for (const org of ['acme', 'beta']) {
      await store.createOrg(org, org)
      await store.catalog.apply(org, parseSchemaText(SCHEMA))
      const csv = join(dir, `${org}.csv`)
      writeFileSync(csv, 'id,email,first_name\np1,ann@example.com,Ann\np2,bob@example.com,\n')
      await store.ingestor.ingest(org, 'profiles', csv)
    }
    const first = await bootstrapAdmin(store, 'acme', true)
    tokens.admin = first.secret!
    tokens.beta = (await bootstrapAdmin(store, 'beta', true)).secret!
    const repo = new TokenRepository(store.engine)
    for (const [name, scopes] of [
      ['readWrite', ['read', 'write']],
      ['viewer', ['read']],
    ] as const)
      tokens[name] = (
        await repo.create({ org: 'acme', userId: first.user.id, name, scopes: [...scopes] })
      ).secret
    campaigns = await openCampaigns(store)
    app = await buildApp({ store, rateLimit: false, campaigns })
    await app.ready()
    const created = await api('POST', 'acme/campaigns', 'admin', {
      label: 'Welcome',
      activities: [
        {
          id: 'build',
          type: 'build_audience',
          options: { rule: { kind: 'condition', field: 'id', op: 'is not empty' } },
        },
        {
          id: 'mail',
          type: 'channel',
          options: {
            channel: 'email',
            provider: 'mail',
            address: 'email',
            personalisation: ['first_name', 'score'],
            template: {
              subject: 'Hello {{ first_name }}',
              html: '<p>Hi {{ first_name }}, score {{ score }}</p>',
              defaults: { first_name: 'there', score: 0 },
            },
          },
        },
      ],
      transitions: [{ id: 't', from: 'build', to: 'mail' }],
    })
    expect(created.status).toBe(200)
    campaign = created.json.id
  })

  afterAll(async () => {
    await app?.close()
    await campaigns?.close()
    await store?.close()
    await smtp?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('creates, reads, replaces and deletes a provider; settings are write-only, never in an answer or the audit log', async () => {
    expect(
      (await api('PUT', 'acme/channel-providers/mail', 'readWrite', provider(smtp.port))).json.error.code,
    ).toBe('FORBIDDEN')
    const put = await api('PUT', 'acme/channel-providers/mail', 'admin', provider(smtp.port))
    expect(put.status).toBe(200)
    expect(put.json).toMatchObject({ id: 'mail', kind: 'email' })
    expect(put.json.configured).toEqual([
      'from',
      'host',
      'maxConnections',
      'password',
      'port',
      'requireTls',
      'secure',
      'user',
      'verifyCertificate',
    ])
    const list = await api('GET', 'acme/channel-providers', 'viewer')
    expect(list.json.providers.map((p: { id: string }) => p.id)).toEqual(['mail'])
    const one = await api('GET', 'acme/channel-providers/mail', 'viewer')
    expect(one.json.createdAt).toBe(put.json.createdAt)
    for (const answer of [put.raw, list.raw, one.raw]) {
      expect(answer).not.toContain(PASSWORD)
      expect(answer).not.toContain('127.0.0.1')
    }
    const bad = await api('PUT', 'acme/channel-providers/mail', 'admin', {
      ...provider(1),
      port: 'x',
      secret: 1,
    })
    expect(bad.status).toBe(400)
    expect(bad.raw).not.toContain(PASSWORD)

    await api('PUT', 'acme/channel-providers/spare', 'admin', provider(smtp.port))
    expect((await api('DELETE', 'acme/channel-providers/spare', 'readWrite')).status).toBe(403)
    expect((await api('DELETE', 'acme/channel-providers/spare', 'admin')).status).toBe(204)
    expect((await api('GET', 'acme/channel-providers/spare', 'viewer')).json.error.code).toBe(
      'CHANNEL_PROVIDER_NOT_FOUND',
    )
    const audit = JSON.stringify(await new AuditRepository(store.engine).list({ org: 'acme', limit: 100 }))
    expect(audit).toContain('channel.provider.put')
    expect(audit).toContain('channel.provider.delete')
    expect(audit).not.toContain(PASSWORD)
  })

  it("keeps each org's providers, previews and proofs to itself", async () => {
    expect((await api('GET', 'acme/channel-providers', 'beta')).json.error.code).toBe('ORG_NOT_FOUND')
    expect((await api('GET', 'acme/channel-providers/mail', 'beta')).status).toBe(404)
    expect((await api('PUT', 'acme/channel-providers/mail', 'beta', provider(1))).status).toBe(404)
    expect((await api('DELETE', 'acme/channel-providers/mail', 'beta')).status).toBe(404)
    expect((await api('GET', 'beta/channel-providers', 'beta')).json.providers).toEqual([])
    expect((await api('GET', 'beta/channel-providers/mail', 'beta')).json.error.code).toBe(
      'CHANNEL_PROVIDER_NOT_FOUND',
    )
    expect(
      (await api('POST', `acme/campaigns/${campaign}/activities/mail/preview`, 'beta', { profile: 'p1' }))
        .status,
    ).toBe(404)
    expect(
      (
        await api('POST', `acme/campaigns/${campaign}/activities/mail/proof`, 'beta', {
          to: ['qa@example.com'],
        })
      ).status,
    ).toBe(404)
    // The same provider id in beta is beta's own, sealed under its own org and id.
    expect((await api('PUT', 'beta/channel-providers/mail', 'beta', provider(smtp.port))).status).toBe(200)
    expect((await api('GET', 'acme/channel-providers', 'admin')).json.providers).toHaveLength(1)
  })

  it('previews the message for a profile, defaults filling missing values and columns the dimension lacks', async () => {
    const ann = await api('POST', `acme/campaigns/${campaign}/activities/mail/preview`, 'viewer', {
      profile: 'p1',
    })
    expect(ann.status).toBe(200)
    expect(ann.json).toEqual({
      profile: 'p1',
      to: 'ann@example.com',
      message: { subject: 'Hello Ann', html: '<p>Hi Ann, score 0</p>' },
      missing: ['score'],
    })
    const bob = await api('POST', `acme/campaigns/${campaign}/activities/mail/preview`, 'viewer', {
      profile: 'p2',
    })
    expect(bob.json.message.subject).toBe('Hello there')
    const none = await api('POST', `acme/campaigns/${campaign}/activities/mail/preview`, 'viewer', {
      profile: 'nobody',
    })
    expect(none).toMatchObject({ status: 404, json: { error: { code: 'CHANNEL_PROFILE_NOT_FOUND' } } })
    const build = await api('POST', `acme/campaigns/${campaign}/activities/build/preview`, 'viewer', {
      profile: 'p1',
    })
    expect(build).toMatchObject({ status: 404, json: { error: { code: 'CHANNEL_ACTIVITY_NOT_FOUND' } } })
  })

  it('sends a proof to test addresses only with the send permission, marked and outside the ledger', async () => {
    const url = `acme/campaigns/${campaign}/activities/mail/proof`
    const denied = await api('POST', url, 'readWrite', { to: ['qa@example.com'] })
    expect(denied).toMatchObject({ status: 403, json: { error: { code: 'FORBIDDEN' } } })
    const invalid = await api('POST', url, 'admin', { to: ['qa@example.com', 'not an address'] })
    expect(invalid).toMatchObject({ status: 400, json: { error: { code: 'CHANNEL_ADDRESS_INVALID' } } })
    const before = smtp.received.length
    expect(before).toBe(0)
    const sent = await api('POST', url, 'admin', {
      to: ['qa@example.com', 'boss@example.com'],
      profile: 'p1',
    })
    expect(sent.json).toEqual({
      outcomes: [
        { to: 'qa@example.com', status: 'sent' },
        { to: 'boss@example.com', status: 'sent' },
      ],
    })
    expect(
      smtp.received.map((r) => [r.envelopeTo[0], r.mail.subject, r.mail.headers.get('x-audience-hub-proof')]),
    ).toEqual([
      ['qa@example.com', '[Proof] Hello Ann', 'true'],
      ['boss@example.com', '[Proof] Hello Ann', 'true'],
    ])
    const ledger = await store.engine.query<{ n: number }>('SELECT count(*) AS n FROM meta.channel_messages')
    expect(Number(ledger[0]!.n)).toBe(0)
    // A provider that refuses the connection: a coded error, nothing sent.
    await api('PUT', 'acme/channel-providers/mail', 'admin', provider(1))
    const refused = await api('POST', url, 'admin', { to: ['qa@example.com'] })
    expect(refused).toMatchObject({ status: 502, json: { error: { code: 'CHANNEL_PROVIDER_UNREACHABLE' } } })
    await api('PUT', 'acme/channel-providers/mail', 'admin', provider(smtp.port))
  })

  it('a read-write token cannot publish a campaign that sends: delivering needs the send permission', async () => {
    const publish = await api('POST', `acme/campaigns/${campaign}/publish`, 'readWrite')
    expect(publish).toMatchObject({
      status: 403,
      json: { error: { code: 'FORBIDDEN', details: { needs: ['send'], activities: ['mail'] } } },
    })
  })

  it('documents the channel routes in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: object }
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/orgs/{org}/channel-providers',
        '/v1/orgs/{org}/channel-providers/{id}',
        '/v1/orgs/{org}/campaigns/{id}/activities/{activity}/preview',
        '/v1/orgs/{org}/campaigns/{id}/activities/{activity}/proof',
        '/v1/orgs/{org}/campaigns/{id}/runs/{run}/activities/{activity}/deliveries',
        '/v1/orgs/{org}/campaigns/{id}/runs/{run}/activities/{activity}/delivery-report',
      ]),
    )
  })
})
