/**
 * Channel benchmark (docs/channels.md): a live campaign (Build audience -> Channel) sends one
 * personalised e-mail per profile to a local SMTP server through the delivery ledger (exactly once
 * on); the same messages are then sent with bare nodemailer, same pool and concurrency, for the
 * overhead ratio. The SMTP server runs in this process and discards what it receives.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CampaignService, migrateCampaigns } from '@ahub/campaigns'
import { ChannelDelivery, migrateChannels, ProviderStore } from '@ahub/channels'
import { parseSchemaText } from '@ahub/core'
import { SecretBox } from '@ahub/hub'
import { Store } from '@ahub/store'
import { createTransport } from 'nodemailer'
import { SMTPServer } from 'smtp-server'
import type { BenchResult } from './campaigns'

const CONNECTIONS = 5
const IN_FLIGHT = 32
const TEMPLATE = {
  subject: 'Hello {{ first_name }}',
  from: 'Shop <shop@example.org>',
  html: '<p>Hi {{ first_name }} from {{ city }}</p>',
  text: 'Hi {{ first_name }} from {{ city }}',
  defaults: { first_name: 'there', city: 'your town' },
}

/** An SMTP server that accepts every message and drops it. */
async function smtpSink(): Promise<{ port: number; received: () => number; close(): Promise<void> }> {
  let received = 0
  const server = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, cb) {
      stream.on('data', () => undefined)
      stream.on('end', () => {
        received++
        cb()
      })
    },
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.server.address() as AddressInfo).port,
    received: () => received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

/** `channel_email_per_s`, `channel_peak_rss_mb` and `channel_send_overhead_ratio` for `size` e-mails. */
export async function benchChannels(options: { size: number }): Promise<BenchResult[]> {
  const size = options.size
  const dir = mkdtempSync(join(tmpdir(), 'ahub-bench-channels-'))
  const sink = await smtpSink()
  const store = await Store.open({ dataDir: join(dir, 'data') })
  try {
    await migrateCampaigns(store.engine)
    await migrateChannels(store.engine)
    await store.createOrg('bench', 'Bench')
    await store.catalog.apply(
      'bench',
      parseSchemaText(`tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      email: { type: string }
      first_name: { type: string }
      city: { type: string }
`),
    )
    const rows = ['id,email,first_name,city']
    for (let i = 0; i < size; i++) rows.push(`p${i},u${i}@example.com,Name${i % 997},City${i % 101}`)
    writeFileSync(join(dir, 'profiles.csv'), `${rows.join('\n')}\n`)
    await store.ingestor.ingest('bench', 'profiles', join(dir, 'profiles.csv'))

    const providers = new ProviderStore(new SecretBox(Buffer.alloc(32, 7)))
    await providers.put(store.engine, 'bench', 'sink', {
      kind: 'email',
      host: '127.0.0.1',
      port: sink.port,
      verifyCertificate: false,
      maxConnections: CONNECTIONS,
    })
    const delivery = new ChannelDelivery(providers, { concurrency: IN_FLIGHT })
    const campaigns = new CampaignService(
      store.engine,
      store.catalog,
      store.audiences,
      undefined,
      undefined,
      undefined,
      delivery,
    )
    const c = await campaigns.create('bench', {
      label: 'bench e-mail',
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
            provider: 'sink',
            address: 'email',
            personalisation: ['first_name', 'city'],
            template: TEMPLATE,
            confirm: false,
          },
        },
      ],
      transitions: [{ id: 't', from: 'build', to: 'mail' }],
    })
    await campaigns.publish('bench', c.id)

    let peak = process.memoryUsage().rss
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss)
    }, 100)
    const started = performance.now()
    const run = await campaigns.start('bench', c.id)
    await campaigns.settled(run.id)
    const campaignMs = performance.now() - started
    clearInterval(sampler)
    const status = await campaigns.status('bench', run.id)
    await campaigns.close()
    if (status.state !== 'completed' || sink.received() !== size)
      throw new Error(`the bench run ended ${status.state} with ${sink.received()} of ${size} received`)

    // The same messages with bare nodemailer: same pool, same number in flight, no ledger.
    const transport = createTransport({
      pool: true,
      maxConnections: CONNECTIONS,
      maxMessages: Number.POSITIVE_INFINITY,
      host: '127.0.0.1',
      port: sink.port,
      tls: { rejectUnauthorized: false },
      logger: false,
    })
    const bareStarted = performance.now()
    let next = 0
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = next++; i < size; i = next++) {
          const name = `Name${i % 997}`
          const city = `City${i % 101}`
          await transport.sendMail({
            from: TEMPLATE.from,
            to: `u${i}@example.com`,
            subject: `Hello ${name}`,
            html: `<p>Hi ${name} from ${city}</p>`,
            text: `Hi ${name} from ${city}`,
            messageId: `<bare.${i}@example.org>`,
          })
        }
      }),
    )
    const bareMs = performance.now() - bareStarted
    transport.close()

    const perSecond = (size / campaignMs) * 1000
    return [
      {
        name: 'channel_email_per_s',
        value: Math.round(perSecond),
        unit: '/s',
        target: '>= 1000 (goal 2000)',
      },
      {
        name: 'channel_peak_rss_mb',
        value: Math.round(peak / 1024 / 1024),
        unit: 'MB',
        target: '< 1024',
      },
      {
        name: 'channel_send_overhead_ratio',
        value: Math.round((campaignMs / bareMs) * 100) / 100,
        unit: 'x',
        target: '<= 1.5',
      },
      { name: 'channel_bare_nodemailer_per_s', value: Math.round((size / bareMs) * 1000), unit: '/s' },
    ]
  } finally {
    await store.close()
    await sink.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
