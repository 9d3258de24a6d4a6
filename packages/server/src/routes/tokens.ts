import { AppError, Scope } from '@ahub/core'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RouteDeps } from '../app'
import { maxTokenDays } from '../tokens'
import { OrgParams } from './common'

export const TokenInfoSchema = z.object({
  id: z.string(),
  org: z.string(),
  userId: z.string().nullable(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the secret'),
  scopes: z.array(Scope),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable().describe('Updated at most once a minute'),
})

const CreateBody = z
  .object({
    name: z.string().min(1).max(100),
    scopes: z.array(Scope).min(1).optional().describe('Default: read; never more than your role grants'),
    expiresInDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .optional()
      .describe('At most AHUB_MAX_TOKEN_DAYS (90 by default)'),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()

const TokenParams = OrgParams.extend({ id: z.string().min(1).max(64) })

function callerIsAdmin(req: FastifyRequest): boolean {
  return req.access?.scopes.includes('admin') ?? false
}

export const tokenRoutes: FastifyPluginAsync<RouteDeps> = async (app, { tokens }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.post(
    '/v1/orgs/:org/tokens',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token for yourself (the secret is shown once)',
        params: OrgParams,
        body: CreateBody,
        response: { 201: z.object({ token: TokenInfoSchema, secret: z.string() }) },
      },
    },
    async (req, reply) => {
      const { name, scopes = ['read'], expiresInDays, expiresAt } = req.body
      if (expiresInDays !== undefined && expiresAt !== undefined)
        throw new AppError('VALIDATION_FAILED', 'Send at most one of expiresInDays and expiresAt')
      const expiry =
        expiresInDays !== undefined
          ? new Date(Date.now() + expiresInDays * 86_400_000)
          : expiresAt !== undefined
            ? new Date(expiresAt)
            : null
      if (expiry && expiry.getTime() <= Date.now())
        throw new AppError('VALIDATION_FAILED', 'expiresAt is in the past')
      const maxDays = maxTokenDays()
      if (expiry && expiry.getTime() > Date.now() + maxDays * 86_400_000 + 60_000)
        throw new AppError(
          'TOKEN_LIFETIME_TOO_LONG',
          `A token lives at most ${maxDays} days (AHUB_MAX_TOKEN_DAYS)`,
          {
            details: { maxDays, expiresAt: expiry.toISOString() },
          },
        )
      // A token cannot make one that outlives it: a short-lived credential stays short-lived. Without
      // an expiry asked for, the new token ends with its parent; asking for a later one is refused.
      const caller = req.caller!
      let ends = expiry
      if (caller.kind === 'token') {
        const parent = await tokens.get(req.params.org, caller.tokenId)
        const parentEnd = parent.expiresAt ? Date.parse(parent.expiresAt) : Number.POSITIVE_INFINITY
        if (expiry && expiry.getTime() > parentEnd)
          throw new AppError(
            'TOKEN_OUTLIVES_PARENT',
            `A token cannot outlive the token that creates it (${parent.expiresAt})`,
            { details: { parentExpiresAt: parent.expiresAt } },
          )
        if (!expiry && parent.expiresAt && parentEnd < Date.now() + maxTokenDays() * 86_400_000)
          ends = new Date(parentEnd)
      }
      const held = req.access?.scopes ?? []
      const beyond = scopes.filter((s) => !held.includes(s))
      if (beyond.length > 0) {
        throw new AppError('FORBIDDEN', `A token cannot have more than you may do: ${beyond.join(', ')}`, {
          details: { requested: scopes, held },
        })
      }
      const created = await tokens.create({
        org: req.params.org,
        userId: req.caller!.userId,
        name,
        scopes,
        expiresAt: ends,
      })
      req.auditTarget = created.token.id
      req.auditDetails = { name, scopes, expiresAt: created.token.expiresAt }
      return reply.status(201).send(created)
    },
  )
  r.get(
    '/v1/orgs/:org/tokens',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['tokens'],
        summary: "List API tokens (an admin sees the org's, others their own); never the secrets",
        params: OrgParams,
        response: { 200: z.object({ tokens: z.array(TokenInfoSchema) }) },
      },
    },
    async (req) => ({
      tokens: await tokens.list(req.params.org, callerIsAdmin(req) ? undefined : req.caller!.userId),
    }),
  )
  r.delete(
    '/v1/orgs/:org/tokens/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke an API token (your own, or any as an admin); it stops working at once',
        params: TokenParams,
        response: { 200: TokenInfoSchema },
      },
    },
    async (req) => {
      const token = await tokens.get(req.params.org, req.params.id)
      if (token.userId !== req.caller!.userId && !callerIsAdmin(req))
        throw new AppError('TOKEN_NOT_FOUND', `No token "${req.params.id}"`, {
          details: { token: req.params.id },
        })
      return tokens.revoke(req.params.org, req.params.id)
    },
  )
}
