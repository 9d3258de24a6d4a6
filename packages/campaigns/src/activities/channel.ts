import { AppError } from '@ahub/core'
import { z } from 'zod'
import { ColumnName, single } from './common'
import { DEFAULT_RETRY, defineActivity } from './types'

/** One message a channel activity hands to its transport, after personalisation. */
export interface ChannelMessage {
  /** Member key of the recipient in the campaign's dimension. */
  member: string
  /** Address for the transport: an e-mail, a phone number, a webhook payload key. */
  to: string
  /** Values of the personalisation columns (profile fields and enrichment columns). */
  fields: Record<string, unknown>
}

/**
 * The contract of a delivery transport (the channel issue implements e-mail, SMS and webhook).
 * `send` must be idempotent per `(runId, activity, member)`: the interpreter calls it again for a
 * message whose outcome it did not record before a crash, and each message is sent once per run.
 */
export interface ChannelTransport {
  kind: 'email' | 'sms' | 'webhook'
  send(
    message: ChannelMessage,
    ref: { runId: string; activity: string },
  ): Promise<{ status: 'sent' | 'failed'; detail?: string }>
}

const Options = z
  .object({
    channel: z.enum(['email', 'sms', 'webhook']),
    purpose: z.enum(['marketing', 'transactional']).default('marketing'),
    /** Work-table column holding the address. */
    address: ColumnName,
    /** Columns offered to the message template. */
    personalisation: z.array(ColumnName).max(100).default([]),
    /** Messages per second at most. */
    throttle: z.number().positive().max(100_000).optional(),
    /** Ask for confirmation before sending. */
    confirm: z.boolean().default(true),
  })
  .strict()

/**
 * Channel: the slot of the delivery activities (docs/campaigns.md). Its options and transport contract are
 * fixed here; delivery itself comes with the channel issue, so a live run reaching it fails with
 * CAMPAIGN_CHANNEL_UNAVAILABLE. Test mode pauses before the first channel activity.
 */
export const channel = defineActivity({
  type: 'channel',
  options: Options,
  inputs: { min: 1, max: 1 },
  producesPopulation: true,
  needsPopulation: true,
  channel: true,
  outlets: () => ['out'],
  retry: { ...DEFAULT_RETRY, retryOn: [] },
  async execute(ctx) {
    if (ctx.mode === 'test') return { out: single(ctx.inputs) }
    throw new AppError(
      'CAMPAIGN_CHANNEL_UNAVAILABLE',
      `No ${ctx.options.channel} transport is configured: message delivery is not built yet`,
      { details: { activity: ctx.activity.id, channel: ctx.options.channel } },
    )
  },
})
