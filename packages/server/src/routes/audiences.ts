import { createReadStream } from 'node:fs'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import {
  Audience,
  AudienceChangePage,
  AudienceMemberPage,
  AudienceOverlap,
  AudienceSaveResult,
  AudienceSchedule,
  AudienceScheduleInput,
  AudienceUser,
  AudienceVersion,
  ExportFormat,
  newId,
  ProfileAudiences,
} from '@ahub/core'
import { splitLines } from '@ahub/store'
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RouteDeps } from '../app'
import { spoolUpload } from '../upload'
import { OrgParams } from './common'

const AudienceParams = OrgParams.extend({ id: z.string().min(1).max(80) })
const Version = z.coerce.number().int().min(0).max(2_000_000_000)
const Limit = z.coerce.number().int().min(1).max(10_000)

const AudienceDetail = z.object({
  audience: Audience,
  versions: z.array(AudienceVersion).describe('Size history, newest first'),
  usedBy: z.array(AudienceUser),
})

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
}

/** Audience routes (docs/audiences.md): catalog, versions and change log, members, membership, overlap, exports. */
export const audienceRoutes: FastifyPluginAsync<RouteDeps> = async (app, { store, maxUploadBytes }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/v1/orgs/:org/audiences',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['audiences'],
        summary: 'List audiences',
        params: OrgParams,
        response: { 200: z.object({ audiences: z.array(Audience) }) },
      },
    },
    async (req) => ({ audiences: await store.audiences.list(req.params.org) }),
  )
  r.post(
    '/v1/orgs/:org/audiences',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['audiences'],
        summary: 'Create an audience (query, list or file) and write its first version',
        params: OrgParams,
        body: z.object({ type: z.enum(['query', 'list', 'file', 'shared']) }).passthrough(),
        response: { 200: AudienceSaveResult },
      },
    },
    async (req) => {
      const result = await store.audiences.create(req.params.org, req.body, {
        owner: req.caller?.userId ?? 'system',
      })
      req.auditTarget = result.audience.id
      return result
    },
  )
  r.post(
    '/v1/orgs/:org/audiences/upload',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['audiences'],
        summary: 'Create a file audience from an uploaded list of e-mails or phones, one per line',
        params: OrgParams,
        querystring: z
          .object({
            label: z.string().min(1).max(200),
            namespace: z.enum(['email', 'phone']),
            defaultCountry: z.string().length(2).optional(),
            expiryDays: z.coerce.number().int().min(1).max(36_500).optional(),
            fileName: z.string().max(255).optional(),
          })
          .strict(),
        response: { 200: AudienceSaveResult },
      },
    },
    async (req) => {
      const upload = await spoolUpload(req.body, join(store.dataDir, 'uploads'), maxUploadBytes)
      try {
        const { fileName, ...q } = req.query
        const lines = splitLines(await readFile(upload.path, 'utf8'))
        const result = await store.audiences.create(
          req.params.org,
          { type: 'file', ...q, lines, origin: { kind: 'upload', ...(fileName ? { ref: fileName } : {}) } },
          { owner: req.caller?.userId ?? 'system' },
        )
        req.auditTarget = result.audience.id
        return result
      } finally {
        await upload.cleanup()
      }
    },
  )
  r.get(
    '/v1/orgs/:org/audiences/overlap',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['audiences'],
        summary: 'Counts of every Venn region of two or three audiences',
        params: OrgParams,
        querystring: z
          .object({ ids: z.string().max(300).describe('Audience ids separated by commas') })
          .strict(),
        response: { 200: AudienceOverlap },
      },
    },
    async (req) =>
      store.audiences.overlap(
        req.params.org,
        req.query.ids.split(',').map((s) => s.trim()),
      ),
  )
  r.get(
    '/v1/orgs/:org/audiences/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['audiences'],
        summary: 'Show an audience: definition, size history and what uses it',
        params: AudienceParams,
        response: { 200: AudienceDetail },
      },
    },
    async (req) => {
      const { org, id } = req.params
      return {
        audience: await store.audiences.get(org, id),
        versions: await store.audiences.versions(org, id),
        usedBy: await store.audiences.users(org, id),
      }
    },
  )
  r.patch(
    '/v1/orgs/:org/audiences/:id',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['audiences'],
        summary: 'Change the label, expiry or rule (a new rule writes a new version)',
        params: AudienceParams,
        body: z.object({}).passthrough(),
        response: { 200: Audience },
      },
    },
    async (req) => {
      req.auditTarget = req.params.id
      return store.audiences.update(req.params.org, req.params.id, req.body, {
        owner: req.caller?.userId ?? 'system',
      })
    },
  )
  r.delete(
    '/v1/orgs/:org/audiences/:id',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['audiences'],
        summary: 'Delete an audience and its history',
        params: AudienceParams,
        response: { 200: z.object({ deleted: z.string() }) },
      },
    },
    async (req) => {
      req.auditTarget = req.params.id
      await store.audiences.delete(req.params.org, req.params.id)
      return { deleted: req.params.id }
    },
  )
  r.post(
    '/v1/orgs/:org/audiences/:id/refresh',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['audiences'],
        summary: 'Re-evaluate a query audience into a new version',
        params: AudienceParams,
        response: { 200: AudienceSaveResult },
      },
    },
    async (req) => {
      req.auditTarget = req.params.id
      return store.audiences.refresh(req.params.org, req.params.id)
    },
  )
  r.get(
    '/v1/orgs/:org/audiences/:id/schedule',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['audiences'],
        summary: "A query audience's refresh schedule (null when none) and its next launches",
        params: AudienceParams,
        response: {
          200: z.object({ schedule: AudienceSchedule.nullable(), nextLaunches: z.array(z.string()) }),
        },
      },
    },
    async (req) => {
      await store.audiences.get(req.params.org, req.params.id)
      const schedule = await store.audienceSchedules.get(req.params.org, req.params.id)
      return {
        schedule,
        nextLaunches: schedule ? store.audienceSchedules.preview(schedule.cron, schedule.timeZone) : [],
      }
    },
  )
  r.put(
    '/v1/orgs/:org/audiences/:id/schedule',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['audiences'],
        summary: 'Re-evaluate a query audience on a cron schedule in a time zone (replaces any schedule)',
        params: AudienceParams,
        body: AudienceScheduleInput,
        response: { 200: z.object({ schedule: AudienceSchedule, nextLaunches: z.array(z.string()) }) },
      },
    },
    async (req) => {
      req.auditTarget = req.params.id
      const schedule = await store.audienceSchedules.set(req.params.org, req.params.id, req.body)
      return { schedule, nextLaunches: store.audienceSchedules.preview(schedule.cron, schedule.timeZone) }
    },
  )
  r.delete(
    '/v1/orgs/:org/audiences/:id/schedule',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['audiences'],
        summary: 'Stop refreshing an audience on a schedule',
        params: AudienceParams,
        response: { 200: z.object({ removed: z.boolean() }) },
      },
    },
    async (req) => {
      req.auditTarget = req.params.id
      return { removed: await store.audienceSchedules.remove(req.params.org, req.params.id) }
    },
  )
  r.get(
    '/v1/orgs/:org/audiences/:id/versions',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['audiences'],
        summary: 'Versions with size, entered and exited counts, newest first',
        params: AudienceParams,
        querystring: z.object({ limit: Limit.optional() }).strict(),
        response: { 200: z.object({ versions: z.array(AudienceVersion) }) },
      },
    },
    async (req) => ({
      versions: await store.audiences.versions(req.params.org, req.params.id, req.query.limit),
    }),
  )
  r.get(
    '/v1/orgs/:org/audiences/:id/members',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['audiences'],
        summary: 'Members of a version (the current one by default), paged, searchable by identity prefix',
        params: AudienceParams,
        querystring: z
          .object({
            version: Version.optional(),
            search: z.string().max(200).optional(),
            limit: Limit.optional(),
            cursor: z.string().max(2000).optional(),
          })
          .strict(),
        response: { 200: AudienceMemberPage },
      },
    },
    async (req) => store.audiences.members(req.params.org, req.params.id, req.query),
  )
  r.get(
    '/v1/orgs/:org/audiences/:id/changes',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['audiences'],
        summary: 'Change log: members that entered or exited after version `since`, paged',
        params: AudienceParams,
        querystring: z
          .object({
            since: Version.default(0),
            until: Version.optional(),
            limit: Limit.optional(),
            cursor: z.string().max(2000).optional(),
          })
          .strict(),
        response: { 200: AudienceChangePage },
      },
    },
    async (req) => store.audiences.changes(req.params.org, req.params.id, req.query),
  )
  r.get(
    '/v1/orgs/:org/audiences/:id/export',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['audiences'],
        summary: 'Download the members as CSV, NDJSON or Parquet, plain or hashed for a destination profile',
        params: AudienceParams,
        querystring: z
          .object({
            format: ExportFormat.default('csv'),
            hashProfile: z.string().max(40).optional(),
            attributes: z
              .enum(['true', 'false'])
              .transform((v) => v === 'true')
              .optional(),
            version: Version.optional(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const { org, id } = req.params
      const path = join(store.dataDir, 'exports', `${newId('x')}.${req.query.format}`)
      await mkdir(join(store.dataDir, 'exports'), { recursive: true })
      await store.audiences.export(org, id, path, req.query)
      const stream = createReadStream(path)
      stream.on('close', () => void rm(path, { force: true }))
      return reply
        .type(CONTENT_TYPES[req.query.format])
        .header('content-disposition', `attachment; filename="${id}.${req.query.format}"`)
        .send(stream)
    },
  )
  r.get(
    '/v1/orgs/:org/profiles/:id/audiences',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['audiences'],
        summary: 'The audiences a profile currently belongs to',
        params: OrgParams.extend({ id: z.string().min(1).max(1024) }),
        querystring: z.object({ dimension: z.string().max(63).optional() }).strict(),
        response: { 200: ProfileAudiences },
      },
    },
    async (req) => store.audiences.profileAudiences(req.params.org, req.params.id, req.query),
  )
}
