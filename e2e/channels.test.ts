import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CampaignService } from '@ahub/campaigns'
import { parseSchemaText } from '@ahub/core'
import { type App, bootstrapAdmin, buildApp, openCampaigns, openChannels } from '@ahub/server'
import { Store } from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSmtp } from '../packages/channels/src/test-support'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'packages/cli/bin/ahub.js')
const SCHEMA = `
tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      email: { type: string }
      first_name: { type: string }
      city: { type: string }
      newsletter_ok: { type: boolean }
`
// p1-p4 receive; p5 has no address, p6 an invalid one, p7 no consent; p8's address is refused (550).
const PROFILES = `id,email,first_name,city,newsletter_ok
p1,ann@example.com,Ann,Paris,true
p2,bob@example.com,Bob,,true
p3,cem@example.com,,Lyon,true
p4,dua@example.com,Dua,Nice,true
p5,,Eve,Paris,true
p6,not-an-address,Fay,Paris,true
p7,gus@example.com,Gus,Paris,false
p8,bounce@example.com,Hal,Paris,true
`

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs the real CLI in a child process; never rejects, so exit codes can be asserted. */
function ahub(dataDir: string, env: Record<string, string>, ...args: string[]): Promise<Run> {
  const childEnv = { ...process.env, ...env }
  for (const name of ['AHUB_URL', 'AHUB_SERVER', 'AHUB_TOKEN', 'AHUB_DATA_DIR', 'AHUB_MASTER_KEY'])
    delete childEnv[name]
  childEnv.AHUB_CONFIG = join(dataDir, '..', 'ahub-config.json')
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, '--data-dir', dataDir, '--org', 'acme', ...args],
      { cwd: ROOT, env: childEnv },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    )
  })
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as AddressInfo).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

// Issue 16 end to end: a provider set with the CLI on the data directory, then the server started
// in-process on it delivers a live campaign to a real SMTP server; the API and the CLI (--server)
// report what was delivered; a provider that refuses the connection fails the run with a code.
describe('e-mail from a live campaign, through the server', () => {
  let dir: string
  let dataDir: string
  let store: Store
  let campaigns: CampaignService
  let app: App
  let base: string
  let admin: string
  let smtp: Awaited<ReturnType<typeof startSmtp>>

  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON answers, checked by the assertions
  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const res = await fetch(`${base}/v1/orgs/acme${path}`, {
      method,
      headers: {
        authorization: `Bearer ${admin}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, json: text ? JSON.parse(text) : null }
  }

  /** Creates, publishes and runs a live campaign sending through `provider`; returns the ended run. */
  async function liveRun(label: string, provider: string, extra: Record<string, unknown> = {}) {
    const created = await api('POST', '/campaigns', {
      label,
      settings: { errorManagement: 'abort' },
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
            provider,
            address: 'email',
            consent: 'newsletter_ok',
            personalisation: ['first_name', 'city'],
            template: {
              subject: 'Hello {{ first_name }}',
              from: 'Shop <shop@example.org>',
              html: '<p>Hi {{ first_name }} from {{ city }}</p>',
              text: 'Hi {{ first_name }} from {{ city }}',
              defaults: { first_name: 'there', city: 'your town' },
            },
            ...extra,
          },
        },
      ],
      transitions: [{ id: 't', from: 'build', to: 'mail' }],
    })
    expect(created.status, JSON.stringify(created.json)).toBe(200)
    const id = created.json.id as string
    expect((await api('POST', `/campaigns/${id}/publish`)).status).toBe(200)
    const started = await api('POST', `/campaigns/${id}/runs`, { mode: 'live' })
    expect(started.status, JSON.stringify(started.json)).toBe(200)
    return { campaign: id, run: await ended(id, started.json.id) }
  }

  /** The run once it is no longer running (completed, failed or paused). */
  async function ended(campaign: string, run: string) {
    for (;;) {
      const r = (await api('GET', `/campaigns/${campaign}/runs/${run}`)).json
      if (r.state !== 'running') return r
      await new Promise((res) => setTimeout(res, 100))
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahub-e2e-channels-'))
    dataDir = join(dir, 'data')
    smtp = await startSmtp({
      onAuth: (auth, _session, cb) =>
        auth.password === 'smtp-secret'
          ? cb(null, { user: auth.username })
          : cb(new Error('bad credentials')),
      reply: (to) => (to.startsWith('bounce') ? 550 : undefined),
    })
    store = await Store.open({ dataDir })
    await store.createOrg('acme', 'Acme')
    await store.catalog.apply('acme', parseSchemaText(SCHEMA))
    writeFileSync(join(dir, 'profiles.csv'), PROFILES)
    await store.ingestor.ingest('acme', 'profiles', join(dir, 'profiles.csv'))
    admin = (await bootstrapAdmin(store, 'acme', true)).secret!
    await store.close()
  }, 60_000)

  afterAll(async () => {
    await app?.close()
    await campaigns?.close()
    await store?.close()
    await smtp?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('sets a provider with the CLI on the data directory; the password comes from a variable, never shown', async () => {
    const set = await ahub(
      dataDir,
      { SMTP_PASSWORD: 'smtp-secret' },
      'channel',
      'provider',
      'set',
      'mail',
      '--host',
      '127.0.0.1',
      '--port',
      String(smtp.port),
      '--no-verify-certificate',
      '--user',
      'shop',
      '--password-env',
      'SMTP_PASSWORD',
    )
    expect(set, set.stderr).toMatchObject({ code: 0 })
    expect(set.stdout).toContain('saved mail (email)')
    const list = await ahub(dataDir, {}, '--json', 'channel', 'provider', 'list')
    expect(list.code, list.stderr).toBe(0)
    const providers = JSON.parse(list.stdout) as { id: string; configured: string[] }[]
    expect(providers.map((p) => p.id)).toEqual(['mail'])
    expect(providers[0]!.configured).toContain('password')
    expect(list.stdout + set.stdout).not.toContain('smtp-secret')
  }, 120_000)

  it('delivers a live campaign to the SMTP server once per recipient, personalised, and reports it', async () => {
    store = await Store.open({ dataDir })
    // The same master key file the CLI sealed the settings under; quick retries for the test.
    await openChannels(store, { tuning: { backoffMs: 20, maxAttempts: 2 } })
    campaigns = await openCampaigns(store)
    app = await buildApp({ store, campaigns, rateLimit: false })
    base = await app.listen({ port: 0, host: '127.0.0.1' })

    const { campaign, run } = await liveRun('Newsletter', 'mail')
    expect(run.state, JSON.stringify(run.error)).toBe('completed')
    const got = smtp.received
      .map((r) => [r.envelopeTo.join(), r.mail.subject, r.mail.text?.trim(), r.mail.html])
      .sort()
    expect(got).toEqual([
      ['ann@example.com', 'Hello Ann', 'Hi Ann from Paris', '<p>Hi Ann from Paris</p>'],
      ['bob@example.com', 'Hello Bob', 'Hi Bob from your town', '<p>Hi Bob from your town</p>'],
      ['cem@example.com', 'Hello there', 'Hi there from Lyon', '<p>Hi there from Lyon</p>'],
      ['dua@example.com', 'Hello Dua', 'Hi Dua from Nice', '<p>Hi Dua from Nice</p>'],
    ])
    expect(new Set(smtp.received.map((r) => r.mail.messageId)).size).toBe(4)
    expect(smtp.received.every((r) => r.mail.from?.text === '"Shop" <shop@example.org>')).toBe(true)

    const runPath = `/campaigns/${campaign}/runs/${run.id}/activities/mail`
    const report = await api('GET', `${runPath}/delivery-report`)
    expect(report.json).toEqual({
      recipients: 8,
      byStatus: { queued: 0, sending: 0, retry: 0, sent: 4, failed: 1, lost: 0, excluded: 3 },
      excluded: { no_address: 1, invalid_address: 1, no_consent: 1 },
    })
    const first = await api('GET', `${runPath}/deliveries?limit=5`)
    const rest = await api('GET', `${runPath}/deliveries?limit=5&offset=5`)
    expect(first.json.total).toBe(8)
    const entries = [...first.json.entries, ...rest.json.entries]
    expect(entries.map((e: { member: string; status: string }) => [e.member, e.status])).toEqual([
      ['p1', 'sent'],
      ['p2', 'sent'],
      ['p3', 'sent'],
      ['p4', 'sent'],
      ['p5', 'excluded'],
      ['p6', 'excluded'],
      ['p7', 'excluded'],
      ['p8', 'failed'],
    ])
    expect(entries.find((e: { member: string }) => e.member === 'p8').reason).toMatch(/550/)
    const failed = await api('GET', `${runPath}/deliveries?status=failed`)
    expect(failed.json.entries.map((e: { address: string }) => e.address)).toEqual(['bounce@example.com'])

    // The CLI against the running server reads the same figures.
    const server = ['--server', base, '--token', admin]
    const cliReport = await ahub(
      dataDir,
      {},
      ...server,
      '--json',
      'delivery',
      'report',
      campaign,
      run.id,
      'mail',
    )
    expect(cliReport.code, cliReport.stderr).toBe(0)
    expect(JSON.parse(cliReport.stdout)).toEqual(report.json)
    const cliLog = await ahub(
      dataDir,
      {},
      ...server,
      'delivery',
      'log',
      campaign,
      run.id,
      'mail',
      '--status',
      'sent',
    )
    expect(cliLog.code, cliLog.stderr).toBe(0)
    expect(cliLog.stdout).toContain('ann@example.com')
    expect(cliLog.stdout).toContain('4 of 4')
    const preview = await ahub(dataDir, {}, ...server, 'channel', 'preview', campaign, 'mail', 'p3')
    expect(preview.stdout).toContain('subject: Hello there')
    const proof = await ahub(
      dataDir,
      {},
      ...server,
      'channel',
      'proof',
      campaign,
      'mail',
      'qa@example.com',
      '--profile',
      'p1',
    )
    expect(proof.code, proof.stderr).toBe(0)
    expect(smtp.received.at(-1)?.mail.subject).toBe('[Proof] Hello Ann')
  }, 240_000)

  it('a provider that refuses the connection ends the run failed with a coded error, never succeeded', async () => {
    const port = await closedPort()
    const put = await api('PUT', '/channel-providers/dead', {
      kind: 'email',
      host: '127.0.0.1',
      port,
      from: 'shop@example.org',
    })
    expect(put.status).toBe(200)
    const before = smtp.received.length
    const { campaign, run } = await liveRun('Dead letters', 'dead')
    expect(run.state).toBe('failed')
    expect(run.error?.code).toBe('CHANNEL_PROVIDER_UNREACHABLE')
    expect(smtp.received.length).toBe(before)
    const report = await api('GET', `/campaigns/${campaign}/runs/${run.id}/activities/mail/delivery-report`)
    expect(report.json.byStatus.sent).toBe(0)
  }, 120_000)

  it('pauses a send to more recipients than the threshold until a person confirms the count', async () => {
    const before = smtp.received.length
    const { campaign, run } = await liveRun('Big send', 'mail', { confirmAbove: 2 })
    expect(run.state).toBe('paused')
    expect(run.error?.code).toBe('CHANNEL_CONFIRMATION_REQUIRED')
    expect(smtp.received.length).toBe(before)
    const confirm = `/campaigns/${campaign}/runs/${run.id}/activities/mail/confirm-send`
    const wrong = await api('POST', confirm, { recipients: 4 })
    expect(wrong).toMatchObject({ status: 409, json: { error: { code: 'CAMPAIGN_BAD_STATE' } } })
    const ok = await api('POST', confirm, { recipients: 5 })
    expect(ok.status, JSON.stringify(ok.json)).toBe(200)
    expect((await ended(campaign, run.id)).state).toBe('completed')
    expect(smtp.received.length).toBe(before + 4)
    const again = await api('POST', confirm, { recipients: 5 })
    expect(again).toMatchObject({ status: 409, json: { error: { code: 'CAMPAIGN_BAD_STATE' } } })
  }, 120_000)
})
