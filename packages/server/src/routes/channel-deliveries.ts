import { ACTIVITIES, type CampaignService } from '@ahub/campaigns'
import {
  type ActivityContent,
  confirmSend,
  deliveryCounts,
  deliveryLog,
  MAX_PROOF_ADDRESSES,
} from '@ahub/channels'
import { AppError, CampaignRun } from '@ahub/core'
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { commandCaller } from '../auth/run-authority'
import type { ChannelRouteDeps } from './channel-providers'
import { OrgParams } from './common'

const ActivityParams = OrgParams.extend({
  id: z.string().min(1).max(80),
  activity: z.string().min(1).max(80),
})
const RunActivityParams = ActivityParams.extend({ run: z.string().min(1).max(80) })
const Status = z.enum(['queued', 'sending', 'retry', 'sent', 'failed', 'lost', 'excluded'])
const Rendered = z.object({
  subject: z.string().optional(),
  from: z.string().optional(),
  replyTo: z.string().optional(),
  html: z.string().optional(),
  text: z.string().optional(),
})
const ProfileId = z
  .string()
  .min(1)
  .max(1000)
  .describe('Primary key of the row in the campaign dimension (a JSON array for a composite key)')

/** The channel activity `activity` of a campaign, with what preview and proof need of it. */
async function channelActivity(
  campaigns: CampaignService,
  org: string,
  id: string,
  activity: string,
): Promise<ActivityContent> {
  const def = (await campaigns.get(org, id)).definition
  const a = def.activities.find((x) => x.id === activity && x.type === 'channel')
  if (!a)
    throw new AppError('CHANNEL_ACTIVITY_NOT_FOUND', `No channel activity "${activity}" in this campaign`, {
      details: { campaign: id, activity },
    })
  const options = ACTIVITIES.channel!.options.parse(a.options) as {
    provider?: string
    template?: unknown
    address: string
    personalisation: string[]
  }
  if (!options.provider || !options.template)
    throw new AppError(
      'CAMPAIGN_INVALID',
      `The channel activity "${activity}" names no provider or template`,
      {
        details: { activity },
      },
    )
  return {
    provider: options.provider,
    template: options.template,
    address: options.address,
    personalisation: options.personalisation,
    dimension: def.settings.dimension,
  }
}

/**
 * Channel activity routes (docs/channels.md): a template preview for a chosen profile and a
 * proof send to test addresses (needs `send`: it delivers), and the delivery log and report of a
 * run's channel activity. Thin: @ahub/channels does the work.
 */
export const channelDeliveryRoutes: FastifyPluginAsync<
  ChannelRouteDeps & { campaigns: CampaignService }
> = async (app, { channels, engine, campaigns }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['channels']
  /** Checks that the run is one of this campaign's (in this org) and names a channel activity of it. */
  const runRef = async (p: z.infer<typeof RunActivityParams>) => {
    const run = await campaigns.status(p.org, p.run)
    if (run.campaign !== p.id)
      throw new AppError('CAMPAIGN_RUN_NOT_FOUND', `No run "${p.run}" for this campaign`, {
        details: { run: p.run, campaign: p.id },
      })
    await channelActivity(campaigns, p.org, p.id, p.activity)
    return { org: p.org, runId: p.run, activity: p.activity }
  }

  r.post(
    '/v1/orgs/:org/campaigns/:id/activities/:activity/preview',
    {
      config: { permission: 'read', readOnly: true },
      schema: {
        tags,
        summary: "Render a channel activity's message for one profile (nothing is sent)",
        params: ActivityParams,
        body: z.object({ profile: ProfileId }).strict(),
        response: {
          200: z.object({
            profile: z.string(),
            to: z.string().nullable(),
            message: Rendered,
            missing: z
              .array(z.string())
              .describe(
                'Personalisation columns the dimension does not hold (enrichment): shown with defaults',
              ),
          }),
        },
      },
    },
    async (req) => {
      const { org, id, activity } = req.params
      return channels.tools.preview(
        engine,
        org,
        await channelActivity(campaigns, org, id, activity),
        req.body.profile,
      )
    },
  )
  r.post(
    '/v1/orgs/:org/campaigns/:id/activities/:activity/proof',
    {
      config: { permission: 'send' },
      schema: {
        tags,
        summary:
          "Send a channel activity's message to test addresses, marked [Proof]; not in the delivery log",
        params: ActivityParams,
        body: z
          .object({
            to: z.array(z.string().min(3).max(320)).min(1).max(MAX_PROOF_ADDRESSES),
            profile: ProfileId.optional(),
          })
          .strict(),
        response: {
          200: z.object({
            outcomes: z.array(
              z.object({ to: z.string(), status: z.enum(['sent', 'failed']), reason: z.string().optional() }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const { org, id, activity } = req.params
      const content = await channelActivity(campaigns, org, id, activity)
      req.auditDetails = { activity, recipients: req.body.to.length }
      const outcomes = await channels.tools.proof(engine, org, content, {
        to: req.body.to,
        ...(req.body.profile ? { profile: req.body.profile } : {}),
      })
      return { outcomes }
    },
  )
  r.get(
    '/v1/orgs/:org/campaigns/:id/runs/:run/activities/:activity/deliveries',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: "Per-recipient outcomes of a run's channel activity, by member, paged",
        params: RunActivityParams,
        querystring: z
          .object({
            offset: z.coerce.number().int().min(0).default(0),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
            status: Status.optional(),
          })
          .strict(),
        response: {
          200: z.object({
            total: z.number(),
            offset: z.number(),
            entries: z.array(
              z.object({
                member: z.string(),
                address: z.string().nullable(),
                status: Status,
                reason: z.string().nullable(),
                attempts: z.number(),
                updatedAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const ref = await runRef(req.params)
      const { offset, limit, status } = req.query
      const page = await deliveryLog(engine, ref, { offset, limit, ...(status ? { status } : {}) })
      return { ...page, offset }
    },
  )
  r.post(
    '/v1/orgs/:org/campaigns/:id/runs/:run/activities/:activity/confirm-send',
    {
      config: { permission: 'send' },
      schema: {
        tags,
        summary: 'Confirm a send paused for confirmation (CHANNEL_CONFIRMATION_REQUIRED) and resume the run',
        params: RunActivityParams,
        body: z
          .object({
            recipients: z
              .number()
              .int()
              .min(0)
              .describe('The number of recipients confirmed (as the pause reported it)'),
          })
          .strict(),
        response: { 200: CampaignRun },
      },
    },
    async (req) => {
      const ref = await runRef(req.params)
      const run = await campaigns.status(ref.org, ref.runId)
      if (run.state !== 'paused' || run.error?.code !== 'CHANNEL_CONFIRMATION_REQUIRED')
        throw new AppError('CAMPAIGN_BAD_STATE', 'This run is not waiting for a send confirmation', {
          details: { run: ref.runId, state: run.state },
        })
      req.auditDetails = { activity: ref.activity, recipients: req.body.recipients }
      await confirmSend(engine, ref, { by: req.caller!.userId, recipients: req.body.recipients })
      return campaigns.resume(ref.org, ref.runId, commandCaller(req.caller))
    },
  )
  r.get(
    '/v1/orgs/:org/campaigns/:id/runs/:run/activities/:activity/delivery-report',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: "Counts of a run's channel activity by outcome, and of excluded recipients by reason",
        params: RunActivityParams,
        response: {
          200: z.object({
            recipients: z.number(),
            byStatus: z.record(Status, z.number()),
            excluded: z.record(z.string(), z.number()),
          }),
        },
      },
    },
    async (req) => deliveryCounts(engine, await runRef(req.params)),
  )
}
