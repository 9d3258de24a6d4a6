import { AppError } from '@ahub/core'
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RouteDeps } from '../app'
import { OrgParams } from './common'

export const AuditEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  org: z.string().nullable(),
  actorUser: z.string().nullable(),
  actorToken: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  outcome: z.enum(['ok', 'denied', 'failed']),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
})

const AuditQuery = z
  .object({
    since: z.string().max(40).optional().describe('ISO date or time, or a duration like 15m, 24h, 7d'),
    action: z.string().max(100).optional().describe('An action, or a prefix ending in * (token.*)'),
    outcome: z
      .enum(['ok', 'denied', 'failed'])
      .optional()
      .describe('Only this outcome: denied shows refusals and failed or throttled sign-ins'),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
    cursor: z.string().max(64).optional(),
  })
  .strict()

/** Reads `since` as an ISO date/time or a duration back from now (30s, 15m, 24h, 7d). */
export function parseSince(since: string, now = Date.now()): Date {
  const rel = /^(\d{1,6})([smhd])$/.exec(since)
  if (rel) return new Date(now - Number(rel[1]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[rel[2] as 's']!)
  const t = Date.parse(since)
  if (Number.isNaN(t))
    throw new AppError('VALIDATION_FAILED', `Invalid since "${since}": use an ISO date or 15m, 24h, 7d`, {
      details: { issues: [{ path: ['query', 'since'], message: 'not a date or duration' }] },
    })
  return new Date(t)
}

export const auditRoutes: FastifyPluginAsync<RouteDeps> = async (app, { auditRepo }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/v1/orgs/:org/audit',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['audit'],
        summary: 'Read the audit log, newest first (admins)',
        params: OrgParams,
        querystring: AuditQuery,
        response: { 200: z.object({ events: z.array(AuditEventSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) =>
      auditRepo.list({
        org: req.params.org,
        since: req.query.since ? parseSince(req.query.since) : undefined,
        action: req.query.action,
        outcome: req.query.outcome,
        limit: req.query.limit,
        cursor: req.query.cursor,
      }),
  )
}
