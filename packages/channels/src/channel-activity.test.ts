import { SecretBox } from '@ahub/hub'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chain, errorOf, type Fixture, openFixture, runCampaign } from '../../campaigns/src/test-support'
import { ChannelDelivery } from './channel-sender'
import { confirmSend } from './confirmation'
import { migrateChannels } from './migrations'
import { ProviderStore } from './provider-store'
import { startSmtp } from './test-support'

let f: Fixture
let smtp: Awaited<ReturnType<typeof startSmtp>>
const providers = new ProviderStore(new SecretBox(Buffer.alloc(32, 3)))

beforeEach(async () => {
  smtp = await startSmtp({ reply: (to) => (to.startsWith('bounce') ? 550 : undefined) })
  f = await openFixture(undefined, new ChannelDelivery(providers, { backoffMs: 20, maxAttempts: 2 }))
  await migrateChannels(f.store.engine)
  await providers.put(f.store.engine, 'acme', 'mail', {
    kind: 'email',
    host: '127.0.0.1',
    port: smtp.port,
    verifyCertificate: false,
    from: 'shop@example.org',
  })
  await f.load([
    { id: 'p1', email: 'ada@example.com', country: 'FR' },
    { id: 'p2', email: 'bob@example.com', country: '' },
    { id: 'p3', email: null, country: 'DE' },
    { id: 'p4', email: 'bounce@example.com', country: 'FR' },
  ])
})
afterEach(async () => {
  await f.close()
  await smtp.close()
})

const campaign = (label: string, template: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  chain(label, [
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
        address: 'email',
        provider: 'mail',
        personalisation: ['country'],
        template,
        ...extra,
      },
    },
    { id: 'end', type: 'end' },
  ])

describe('Channel activity in a live run', () => {
  it('delivers personalised e-mail once per recipient, logs counts and exclusions, and completes', async () => {
    const run = await runCampaign(
      f,
      campaign('newsletter', { subject: 'News for {{ country }}', text: 'Hi', defaults: { country: 'you' } }),
      { live: true },
    )
    expect(JSON.stringify(run.error ?? null)).toBe('null')
    expect(run.state).toBe('completed')
    expect(smtp.received.map((r) => [r.envelopeTo[0], r.mail.subject]).sort()).toEqual([
      ['ada@example.com', 'News for FR'],
      ['bob@example.com', 'News for you'],
    ])
    const log = JSON.stringify(await f.campaigns.logs('acme', run.id))
    expect(log).toContain('2 sent, 1 failed, 0 lost of 4; excluded: no_address 1')
  })

  it('an unknown template variable stops the activity with a coded error before anything is sent', async () => {
    const run = await runCampaign(f, campaign('bad', { subject: '{{ loyalty }}' }), { live: true })
    expect(run.state).not.toBe('completed')
    expect(run.error?.code).toBe('CHANNEL_TEMPLATE_UNKNOWN_VARIABLE')
    expect(smtp.received).toHaveLength(0)
  })

  it('pauses before sending to more recipients than the threshold until a person confirms that count', async () => {
    const paused = await runCampaign(f, campaign('big', { subject: 'Hi', text: 'Hi' }, { confirmAbove: 2 }), {
      live: true,
    })
    expect(paused.state).toBe('paused')
    expect(paused.error?.code).toBe('CHANNEL_CONFIRMATION_REQUIRED')
    expect(smtp.received).toHaveLength(0)
    // Resuming without a confirmation pauses again: nothing bypasses it.
    await f.campaigns.resume('acme', paused.id)
    await f.campaigns.settled(paused.id)
    expect((await f.campaigns.status('acme', paused.id)).error?.code).toBe('CHANNEL_CONFIRMATION_REQUIRED')
    const ref = { org: 'acme', runId: paused.id, activity: 'mail' }
    expect((await errorOf(confirmSend(f.store.engine, ref, { by: 'u1', recipients: 2 }))).code).toBe(
      'CAMPAIGN_BAD_STATE',
    )
    expect(smtp.received).toHaveLength(0)
    await confirmSend(f.store.engine, ref, { by: 'u1', recipients: 3 })
    await f.campaigns.resume('acme', paused.id)
    await f.campaigns.settled(paused.id)
    expect((await f.campaigns.status('acme', paused.id)).state).toBe('completed')
    expect(smtp.received).toHaveLength(2)
  })

  it('never asks when confirm is off, nor at or under the threshold', async () => {
    const off = await runCampaign(
      f,
      campaign('off', { subject: 'Hi', text: 'Hi' }, { confirm: false, confirmAbove: 0 }),
      { live: true },
    )
    expect(off.state).toBe('completed')
    const at = await runCampaign(f, campaign('at', { subject: 'Hi', text: 'Hi' }, { confirmAbove: 3 }), {
      live: true,
    })
    expect(at.state).toBe('completed')
  })
})
