import { DuckDBEngine, type Engine } from '@ahub/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deliver, type Recipient, suppress } from './delivery'
import { SmtpProvider } from './email'
import { migrateChannels } from './migrations'
import { SmtpSettings } from './settings'
import { CompiledTemplate } from './template'
import { startSmtp } from './test-support'

let engine: Engine
const closers: (() => Promise<void>)[] = []
beforeEach(async () => {
  engine = await DuckDBEngine.open({ path: ':memory:' })
  await migrateChannels(engine)
})
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!()
  await engine.close()
})

const template = CompiledTemplate.compile(
  {
    subject: 'Hi {{ name }}',
    text: 'Hello {{ name }}',
    from: 'shop@example.org',
    defaults: { name: 'there' },
  },
  ['name'],
)

async function smtp(options: Parameters<typeof startSmtp>[0] = {}) {
  const server = await startSmtp(options)
  closers.push(server.close)
  const provider = new SmtpProvider(
    SmtpSettings.parse({ kind: 'email', host: '127.0.0.1', port: server.port, verifyCertificate: false }),
  )
  closers.push(() => provider.close())
  return { server, provider }
}

const people = (n: number): Recipient[] =>
  Array.from({ length: n }, (_, i) => ({
    member: `p${i}`,
    address: `p${i}@example.com`,
    fields: { name: `N${i}` },
  }))

describe('delivery through the per-recipient ledger', () => {
  it('sends each personalised message once and counts excluded recipients by reason', async () => {
    const { server, provider } = await smtp()
    await suppress(engine, 'acme', 'email', 'Gone@Example.com', 'unsubscribed')
    const recipients: Recipient[] = [
      ...people(5),
      { member: 'x1', address: null, fields: {} },
      { member: 'x2', address: 'not-an-address', fields: {} },
      { member: 'x3', address: 'no@example.com', consent: false, fields: {} },
      { member: 'x4', address: 'gone@example.com', fields: {} },
      { member: 'x5', address: 'P0@example.com', fields: {} },
      { member: 'x6', address: 'anon@example.com', fields: { name: null } },
    ]
    const job = {
      org: 'acme',
      runId: 'r1',
      activity: 'mail',
      provider,
      template,
      recipients: async (on: (b: Recipient[]) => Promise<void>) => on(recipients),
    }
    const report = await deliver(engine, job)
    expect(report).toEqual({
      recipients: 11,
      sent: 6,
      failed: 0,
      lost: 0,
      excluded: { no_address: 1, invalid_address: 1, no_consent: 1, suppressed: 1, duplicate_address: 1 },
    })
    expect(server.received.map((r) => r.mail.subject).sort()).toEqual(
      ['Hi N0', 'Hi N1', 'Hi N2', 'Hi N3', 'Hi N4', 'Hi there'].sort(),
    )
    // A second call (a resumed run) sends nothing again.
    expect(await deliver(engine, job)).toEqual(report)
    expect(server.received).toHaveLength(6)
  })

  it('resumes a ledger left with messages "sending" by a killed process: each goes out again once, the sent ones never', async () => {
    const { server, provider } = await smtp()
    const job = {
      org: 'acme',
      runId: 'r3',
      activity: 'mail',
      provider,
      template,
      recipients: async (on: (b: Recipient[]) => Promise<void>) => on(people(10)),
    }
    await deliver(engine, job)
    expect(server.received).toHaveLength(10)
    // The state a kill -9 between the transport call and the ledger write leaves behind.
    await engine.run(
      `UPDATE meta.channel_messages SET status = 'sending' WHERE run = 'r3' AND member IN ('p3', 'p7')`,
    )
    const report = await deliver(engine, job)
    expect(report.sent).toBe(10)
    expect(server.received).toHaveLength(12)
    const again = server.received.slice(10).map((r) => r.mail.messageId)
    expect(again).toEqual(
      server.received
        .filter((r) => /p[37]@/.test(r.envelopeTo[0]!))
        .slice(0, 2)
        .map((r) => r.mail.messageId),
    )
  })

  it('retries temporary failures with backoff, records permanent ones, and counts what ran out of tries as lost', async () => {
    const tries = new Map<string, number>()
    const { server, provider } = await smtp({
      reply: (to) => {
        const n = (tries.get(to) ?? 0) + 1
        tries.set(to, n)
        if (to.startsWith('p0')) return 550
        if (to.startsWith('p1')) return n < 3 ? 451 : undefined
        if (to.startsWith('p2')) return 452
        return undefined
      },
    })
    const started = Date.now()
    const report = await deliver(engine, {
      org: 'acme',
      runId: 'r4',
      activity: 'mail',
      provider,
      template,
      maxAttempts: 3,
      backoffMs: 50,
      recipients: async (on) => on(people(4)),
    })
    expect(report).toMatchObject({ recipients: 4, sent: 2, failed: 1, lost: 1 })
    expect(tries.get('p0@example.com')).toBe(1)
    expect(tries.get('p1@example.com')).toBe(3)
    expect(tries.get('p2@example.com')).toBe(3)
    expect(Date.now() - started).toBeGreaterThanOrEqual(150) // 50 + 100 ms of backoff
    expect(server.received.map((r) => r.envelopeTo[0]).sort()).toEqual(['p1@example.com', 'p3@example.com'])
  })
})
