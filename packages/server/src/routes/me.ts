import { AppError, Role, Scope } from '@ahub/core'
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RouteDeps } from '../app'
import { UserSchema } from './users'

const MeSchema = z.object({
  user: UserSchema,
  via: z.enum(['token', 'oidc']),
  token: z.object({ id: z.string(), org: z.string(), scopes: z.array(Scope) }).nullable(),
  issuer: z.string().nullable(),
  memberships: z.array(z.object({ org: z.string(), role: Role })),
})

export const meRoutes: FastifyPluginAsync<RouteDeps> = async (app, { access, passwords }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/v1/me',
    {
      config: { permission: 'signed-in' },
      schema: {
        tags: ['users'],
        summary: 'Who you are: your user, how you signed in, your organisations and roles',
        response: { 200: MeSchema },
      },
    },
    async (req) => {
      const caller = req.caller!
      // Both come from the cache the auth hook just filled: answering costs no query.
      const user = await access.user(caller.userId)
      if (!user) throw new AppError('USER_NOT_FOUND', 'Your user no longer exists')
      const memberships = await access.membershipsOf(caller.userId)
      return {
        user,
        via: caller.kind === 'token' ? ('token' as const) : ('oidc' as const),
        token:
          caller.kind === 'token'
            ? { id: caller.tokenId, org: caller.org, scopes: req.access?.scopes ?? [] }
            : null,
        issuer: caller.kind === 'user' ? caller.issuer : null,
        memberships: caller.kind === 'token' ? memberships.filter((m) => m.org === caller.org) : memberships,
      }
    },
  )
  r.put(
    '/v1/me/password',
    {
      config: { permission: 'signed-in' },
      schema: {
        tags: ['users'],
        summary: 'Set or change your password for the built-in sign-in; the current one is required when set',
        body: z.object({ current: z.string().max(1024).optional(), password: z.string().max(1024) }).strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const caller = req.caller!
      const user = await access.user(caller.userId)
      if (!user) throw new AppError('USER_NOT_FOUND', 'Your user no longer exists')
      if (await passwords.has(user.id)) {
        const ok = await passwords.check(user.email, req.body.current ?? '')
        if (!ok) throw new AppError('PASSWORD_MISMATCH', 'The current password is not right')
      }
      await passwords.set(user.id, req.body.password)
      req.auditTarget = user.id
      return reply.status(204).send(null)
    },
  )
}
