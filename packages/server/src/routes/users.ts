import { AppError, Role } from '@ahub/core'
import type { User } from '@ahub/store'
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RouteDeps } from '../app'
import { OrgParams } from './common'

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
})

const Member = z.object({ user: UserSchema, role: Role })

const MemberParams = OrgParams.extend({
  user: z.string().min(1).max(254).describe('User id or e-mail address'),
})

const AddBody = z
  .object({ email: z.string().min(3).max(254), name: z.string().max(200).nullable().optional(), role: Role })
  .strict()

export const userRoutes: FastifyPluginAsync<RouteDeps> = async (app, { access, tokens, passwords }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { users, memberships } = access

  /** The member of `org` named by id or e-mail; USER_NOT_FOUND when they are not one. */
  async function member(org: string, idOrEmail: string): Promise<{ user: User; role: Role }> {
    const user = idOrEmail.includes('@')
      ? await users.findByEmail(idOrEmail)
      : await users.get(idOrEmail).catch(() => null)
    const role = user ? await memberships.roleIn(user.id, org) : null
    if (!user || !role)
      throw new AppError('USER_NOT_FOUND', `No member "${idOrEmail.slice(0, 254)}" in this organisation`)
    return { user, role }
  }

  /** Throws LAST_ADMIN when `userId` is the org's only active admin. */
  async function keepAnAdmin(org: string, userId: string): Promise<void> {
    const admins = (await memberships.ofOrg(org)).filter((m) => m.role === 'admin' && !m.user.disabled)
    if (admins.length === 1 && admins[0]!.user.id === userId)
      throw new AppError('LAST_ADMIN', 'The organisation would have no admin left')
  }

  r.get(
    '/v1/orgs/:org/members',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'List the members of an organisation with their roles',
        params: OrgParams,
        response: { 200: z.object({ members: z.array(Member) }) },
      },
    },
    async (req) => ({ members: await memberships.ofOrg(req.params.org) }),
  )
  r.post(
    '/v1/orgs/:org/members',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Add a user (created when the e-mail is new) to an organisation with a role',
        params: OrgParams,
        body: AddBody,
        response: { 201: Member },
      },
    },
    async (req, reply) => {
      const { org } = req.params
      const user = (await users.findByEmail(req.body.email)) ?? (await users.create(req.body))
      const current = await memberships.roleIn(user.id, org)
      if (current === 'admin' && req.body.role !== 'admin') await keepAnAdmin(org, user.id)
      await memberships.set(org, user.id, req.body.role)
      access.forget(user.id)
      req.auditTarget = user.id
      req.auditDetails = { role: req.body.role, previous: current }
      return reply.status(201).send({ user, role: req.body.role })
    },
  )
  r.put(
    '/v1/orgs/:org/members/:user',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['users'],
        summary: "Change a member's role",
        params: MemberParams,
        body: z.object({ role: Role }).strict(),
        response: { 200: Member },
      },
    },
    async (req) => {
      const { org } = req.params
      const m = await member(org, req.params.user)
      if (m.role === 'admin' && req.body.role !== 'admin') await keepAnAdmin(org, m.user.id)
      await memberships.set(org, m.user.id, req.body.role)
      access.forget(m.user.id)
      req.auditTarget = m.user.id
      req.auditDetails = { role: req.body.role, previous: m.role }
      return { user: m.user, role: req.body.role }
    },
  )
  r.delete(
    '/v1/orgs/:org/members/:user',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Remove a member from an organisation and revoke their tokens there',
        params: MemberParams,
        response: { 200: z.object({ removed: z.string(), tokensRevoked: z.number() }) },
      },
    },
    async (req) => {
      const { org } = req.params
      const m = await member(org, req.params.user)
      if (m.role === 'admin') await keepAnAdmin(org, m.user.id)
      await memberships.remove(org, m.user.id)
      let revoked = 0
      for (const t of await tokens.list(org, m.user.id)) {
        if (t.revokedAt) continue
        await tokens.revoke(org, t.id)
        revoked++
      }
      access.forget(m.user.id)
      req.auditTarget = m.user.id
      req.auditDetails = { previous: m.role, tokensRevoked: revoked }
      return { removed: m.user.id, tokensRevoked: revoked }
    },
  )
  r.put(
    '/v1/orgs/:org/members/:user/disabled',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Disable (or enable) a member: their sign-ins and tokens are refused everywhere',
        params: MemberParams,
        body: z.object({ disabled: z.boolean() }).strict(),
        response: { 200: UserSchema },
      },
    },
    async (req) => {
      const { org } = req.params
      const m = await member(org, req.params.user)
      if (req.body.disabled) {
        if (m.user.id === req.caller!.userId) throw new AppError('FORBIDDEN', 'You cannot disable yourself')
        if (m.role === 'admin') await keepAnAdmin(org, m.user.id)
      }
      await users.setDisabled(m.user.id, req.body.disabled)
      access.forget(m.user.id)
      req.auditTarget = m.user.id
      req.auditDetails = { disabled: req.body.disabled }
      return users.get(m.user.id)
    },
  )
  r.put(
    '/v1/orgs/:org/members/:user/password',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['users'],
        summary:
          'Give a member who has none a first password for the built-in sign-in (they change it with PUT /v1/me/password)',
        params: MemberParams,
        body: z.object({ password: z.string().max(1024) }).strict(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const m = await member(req.params.org, req.params.user)
      // Only a first password: an admin of one org must not take over an account that signs in elsewhere.
      if (await passwords.has(m.user.id))
        throw new AppError(
          'PASSWORD_ALREADY_SET',
          'This user already has a password; only they can change it',
        )
      await passwords.set(m.user.id, req.body.password)
      req.auditTarget = m.user.id
      return reply.status(204).send(null)
    },
  )
}
