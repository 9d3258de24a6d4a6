import { ProviderSettings } from '@ahub/channels'
import type { Engine } from '@ahub/store'
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Channels } from '../channels'
import { OrgParams } from './common'

const ProviderParams = OrgParams.extend({ id: z.string().min(1).max(63) })
/** What the API shows of a provider: never a setting's value. */
const ProviderInfo = z.object({
  id: z.string(),
  kind: z.enum(['email']),
  configured: z.array(z.string()).describe('Names of the settings that are set; values are write-only'),
  createdAt: z.string(),
  updatedAt: z.string(),
})

/** What the channel routes need: the store's channels and its engine. */
export interface ChannelRouteDeps {
  channels: Channels
  engine: Engine
}

/**
 * Channel providers of an org (docs/channels.md): created or replaced with write-only settings
 * (sealed at rest), listed and read as kind, dates and the names of the set settings, deleted.
 * Managing them needs `admin`; reading them `read`.
 */
export const channelProviderRoutes: FastifyPluginAsync<ChannelRouteDeps> = async (
  app,
  { channels, engine: session },
) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['channels']

  r.get(
    '/v1/orgs/:org/channel-providers',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Channel providers of the org (settings never shown)',
        params: OrgParams,
        response: { 200: z.object({ providers: z.array(ProviderInfo) }) },
      },
    },
    async (req) => ({ providers: await channels.providers.list(session, req.params.org) }),
  )
  r.get(
    '/v1/orgs/:org/channel-providers/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'One channel provider: kind, dates and the names of its set settings',
        params: ProviderParams,
        response: { 200: ProviderInfo },
      },
    },
    async (req) => channels.providers.get(session, req.params.org, req.params.id),
  )
  r.put(
    '/v1/orgs/:org/channel-providers/:id',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Create or replace a channel provider; its settings are write-only and sealed at rest',
        params: ProviderParams,
        body: ProviderSettings,
        response: { 200: ProviderInfo },
      },
    },
    async (req) => {
      req.auditDetails = { kind: req.body.kind }
      return channels.providers.put(session, req.params.org, req.params.id, req.body)
    },
  )
  r.delete(
    '/v1/orgs/:org/channel-providers/:id',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Delete a channel provider and its sealed settings',
        params: ProviderParams,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await channels.providers.remove(session, req.params.org, req.params.id)
      return reply.status(204).send(null)
    },
  )
}
