import { AppError, Role } from '@ahub/core'
import type { MembershipStatus as Status, User } from '@ahub/store'
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

const MembershipStatus = z
  .enum(['active', 'invited', 'disabled'])
  .describe('active; invited (an existing user added here, until they accept); disabled (in this org only)')

const Member = z.object({ user: UserSchema, role: Role, status: MembershipStatus })

const MemberParams = OrgParams.extend({
  user: z.string().min(1).max(254).describe('User id or e-mail address'),
})

const AddBody = z
  .object({ email: z.string().min(3).max(254), name: z.string().max(200).nullable().optional(), role: Role })
  .strict()

export const userRoutes: FastifyPluginAsync<RouteDeps> = async (app, { access, tokens, passwords }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const { users, memberships } = access

  /** The member of `org` (in any status) named by id or e-mail; USER_NOT_FOUND when they are not one. */
  async function member(org: string, idOrEmail: string): Promise<{ user: User; role: Role; status: Status }> {
    const user = idOrEmail.includes('@') ? await users.findByEmail(idOrEmail) : await users.find(idOrEmail)
    const m = user ? await memberships.of(user.id, org) : null
    if (!user || !m)
      throw new AppError('USER_NOT_FOUND', `No member "${idOrEmail.slice(0, 254)}" in this organisation`)
    return { user, role: m.role, status: m.status }
  }

  /** Throws LAST_ADMIN when `userId` is the org's only active admin. */
  async function keepAnAdmin(org: string, userId: string): Promise<void> {
    const admins = (await memberships.ofOrg(org)).filter(
      (m) => m.role === 'admin' && m.status === 'active' && !m.user.disabled,
    )
    if (admins.length === 1 && admins[0]!.user.id === userId)
      throw new AppError('LAST_ADMIN', 'The organisation would have no admin left')
  }

  /**
   * True when `adminId` is an active admin of every organisation `userId` belongs to (invitations
   * not counted): only then may they act on the person's account rather than on one membership.
   */
  async function managesEverywhere(adminId: string, userId: string): Promise<boolean> {
    const theirs = (await memberships.ofUser(userId)).filter((m) => m.status !== 'invited')
    for (const m of theirs) if ((await memberships.roleIn(adminId, m.org)) !== 'admin') return false
    return true
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
      const existing = await users.findByEmail(req.body.email)
      const current = existing ? await memberships.of(existing.id, org) : null
      if (current?.role === 'admin' && req.body.role !== 'admin') await keepAnAdmin(org, existing!.id)
      // A person who already has an account (they may belong to other organisations, sign in
      // elsewhere) is invited: nothing changes for them here until they accept. A new address
      // gets its account and an active membership at once.
      const user = existing ?? (await users.create(req.body))
      const status: Status = current?.status ?? (existing ? 'invited' : 'active')
      await memberships.set(org, user.id, req.body.role, {
        status,
        invitedBy: existing && !current ? req.caller!.userId : undefined,
      })
      access.forget(user.id)
      req.auditTarget = user.id
      req.auditDetails = { role: req.body.role, previous: current?.role ?? null, status }
      return reply.status(201).send({ user, role: req.body.role, status })
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
      return { user: m.user, role: req.body.role, status: m.status }
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
      if (m.role === 'admin' && m.status === 'active') await keepAnAdmin(org, m.user.id)
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
        summary:
          'Disable (or enable) a membership: the person and their tokens are refused in this organisation only',
        params: MemberParams,
        body: z.object({ disabled: z.boolean() }).strict(),
        response: { 200: Member },
      },
    },
    async (req) => {
      const { org } = req.params
      const m = await member(org, req.params.user)
      if (m.status === 'invited')
        throw new AppError('INVITATION_PENDING', 'The invitation is not accepted yet: withdraw it instead')
      if (req.body.disabled) {
        if (m.user.id === req.caller!.userId) throw new AppError('FORBIDDEN', 'You cannot disable yourself')
        if (m.role === 'admin' && m.status === 'active') await keepAnAdmin(org, m.user.id)
      }
      const status: Status = req.body.disabled ? 'disabled' : 'active'
      await memberships.setStatus(org, m.user.id, status)
      access.forget(m.user.id)
      req.auditTarget = m.user.id
      req.auditDetails = { disabled: req.body.disabled }
      return { user: m.user, role: m.role, status }
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
      // A person's credentials are theirs: an admin sets a first one only for someone whose every
      // organisation they administer, never for a person who also belongs (or is invited) elsewhere.
      if (m.status === 'invited' || !(await managesEverywhere(req.caller!.userId, m.user.id)))
        throw new AppError(
          'USER_NOT_MANAGED',
          'This person belongs to organisations you do not administer; only they can set their password',
        )
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
