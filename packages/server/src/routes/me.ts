import { AppError, isAppError, Role, Scope } from '@ahub/core'
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RouteDeps } from '../app'
import type { Caller } from '../auth/caller'
import { UserSchema } from './users'

const MeSchema = z.object({
  user: UserSchema,
  via: z.enum(['token', 'oidc']),
  token: z.object({ id: z.string(), org: z.string(), scopes: z.array(Scope) }).nullable(),
  issuer: z.string().nullable(),
  memberships: z.array(z.object({ org: z.string(), role: Role })),
})

const Invitation = z.object({
  org: z.string(),
  orgName: z.string(),
  role: Role,
  invitedBy: z.string().nullable().describe('E-mail of the admin who invited you'),
})

const InvitationParams = z.object({ invitation: z.string().min(1).max(63).describe('The organisation id') })

export const meRoutes: FastifyPluginAsync<RouteDeps> = async (app, { access, passwords, store }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()

  /** Invitations are answered by the person, signed in as themselves (the `person` permission). */
  const person = (req: { caller?: Caller }): string => req.caller!.userId

  /** The caller's pending invitation to `org`; INVITATION_NOT_FOUND when there is none. */
  async function invitation(userId: string, org: string) {
    const m = await access.memberships.of(userId, org)
    if (m?.status !== 'invited')
      throw new AppError('INVITATION_NOT_FOUND', `No pending invitation to "${org.slice(0, 63)}"`)
    return m
  }

  r.get(
    '/v1/me/invitations',
    {
      config: { permission: 'person' },
      schema: {
        tags: ['users'],
        summary: 'Your pending invitations: organisations whose admin added you, until you accept or decline',
        response: { 200: z.object({ invitations: z.array(Invitation) }) },
      },
    },
    async (req) => {
      const userId = person(req)
      const invitations = []
      for (const m of await access.memberships.ofUser(userId)) {
        if (m.status !== 'invited') continue
        const org = await store.orgs.find(m.org)
        const by = await access.memberships.invitedBy(userId, m.org)
        const inviter = by ? await access.users.find(by) : null
        if (org)
          invitations.push({ org: m.org, orgName: org.name, role: m.role, invitedBy: inviter?.email ?? null })
      }
      return { invitations }
    },
  )
  r.post(
    '/v1/me/invitations/:invitation/accept',
    {
      config: { permission: 'person' },
      schema: {
        tags: ['users'],
        summary: 'Accept an invitation: you become a member of that organisation with the role offered',
        params: InvitationParams,
        response: { 200: z.object({ org: z.string(), role: Role }) },
      },
    },
    async (req) => {
      const userId = person(req)
      const m = await invitation(userId, req.params.invitation)
      await access.memberships.setStatus(m.org, userId, 'active')
      access.forget(userId)
      req.auditOrg = m.org
      req.auditTarget = userId
      req.auditDetails = { role: m.role }
      return { org: m.org, role: m.role }
    },
  )
  r.delete(
    '/v1/me/invitations/:invitation',
    {
      config: { permission: 'person' },
      schema: {
        tags: ['users'],
        summary: 'Decline an invitation: it is withdrawn and the organisation gets no access to you',
        params: InvitationParams,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const userId = person(req)
      const m = await invitation(userId, req.params.invitation)
      await access.memberships.remove(m.org, userId)
      access.forget(userId)
      req.auditOrg = m.org
      req.auditTarget = userId
      return reply.status(204).send(null)
    },
  )

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
      config: { permission: 'person' },
      schema: {
        tags: ['users'],
        summary:
          'Set or change your password for the built-in sign-in, signed in as yourself (not with an API token); the current one is required when set, and guesses are throttled like sign-ins',
        body: z.object({ current: z.string().max(1024).optional(), password: z.string().max(1024) }).strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const caller = req.caller!
      const user = await access.user(caller.userId)
      if (!user) throw new AppError('USER_NOT_FOUND', 'Your user no longer exists')
      if (await passwords.has(user.id)) {
        try {
          // The same throttle as the sign-in form: 5 wrong passwords lock both for 15 minutes.
          const ok = await passwords.attempt(user.email, req.body.current ?? '', req.ip)
          if (!ok) throw new AppError('PASSWORD_MISMATCH', 'The current password is not right')
        } catch (e) {
          const wait = isAppError(e) ? e.details?.retryAfterSeconds : undefined
          if (wait !== undefined) reply.header('retry-after', String(wait))
          throw e
        }
      }
      await passwords.set(user.id, req.body.password)
      req.auditTarget = user.id
      return reply.status(204).send(null)
    },
  )
}
