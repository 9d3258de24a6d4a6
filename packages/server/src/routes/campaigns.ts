import {
  type CampaignService,
  checkSchedule,
  describeActivities,
  nextLaunches,
  ScheduleConfig,
} from '@ahub/campaigns'
import {
  AppError,
  Campaign,
  CampaignRun,
  LastError,
  ParameterValue,
  RunEvent,
  RunMode,
  TransitionPreview,
} from '@ahub/core'
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { commandCaller } from '../auth/run-authority'
import { OrgParams } from './common'

const CampaignParams = OrgParams.extend({ id: z.string().min(1).max(80) })
const RunParams = CampaignParams.extend({ run: z.string().min(1).max(80) })
const Definition = z.record(z.string(), z.unknown()).describe('A campaign definition (docs/campaigns.md)')
const Parameters = z
  .record(z.string().max(80), ParameterValue)
  .describe('Values of the parameters the Signal activity declares (docs/campaigns.md)')
const Issue = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  code: z.string(),
  message: z.string(),
})

/** What the campaign routes need: the campaign service of the server's store. */
export interface CampaignRouteDeps {
  campaigns: CampaignService
}

/** Campaign routes (docs/campaigns.md): definitions, validation, publish, runs and their monitoring. Thin: the service does the work. */
export const campaignRoutes: FastifyPluginAsync<CampaignRouteDeps> = async (app, { campaigns }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['campaigns']
  const inCampaign = async (org: string, id: string, run: string): Promise<CampaignRun> => {
    const status = await campaigns.status(org, run)
    if (status.campaign !== id)
      throw new AppError('CAMPAIGN_RUN_NOT_FOUND', `No run "${run}" for this campaign`, {
        details: { run, campaign: id },
      })
    return status
  }

  r.get(
    '/v1/orgs/:org/campaign-activities',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Every activity type with its options as JSON Schema (what the canvas forms are drawn from)',
        params: OrgParams,
        response: {
          200: z.object({
            activities: z.array(
              z.object({
                type: z.string(),
                inputs: z.object({ min: z.number(), max: z.number() }),
                producesPopulation: z.boolean(),
                needsPopulation: z.boolean(),
                options: z.record(z.string(), z.unknown()).describe('JSON Schema 2020-12 of the options'),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ activities: describeActivities() }),
  )
  r.post(
    '/v1/orgs/:org/campaigns/validate',
    {
      config: { permission: 'read', readOnly: true },
      schema: {
        tags,
        summary: 'Validate a campaign definition without saving it; lists every issue',
        params: OrgParams,
        body: Definition,
        response: { 200: z.object({ valid: z.boolean(), issues: z.array(Issue) }) },
      },
    },
    async (req) => {
      const { issues } = await campaigns.validate(req.params.org, req.body)
      return { valid: issues.length === 0, issues }
    },
  )
  r.post(
    '/v1/orgs/:org/campaigns/schedule-preview',
    {
      config: { permission: 'read', readOnly: true },
      schema: {
        tags,
        summary:
          "Check a Scheduler activity's schedule in a time zone and list its next launches; nothing is saved",
        params: OrgParams,
        body: z
          .object({
            schedule: ScheduleConfig,
            validFrom: z.iso.datetime({ offset: true }).optional(),
            validUntil: z.iso.datetime({ offset: true }).optional(),
            timeZone: z.string().min(1).max(100).describe('IANA time zone the schedule is read in'),
            count: z.number().int().min(1).max(50).default(5).describe('How many launches (default 5)'),
          })
          .strict(),
        response: { 200: z.object({ next: z.array(z.string()).describe('ISO instants, earliest first') }) },
      },
    },
    async (req) => {
      const { count, ...schedule } = req.body
      const issues = checkSchedule({ ...schedule, config: schedule.schedule })
      if (issues.length > 0)
        throw new AppError('CAMPAIGN_INVALID', `Bad schedule: ${issues.map((i) => i.message).join('; ')}`, {
          details: { issues },
        })
      const next = nextLaunches({ ...schedule, config: schedule.schedule }, new Date(), count)
      return { next: next.map((d) => d.toISOString()) }
    },
  )
  r.get(
    '/v1/orgs/:org/campaigns',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'List campaigns',
        params: OrgParams,
        response: { 200: z.object({ campaigns: z.array(Campaign) }) },
      },
    },
    async (req) => ({ campaigns: await campaigns.list(req.params.org) }),
  )
  r.post(
    '/v1/orgs/:org/campaigns',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Create a draft campaign',
        params: OrgParams,
        body: Definition,
        response: { 200: Campaign },
      },
    },
    async (req) => {
      const c = await campaigns.create(req.params.org, req.body)
      req.auditTarget = c.id
      return c
    },
  )
  r.get(
    '/v1/orgs/:org/campaigns/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'A campaign with its state and next launches',
        params: CampaignParams,
        response: {
          200: z.object({
            campaign: Campaign,
            nextLaunches: z.array(z.string()),
            /** Why the latest scheduled launch was refused (tried again at each tick), until one starts. */
            lastScheduleError: LastError.nullable(),
          }),
        },
      },
    },
    async (req) => ({
      campaign: await campaigns.get(req.params.org, req.params.id),
      nextLaunches: await campaigns.nextLaunches(req.params.org, req.params.id),
      lastScheduleError: await campaigns.lastScheduleError(req.params.org, req.params.id),
    }),
  )
  r.put(
    '/v1/orgs/:org/campaigns/:id',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: "Replace a draft's definition",
        params: CampaignParams,
        body: Definition,
        response: { 200: Campaign },
      },
    },
    async (req) => {
      req.auditTarget = req.params.id
      return campaigns.update(req.params.org, req.params.id, req.body)
    },
  )
  for (const action of ['publish', 'archive'] as const)
    r.post(
      `/v1/orgs/:org/campaigns/:id/${action}`,
      {
        config: { permission: 'write' },
        schema: {
          tags,
          summary:
            action === 'publish' ? 'Publish a valid draft (read-only from then on)' : 'Archive a campaign',
          params: CampaignParams,
          response: { 200: Campaign },
        },
      },
      async (req) => {
        req.auditTarget = req.params.id
        return action === 'publish'
          ? campaigns.publish(req.params.org, req.params.id, commandCaller(req.caller))
          : campaigns.archive(req.params.org, req.params.id)
      },
    )
  r.post(
    '/v1/orgs/:org/campaigns/:id/runs',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Start a run (test mode saves nothing); CAMPAIGN_ALREADY_RUNNING while one is active',
        params: CampaignParams,
        body: z
          .object({
            mode: RunMode.default('live'),
            breakpoint: z.string().max(40).optional(),
            parameters: Parameters.optional(),
          })
          .strict(),
        response: { 200: CampaignRun },
      },
    },
    async (req) => {
      const run = await campaigns.start(req.params.org, req.params.id, {
        ...req.body,
        caller: commandCaller(req.caller),
      })
      req.auditTarget = run.id
      return run
    },
  )
  r.post(
    '/v1/orgs/:org/campaigns/:id/signal',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary:
          "Start a run through the campaign's Signal activity with its parameters; CAMPAIGN_BAD_PARAMETERS lists unknown, mistyped or missing ones",
        params: CampaignParams,
        body: z
          .object({ parameters: Parameters.default({}), mode: RunMode.default('live') })
          .strict()
          .default({ parameters: {}, mode: 'live' }),
        response: { 200: CampaignRun },
      },
    },
    async (req) => {
      const run = await campaigns.signal(req.params.org, req.params.id, {
        ...req.body,
        caller: commandCaller(req.caller),
      })
      req.auditTarget = run.id
      return run
    },
  )
  r.get(
    '/v1/orgs/:org/campaign-runs/:run',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'A run found by its id alone (its `campaign` names the campaign)',
        params: OrgParams.extend({ run: z.string().min(1).max(80) }),
        response: { 200: CampaignRun },
      },
    },
    async (req) => campaigns.status(req.params.org, req.params.run),
  )
  r.post(
    '/v1/orgs/:org/campaigns/:id/restart',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Stop the active run and start a new one',
        params: CampaignParams,
        response: { 200: CampaignRun },
      },
    },
    async (req) => campaigns.restart(req.params.org, req.params.id, commandCaller(req.caller)),
  )
  r.get(
    '/v1/orgs/:org/campaigns/:id/runs',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Run history, newest first',
        params: CampaignParams,
        response: { 200: z.object({ runs: z.array(CampaignRun) }) },
      },
    },
    async (req) => ({ runs: await campaigns.runs(req.params.org, req.params.id) }),
  )
  r.get(
    '/v1/orgs/:org/campaigns/:id/runs/:run',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'A run: state, tasks and transition counts',
        params: RunParams,
        response: { 200: CampaignRun },
      },
    },
    async (req) => inCampaign(req.params.org, req.params.id, req.params.run),
  )
  r.post(
    '/v1/orgs/:org/campaigns/:id/runs/:run/pause',
    {
      config: { permission: 'write' },
      schema: {
        tags,
        summary: 'Pause now, or at an activity (a breakpoint)',
        params: RunParams,
        body: z
          .object({ at: z.string().max(40).optional() })
          .strict()
          .default({}),
        response: { 200: CampaignRun },
      },
    },
    async (req) => {
      await inCampaign(req.params.org, req.params.id, req.params.run)
      return campaigns.pause(req.params.org, req.params.run, req.body.at)
    },
  )
  for (const action of ['resume', 'stop'] as const)
    r.post(
      `/v1/orgs/:org/campaigns/:id/runs/:run/${action}`,
      {
        config: { permission: 'write' },
        schema: {
          tags,
          summary: action === 'resume' ? 'Resume a paused run' : 'Stop a run',
          params: RunParams,
          response: { 200: CampaignRun },
        },
      },
      async (req) => {
        await inCampaign(req.params.org, req.params.id, req.params.run)
        return action === 'resume'
          ? campaigns.resume(req.params.org, req.params.run, commandCaller(req.caller))
          : campaigns.stop(req.params.org, req.params.run)
      },
    )
  r.get(
    '/v1/orgs/:org/campaigns/:id/runs/:run/events',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary:
          'Server-sent events of a run: `run` (the whole run: state, task statuses, transition counts) at once and after each change, `log` lines; ends when the run does (ADR 0019)',
        params: RunParams,
      },
    },
    async (req, reply) => {
      const { org, id, run } = req.params
      const first = await inCampaign(org, id, run)
      reply.hijack()
      const out = reply.raw
      out.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        connection: 'keep-alive',
      })
      let seq = 0
      const send = (event: string, data: unknown) => {
        if (!out.writableEnded) out.write(`id: ${++seq}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
      }
      // A client reconnecting (EventSource does by itself) gets the whole run again: nothing to replay.
      out.write('retry: 1000\n\n')
      send('run', first)
      let closed = false
      let pending: Promise<void> | null = null
      let again = false
      const terminal = (state: string) => state !== 'running' && state !== 'paused'
      const finish = () => {
        if (closed) return
        closed = true
        stop()
        clearInterval(heartbeat)
        out.end()
      }
      // Status reads are coalesced: one in flight, one more queued when events arrive meanwhile.
      const push = () => {
        if (closed) return
        if (pending) {
          again = true
          return
        }
        pending = campaigns
          .status(org, run)
          .then((status) => {
            send('run', status)
            if (terminal(status.state)) finish()
          })
          .catch(() => finish())
          .finally(() => {
            pending = null
            if (again && !closed) {
              again = false
              push()
            }
          })
      }
      const stop = campaigns.onEvent((r, event) => {
        if (r !== run || closed) return
        send('log', event)
        push()
      })
      // Whatever happened between the first read and the subscription is in the next read.
      if (!terminal(first.state)) push()
      const heartbeat = setInterval(() => {
        if (!out.writableEnded) out.write(': keep-alive\n\n')
      }, 15_000)
      req.raw.on('close', finish)
      if (terminal(first.state)) finish()
    },
  )
  r.get(
    '/v1/orgs/:org/campaigns/:id/runs/:run/logs',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: "The run's log, oldest first, after event `after`",
        params: RunParams,
        querystring: z.object({ after: z.coerce.number().int().min(0).default(0) }),
        response: { 200: z.object({ events: z.array(RunEvent) }) },
      },
    },
    async (req) => {
      await inCampaign(req.params.org, req.params.id, req.params.run)
      return { events: await campaigns.logs(req.params.org, req.params.run, req.query.after) }
    },
  )
  r.get(
    '/v1/orgs/:org/campaigns/:id/runs/:run/transitions/:transition',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Schema and first rows of the work table a transition carries',
        params: RunParams.extend({ transition: z.string().min(1).max(40) }),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(20) }),
        response: { 200: TransitionPreview },
      },
    },
    async (req) => {
      await inCampaign(req.params.org, req.params.id, req.params.run)
      return campaigns.preview(req.params.org, req.params.run, req.params.transition, req.query.limit)
    },
  )
}
