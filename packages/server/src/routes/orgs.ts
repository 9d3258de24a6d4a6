import { Role } from '@ahub/core'
import { OrgSettings } from '@ahub/store'
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RouteDeps } from '../app'
import { OrgParams } from './common'

const OrgSummary = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  role: Role.nullable().describe("The caller's role in it"),
})

const CreateBody = z
  .object({
    id: z.string().min(1).max(63).describe('Lower-case letters, digits and _; starts with a letter'),
    name: z.string().min(1).max(200),
  })
  .strict()

export const orgRoutes: FastifyPluginAsync<RouteDeps> = async (app, { store, access }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/v1/orgs',
    {
      config: { permission: 'signed-in' },
      schema: {
        tags: ['orgs'],
        summary: 'List the organisations you belong to (a token: its own)',
        response: { 200: z.object({ orgs: z.array(OrgSummary) }) },
      },
    },
    async (req) => {
      const caller = req.caller!
      const memberships =
        caller.kind === 'token'
          ? [{ org: caller.org, role: req.access?.role ?? null }]
          : (await access.memberships.ofUser(caller.userId)).filter((m) => m.status === 'active')
      const orgs = []
      for (const m of memberships) {
        const org = await store.orgs.find(m.org)
        if (org) orgs.push({ id: org.id, name: org.name, createdAt: org.createdAt, role: m.role })
      }
      return { orgs }
    },
  )
  r.post(
    '/v1/orgs',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['orgs'],
        summary: 'Create an organisation (admins of any organisation); you become its admin',
        body: CreateBody,
        response: { 201: OrgSummary },
      },
    },
    async (req, reply) => {
      const org = await store.createOrg(req.body.id, req.body.name)
      const userId = req.caller!.userId
      await access.memberships.set(org.id, userId, 'admin')
      access.forget(userId)
      req.auditTarget = org.id
      req.auditOrg = org.id
      req.auditDetails = { name: org.name }
      return reply
        .status(201)
        .send({ id: org.id, name: org.name, createdAt: org.createdAt, role: 'admin' as const })
    },
  )
  r.get(
    '/v1/orgs/:org',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['orgs'],
        summary: 'Show an organisation and its settings',
        params: OrgParams,
        response: { 200: OrgSummary.extend({ settings: OrgSettings }) },
      },
    },
    async (req) => {
      const org = await store.orgs.get(req.params.org)
      return { ...org, role: req.access?.role ?? null }
    },
  )
}
