import { AppError } from '@ahub/core'
import { ident, type Session } from '@ahub/store'
import { z } from 'zod'
import { keyJoin, keyList } from '../sql'
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

/** What a channel delivery reports: counts, and excluded recipients by reason. */
export interface ChannelReport {
  recipients: number
  sent: number
  failed: number
  /** Temporary failures that ran out of tries: the run does not succeed while any is counted. */
  lost: number
  excluded: Record<string, number>
}

/**
 * Delivers a channel activity's messages (implemented by @ahub/channels, wired by the server).
 * Must be resumable: called again for the same `(runId, activity)` after a crash, it sends only
 * what the earlier call had not recorded.
 */
export interface ChannelSender {
  deliver(request: {
    session: Session
    org: string
    runId: string
    activity: string
    provider: string
    template: unknown
    /** Qualified work table holding the recipients, with checked columns. */
    table: string
    keys: string[]
    address: string
    consent: string | undefined
    personalisation: string[]
    throttle: number | undefined
    /**
     * Pause for a person's confirmation (CHANNEL_CONFIRMATION_REQUIRED) before sending to more
     * recipients than `confirmAbove` (the sender's default when undefined); false: never ask.
     */
    confirm: boolean
    confirmAbove: number | undefined
    log(message: string): Promise<void>
  }): Promise<ChannelReport>
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
    /** Ask a person to confirm before sending to more recipients than the threshold. */
    confirm: z.boolean().default(true),
    /** The threshold of `confirm` (default: the server's, AHUB_SEND_CONFIRM_ABOVE). */
    confirmAbove: z.number().int().min(0).max(1_000_000_000).optional(),
    /** Provider id of the org (docs/channels.md); delivery needs one. */
    provider: ColumnName.optional(),
    /** Message template (subject, from, replyTo, html, text, defaults), checked by the sender. */
    template: z.record(z.string(), z.unknown()).optional(),
    /** Boolean work-table column: false or null excludes the recipient (consent / opt-in). */
    consent: ColumnName.optional(),
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
    const table = single(ctx.inputs)
    if (ctx.sender && ctx.options.provider && ctx.options.template && table) {
      // Address, consent and personalisation come from the work table (enrichment columns) or,
      // failing that, from the dimension's own fields, joined on the member keys.
      const own = new Set(await ctx.columns(table))
      const dim = typeof ctx.inputDimension === 'string' ? ctx.inputDimension : undefined
      const needed = [
        ...new Set([
          ctx.options.address,
          ...ctx.options.personalisation,
          ...(ctx.options.consent ? [ctx.options.consent] : []),
        ]),
      ]
      const missing = needed.filter((c) => !own.has(c) && !(c in ctx.dimension.fields))
      if (missing.length > 0 || (needed.some((c) => !own.has(c)) && !dim)) {
        throw new AppError('CAMPAIGN_INVALID', `The population has no column ${missing.join(', ')}`, {
          details: { activity: ctx.activity.id, missing },
        })
      }
      const pick = needed.map((c) => `${own.has(c) ? 'w' : 'd'}.${ident(c)} AS ${ident(c)}`)
      const source = `(SELECT ${keyList(ctx.keys, 'w')}, ${pick.join(', ')} FROM ${table} AS w${
        dim
          ? ` LEFT JOIN ${ident(`org_${ctx.org}`)}.${ident(dim)} AS d ON ${keyJoin(ctx.keys, 'w', 'd')}`
          : ''
      }) AS recipients`
      const report = await ctx.sender.deliver({
        session: ctx.session,
        org: ctx.org,
        runId: ctx.runId,
        activity: ctx.activity.id,
        provider: ctx.options.provider,
        template: ctx.options.template,
        table: source,
        keys: ctx.keys,
        address: ctx.options.address,
        consent: ctx.options.consent,
        personalisation: ctx.options.personalisation,
        throttle: ctx.options.throttle,
        confirm: ctx.options.confirm,
        confirmAbove: ctx.options.confirmAbove,
        log: (message) => ctx.log('warn', message),
      })
      const excluded = Object.entries(report.excluded)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')
      await ctx.log(
        'info',
        `Delivered: ${report.sent} sent, ${report.failed} failed, ${report.lost} lost of ${report.recipients}${excluded ? `; excluded: ${excluded}` : ''}`,
      )
      if (report.lost > 0) {
        throw new AppError(
          'CHANNEL_SEND_FAILED',
          `${report.lost} message(s) could not be delivered after every retry`,
          {
            details: { activity: ctx.activity.id, permanent: false, report },
          },
        )
      }
      return { out: table }
    }
    throw new AppError(
      'CAMPAIGN_CHANNEL_UNAVAILABLE',
      ctx.sender
        ? `The channel activity names no ${ctx.options.provider ? 'template' : 'provider'}: nothing to send with`
        : `No ${ctx.options.channel} transport is configured in this process`,
      { details: { activity: ctx.activity.id, channel: ctx.options.channel } },
    )
  },
})
