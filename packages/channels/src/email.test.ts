import { generateKeyPairSync } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { SmtpProvider } from './email'
import { SmtpSettings } from './settings'
import { startSmtp } from './test-support'

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!()
})

async function setup(options: Parameters<typeof startSmtp>[0] = {}, settings: Partial<SmtpSettings> = {}) {
  const server = await startSmtp(options)
  closers.push(server.close)
  const provider = new SmtpProvider(
    SmtpSettings.parse({
      kind: 'email',
      host: '127.0.0.1',
      port: server.port,
      verifyCertificate: false,
      from: 'News <news@example.org>',
      ...settings,
    }),
  )
  closers.push(() => provider.close())
  return { server, provider }
}

describe('SMTP provider', () => {
  it('delivers subject, from, reply-to, HTML, text, headers and a stable Message-ID, over STARTTLS when offered', async () => {
    const { server, provider } = await setup()
    const outcome = await provider.send({
      to: 'ada@example.com',
      subject: 'Hello Ada',
      replyTo: 'help@example.org',
      html: '<p>Hi <b>Ada</b></p>',
      text: 'Hi Ada',
      headers: { 'List-Unsubscribe': '<https://hub.example/u/abc>' },
      messageId: 'r1.channel_1.p1',
    })
    expect(outcome.status).toBe('sent')
    expect(server.received).toHaveLength(1)
    const got = server.received[0]!
    expect(got.secure).toBe(true)
    expect(got.envelopeTo).toEqual(['ada@example.com'])
    expect(got.mail.subject).toBe('Hello Ada')
    expect(got.mail.from?.value[0]?.address).toBe('news@example.org')
    expect(got.mail.replyTo?.value[0]?.address).toBe('help@example.org')
    expect(got.mail.html).toContain('<b>Ada</b>')
    expect(got.mail.text?.trim()).toBe('Hi Ada')
    expect(got.mail.messageId).toBe('<r1.channel_1.p1@example.org>')
    expect(got.raw).toMatch(/^List-Unsubscribe: <https:\/\/hub\.example\/u\/abc>\r$/m)
  })

  it('sends in clear only when the server offers no STARTTLS, and refuses to with requireTls', async () => {
    const plain = await setup({ disabledCommands: ['STARTTLS'] })
    expect((await plain.provider.send({ to: 'a@example.com', text: 'x', messageId: 'm1' })).status).toBe(
      'sent',
    )
    expect(plain.server.received[0]!.secure).toBe(false)

    const strict = await setup({ disabledCommands: ['STARTTLS'] }, { requireTls: true })
    const outcome = await strict.provider.send({ to: 'a@example.com', text: 'x', messageId: 'm2' })
    expect(outcome).toMatchObject({ status: 'failed' })
    expect(strict.server.received).toHaveLength(0)
  })

  it('signs with DKIM when a key is configured', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
    const { server, provider } = await setup(
      {},
      {
        dkim: { domainName: 'example.org', keySelector: 'ahub', privateKey: pem },
      },
    )
    expect((await provider.send({ to: 'a@example.com', text: 'signed', messageId: 'm3' })).status).toBe(
      'sent',
    )
    const sig = server.received[0]!.raw.match(/^DKIM-Signature:(.*(?:\r\n[ \t].*)*)/m)?.[1] ?? ''
    expect(sig).toContain('d=example.org')
    expect(sig).toContain('s=ahub')
  })

  it('records SMTP 5xx as permanent and 4xx as temporary failures, without throwing', async () => {
    const { server, provider } = await setup({
      reply: (to) => (to.startsWith('gone') ? 550 : to.startsWith('busy') ? 451 : undefined),
    })
    const gone = await provider.send({ to: 'gone@example.com', text: 'x', messageId: 'm4' })
    const busy = await provider.send({ to: 'busy@example.com', text: 'x', messageId: 'm5' })
    const ok = await provider.send({ to: 'ok@example.com', text: 'x', messageId: 'm6' })
    expect(gone).toMatchObject({ status: 'failed', permanent: true, code: 550 })
    expect(busy).toMatchObject({ status: 'failed', permanent: false, code: 451 })
    expect(ok.status).toBe('sent')
    expect(server.received.map((r) => r.envelopeTo[0])).toEqual(['ok@example.com'])
  })

  it('verify() reports refused credentials and an unreachable host as CHANNEL_PROVIDER_UNREACHABLE', async () => {
    const auth = await setup(
      {
        authOptional: false,
        onAuth: (_a, _s, cb) => cb(new Error('bad credentials')),
      },
      { user: 'u', password: 'wrong' },
    )
    await expect(auth.provider.verify()).rejects.toMatchObject({ code: 'CHANNEL_PROVIDER_UNREACHABLE' })

    const server = await startSmtp()
    const port = server.port
    await server.close()
    const dead = new SmtpProvider(
      SmtpSettings.parse({ kind: 'email', host: '127.0.0.1', port, from: 'a@b.org' }),
    )
    closers.push(() => dead.close())
    await expect(dead.verify()).rejects.toMatchObject({ code: 'CHANNEL_PROVIDER_UNREACHABLE' })
    expect(await dead.send({ to: 'a@example.com', text: 'x', messageId: 'm7' })).toMatchObject({
      status: 'failed',
      permanent: false,
    })
  })

  it('delivers many messages over the pool', async () => {
    const { server, provider } = await setup({}, { maxConnections: 4 })
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        provider.send({ to: `p${i}@example.com`, text: `n${i}`, messageId: `b${i}` }),
      ),
    )
    expect(outcomes.every((o) => o.status === 'sent')).toBe(true)
    expect(new Set(server.received.map((r) => r.envelopeTo[0])).size).toBe(60)
  })
})
