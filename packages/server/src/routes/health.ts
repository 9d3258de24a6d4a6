import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RouteDeps } from '../app'

export const healthRoutes: FastifyPluginAsync<RouteDeps> = async (app, { store }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process answers',
        security: [],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({
      status: 'ok' as const,
    }),
  )
  r.get(
    '/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: the store answers a query',
        security: [],
        response: { 200: z.object({ status: z.literal('ready'), engine: z.string() }) },
      },
    },
    async () => {
      await store.engine.query('SELECT 1')
      return { status: 'ready' as const, engine: store.engine.kind }
    },
  )
}
