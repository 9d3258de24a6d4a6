import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseSchemaText, type SyncJob, sha256Hex } from '@ahub/core'
import { HubService, InProcessHubClient } from '@ahub/hub'
import { type App, bootstrapAdmin, buildApp, TokenRepository } from '@ahub/server'
import { migrateSharing, SharingService } from '@ahub/sharing'
import { Store } from '@ahub/store'
import { Command } from 'commander'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shareCommands } from '../packages/cli/src/commands/share'

const SCHEMA = `
tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      email: { type: string, identity: { namespace: email, primary: true } }
      crm_id: { type: string, identity: { namespace: crm }, labels: [no-share] }
      consent: { type: boolean, labels: [consent] }
`

// Two orgs of one installation exchange an audience through the in-process hub, every step
// through the HTTP API: acme exports its VIPs, beta imports them, acme's audience changes and
// beta's import follows by push.
describe('sharing through the HTTP API with an in-process hub', () => {
  let dir: string
  let store: Store
  let hub: HubService
  let sharing: SharingService
  let app: App
  const token = { acme: '', beta: '', acmeNoShare: '' }

  async function api(
    org: 'acme' | 'beta',
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
    bearer = token[org],
    // biome-ignore lint/suspicious/noExplicitAny: parsed JSON answers, checked by the assertions
  ): Promise<{ status: number; json: any; text: string }> {
    const res = await app.inject({
      method,
      url: `/v1/orgs/${org}${url}`,
      headers: { authorization: `Bearer ${bearer}` },
      ...(body === undefined ? {} : { payload: body as object }),
    })
    let json: unknown = null
    try {
      json = JSON.parse(res.body)
    } catch {
      json = null
    }
    return { status: res.statusCode, json, text: res.body }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahub-e2e-sharing-'))
    store = await Store.open({ dataDir: join(dir, 'data') })
    await migrateSharing(store.engine)
    const people = {
      acme: [
        'a1,ann@example.com,C1,true',
        'a2,bob@example.com,C2,true',
        'a3,cat@example.com,C3,false',
        'a4,,C4,true',
      ],
      beta: ['b1,ann@example.com,X1,', 'b2,bob@example.com,X2,', 'b3,dan@example.com,X3,'],
    }
    for (const org of ['acme', 'beta'] as const) {
      await store.createOrg(org, org)
      await store.catalog.apply(org, parseSchemaText(SCHEMA))
      const csv = join(dir, `${org}.csv`)
      writeFileSync(csv, `id,email,crm_id,consent\n${people[org].join('\n')}\n`)
      await store.ingestor.ingest(org, 'profiles', csv)
      token[org] = (await bootstrapAdmin(store, org, true)).secret!
    }
    const admin = await bootstrapAdmin(store, 'acme', false)
    token.acmeNoShare = (
      await new TokenRepository(store.engine).create({
        org: 'acme',
        userId: admin.user.id,
        name: 'no share',
        scopes: ['read', 'write'],
      })
    ).secret
    hub = await HubService.open({ dataDir: join(dir, 'hub'), env: {} })
    sharing = new SharingService(store, { hub: (org) => new InProcessHubClient(hub, org) })
    app = await buildApp({ store, rateLimit: false, sharing })
    await app.ready()
    await sharing.startFollowing()
  })

  afterAll(async () => {
    await sharing?.stopFollowing()
    await app?.close()
    await store?.close()
    await hub?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('exports, imports with a match report, and follows the change by push', async () => {
    const ds = await api('acme', 'POST', '/sharing/data-sources', {
      label: 'E-mail SHA-256',
      alias: 'email-sha',
      idType: 'declared',
      namespace: 'email',
      channel: 'email',
      protection: { kind: 'sha256' },
    })
    expect(ds.status).toBe(200)
    const vip = await api('acme', 'POST', '/audiences', {
      type: 'list',
      label: 'VIP',
      members: ['a1', 'a2', 'a3', 'a4'],
    })
    expect(vip.status).toBe(200)
    const audience = vip.json.audience.id as string

    const denied = await api(
      'acme',
      'POST',
      '/sharing/exports',
      { audience, dataSource: ds.json.id, target: { newName: 'VIP', sharedWith: ['beta'] } },
      token.acmeNoShare,
    )
    expect(denied.status).toBe(403)

    const exp = await api('acme', 'POST', '/sharing/exports', {
      audience,
      dataSource: ds.json.id,
      target: { newName: 'VIP', sharedWith: ['beta'] },
      consentField: 'consent',
    })
    expect(exp.status).toBe(200)
    expect(exp.json).toMatchObject({
      state: 'succeeded',
      direction: 'export',
      sharedVersion: 1,
      counts: { received: 4, exported: 2, unmapped: 1, withoutConsent: 1 },
    })
    const unmapped = await api('acme', 'GET', `/sharing/jobs/${exp.json.id}/report`)
    expect(unmapped.text).toBe(
      'id,outcome,reason\na3,no_consent,consent is not true\na4,unmapped,no email identity\n',
    )

    const seen = await api('beta', 'GET', '/sharing/shared-audiences')
    expect(seen.json.sharedAudiences.map((a: { name: string }) => a.name)).toEqual(['VIP'])
    const sa = seen.json.sharedAudiences[0].id as string

    const imp = await api('beta', 'POST', '/sharing/imports', { sharedAudience: sa, label: 'VIP from acme' })
    expect(imp.status).toBe(200)
    expect(imp.json.audience).toMatchObject({ type: 'shared', size: 2, origin: { kind: 'shared', ref: sa } })
    expect(imp.json.job.counts).toMatchObject({ received: 2, matched: 2, unmatched: 0 })
    const members = await api('beta', 'GET', `/audiences/${imp.json.audience.id}/members`)
    expect(members.json.members.map((m: { member: string }) => m.member).sort()).toEqual(['b1', 'b2'])

    // acme adds cat (now consenting) and a stranger; beta's import follows by push.
    const csv = join(dir, 'acme-2.csv')
    writeFileSync(csv, 'id,email,crm_id,consent\na3,cat@example.com,C3,true\na5,eve@example.com,C5,true\n')
    await store.ingestor.ingest('acme', 'profiles', csv)
    const more = await api('acme', 'POST', '/audiences', {
      type: 'list',
      label: 'More VIP',
      members: ['a3', 'a5'],
    })
    const again = await api('acme', 'POST', '/sharing/exports', {
      audience: more.json.audience.id,
      dataSource: ds.json.id,
      target: { sharedAudience: sa },
    })
    expect(again.json).toMatchObject({ state: 'succeeded', sharedVersion: 2, counts: { exported: 2 } })
    const started = Date.now()
    let jobs: SyncJob[] = []
    while (Date.now() - started < 10_000) {
      jobs = (await api('beta', 'GET', `/sharing/jobs?audience=${imp.json.audience.id}`)).json.jobs
      if (jobs.some((j) => j.sharedVersion === 2 && j.state === 'succeeded')) break
      await new Promise((r) => setTimeout(r, 25))
    }
    const followed = jobs.find((j) => j.sharedVersion === 2)!
    expect(followed).toMatchObject({
      state: 'succeeded',
      counts: { received: 4, matched: 2, unmatched: 2 },
    })
    expect(followed.latencyMs).toBeLessThan(5_000)
    const report = await api('beta', 'GET', `/sharing/jobs/${followed.id}/report`)
    expect(report.text.split('\n').slice(1, -1).sort()).toEqual(
      [
        `${sha256Hex('cat@example.com')},unmatched,no profile has this email identity`,
        `${sha256Hex('eve@example.com')},unmatched,no profile has this email identity`,
      ].sort(),
    )
    const job = await api('beta', 'GET', `/sharing/jobs/${followed.id}`)
    expect(job.json.id).toBe(followed.id)
    const imports = await api('beta', 'GET', '/sharing/imports')
    expect(imports.json.imports).toMatchObject([{ audience: imp.json.audience.id, lastVersion: 2 }])
  })

  it('refuses an export through a no-share field, and answers coded errors', async () => {
    const crm = await api('acme', 'POST', '/sharing/data-sources', {
      label: 'CRM',
      alias: 'crm',
      idType: 'declared',
      namespace: 'crm',
    })
    const list = await api('acme', 'POST', '/audiences', {
      type: 'list',
      label: 'All',
      members: ['a1', 'a2'],
    })
    const blocked = await api('acme', 'POST', '/sharing/exports', {
      audience: list.json.audience.id,
      dataSource: crm.json.id,
      target: { newName: 'CRM', sharedWith: [] },
    })
    expect(blocked.status).toBe(409)
    expect(blocked.json.error).toMatchObject({
      code: 'SHARE_GOVERNANCE_BLOCKED',
      details: { blocked: [{ table: 'profiles', field: 'crm_id', label: 'no-share' }] },
    })
    expect((await api('beta', 'GET', '/sharing/jobs/job_nope')).json.error.code).toBe('SHARE_JOB_NOT_FOUND')
    expect((await api('beta', 'POST', `/sharing/imports/${list.json.audience.id}/sync`)).status).toBe(404)
    // acme's jobs are not beta's.
    const acmeJobs = (await api('acme', 'GET', '/sharing/jobs')).json.jobs
    const other = await api('beta', 'GET', `/sharing/jobs/${acmeJobs[0].id}/report`)
    expect(other.status).toBe(404)
    const bad = await api('acme', 'POST', '/sharing/exports', { audience: 'x', dataSource: 'y', target: {} })
    expect(bad.status).toBe(400)
  })
})

// `ahub share ...` in local mode: the data directory and its embedded hub, two orgs.
describe('ahub share (local mode)', () => {
  let dir: string
  let dataDir: string
  let audience: string

  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON output, checked by the assertions
  async function cli(org: string, args: string[], json = true): Promise<any> {
    const program = new Command().exitOverride()
    shareCommands(program, () => ({ dataDir, org, json }))
    let out = ''
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string) => {
      out += chunk
      return true
    }) as typeof process.stdout.write
    try {
      await program.parseAsync(['share', ...args], { from: 'user' })
    } finally {
      process.stdout.write = write
    }
    return json ? JSON.parse(out) : out
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahub-e2e-share-cli-'))
    dataDir = join(dir, 'data')
    const store = await Store.open({ dataDir })
    for (const org of ['acme', 'beta']) {
      await store.createOrg(org, org)
      await store.catalog.apply(org, parseSchemaText(SCHEMA))
      const csv = join(dir, `${org}.csv`)
      writeFileSync(csv, 'id,email,crm_id,consent\nx1,ann@example.com,C1,true\nx2,bob@example.com,C2,true\n')
      await store.ingestor.ingest(org, 'profiles', csv)
    }
    audience = (await store.audiences.create('acme', { type: 'list', label: 'VIP', members: ['x1', 'x2'] }))
      .audience.id
    await store.close()
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('creates a source, exports, imports, lists jobs and prints the report', async () => {
    const spec = join(dir, 'source.json')
    writeFileSync(
      spec,
      JSON.stringify({
        label: 'Mail',
        alias: 'mail',
        idType: 'declared',
        namespace: 'email',
        protection: { kind: 'hmac-sha256', key: 'c2VjcmV0IGtleQ==' },
      }),
    )
    const ds = await cli('acme', ['sources', '--create', spec])
    expect(ds).toMatchObject({ alias: 'mail', protection: { kind: 'hmac-sha256', hasKey: true } })
    expect(JSON.stringify(ds)).not.toContain('c2VjcmV0IGtleQ')
    const exp = await cli('acme', [
      'export',
      audience,
      '--data-source',
      ds.id,
      '--name',
      'VIP',
      '--share-with',
      'beta',
    ])
    expect(exp).toMatchObject({ state: 'succeeded', counts: { exported: 2 } })
    const shared = await cli('beta', ['audiences'])
    expect(shared.sharedAudiences).toMatchObject([{ name: 'VIP', owner: 'acme', size: 2 }])
    const imp = await cli('beta', ['import', exp.sharedAudience, '--label', 'From acme'])
    expect(imp.job.counts).toMatchObject({ received: 2, matched: 2 })
    const jobs = await cli('beta', ['jobs'])
    expect(jobs.jobs.map((j: { id: string }) => j.id)).toEqual([imp.job.id])
    expect(await cli('beta', ['report', imp.job.id], false)).toBe('id,outcome,reason\n')
    const table = await cli('beta', ['jobs'], false)
    expect(table).toContain(imp.job.id)
    const sync = await cli('beta', ['sync', imp.audience.id])
    expect(sync).toMatchObject({ state: 'succeeded', counts: { matched: 2 } })
  })
})
