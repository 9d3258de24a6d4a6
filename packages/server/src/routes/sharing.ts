import { createReadStream } from 'node:fs'
import {
  Audience,
  DataSource,
  DataSourceInput,
  ImportedAudience,
  SharedAudience,
  ShareExportRequest,
  ShareImportRequest,
  SyncJob,
} from '@ahub/core'
import type { SharingService } from '@ahub/sharing'
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { OrgParams } from './common'

const JobParams = OrgParams.extend({ job: z.string().min(1).max(80) })
const AudienceParams = OrgParams.extend({ id: z.string().min(1).max(80) })

/** What the sharing routes need: the sharing service of the server's store. */
export interface SharingRouteDeps {
  sharing: SharingService
}

/**
 * Sharing routes (docs/sharing.md): data sources and shared audiences seen from this org, export,
 * import and re-sync, sync jobs and their match reports. Thin: the service does the work. Exports
 * and imports need the `share` permission (a person signed in, or a token with the share scope).
 */
export const sharingRoutes: FastifyPluginAsync<SharingRouteDeps> = async (app, { sharing }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['sharing']

  r.get(
    '/v1/orgs/:org/sharing/data-sources',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Data sources this org can use on the hub (keys never shown)',
        params: OrgParams,
        response: { 200: z.object({ dataSources: z.array(DataSource) }) },
      },
    },
    async (req) => ({ dataSources: await sharing.dataSources(req.params.org) }),
  )
  r.post(
    '/v1/orgs/:org/sharing/data-sources',
    {
      config: { permission: 'share' },
      schema: {
        tags,
        summary: 'Create a data source on the hub; keys and IVs are write-only',
        params: OrgParams,
        body: DataSourceInput,
        response: { 200: DataSource },
      },
    },
    async (req) => {
      const ds = await sharing.createDataSource(req.params.org, req.body)
      req.auditTarget = ds.id
      return ds
    },
  )
  r.get(
    '/v1/orgs/:org/sharing/shared-audiences',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Shared audiences this org owns or that are shared with it',
        params: OrgParams,
        response: { 200: z.object({ sharedAudiences: z.array(SharedAudience) }) },
      },
    },
    async (req) => ({ sharedAudiences: await sharing.sharedAudiences(req.params.org) }),
  )
  r.post(
    '/v1/orgs/:org/sharing/exports',
    {
      config: { permission: 'share' },
      schema: {
        tags,
        summary: 'Export an audience to a shared audience (a sync job; fails with the job id in details)',
        params: OrgParams,
        body: ShareExportRequest,
        response: { 200: SyncJob },
      },
    },
    async (req) => {
      req.auditTarget = req.body.audience
      return sharing.exportAudience(req.params.org, req.body)
    },
  )
  r.post(
    '/v1/orgs/:org/sharing/imports',
    {
      config: { permission: 'share' },
      schema: {
        tags,
        summary:
          'Import a shared audience into a new audience of type shared (or file, for encrypted contacts)',
        params: OrgParams,
        body: ShareImportRequest,
        response: { 200: z.object({ audience: Audience, job: SyncJob }) },
      },
    },
    async (req) => {
      req.auditTarget = req.body.sharedAudience
      return sharing.importShared(req.params.org, req.body)
    },
  )
  r.get(
    '/v1/orgs/:org/sharing/imports',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Audiences fed by shared audiences, with the version each reflects',
        params: OrgParams,
        response: { 200: z.object({ imports: z.array(ImportedAudience) }) },
      },
    },
    async (req) => ({ imports: await sharing.imports(req.params.org) }),
  )
  r.post(
    '/v1/orgs/:org/sharing/imports/:id/sync',
    {
      config: { permission: 'share' },
      schema: {
        tags,
        summary: 'Re-import the current version of the shared audience feeding an audience',
        params: AudienceParams,
        response: { 200: SyncJob },
      },
    },
    async (req) => {
      req.auditTarget = req.params.id
      return sharing.sync(req.params.org, req.params.id)
    },
  )
  r.get(
    '/v1/orgs/:org/sharing/jobs',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Sync jobs, newest first',
        params: OrgParams,
        querystring: z
          .object({
            audience: z.string().max(80).optional(),
            sharedAudience: z.string().max(80).optional(),
            limit: z.coerce.number().int().min(1).max(1000).optional(),
          })
          .strict(),
        response: { 200: z.object({ jobs: z.array(SyncJob) }) },
      },
    },
    async (req) => ({ jobs: await sharing.listJobs(req.params.org, req.query) }),
  )
  r.get(
    '/v1/orgs/:org/sharing/jobs/:job',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'One sync job with its counts, durations and error',
        params: JobParams,
        response: { 200: SyncJob },
      },
    },
    async (req) => sharing.job(req.params.org, req.params.job),
  )
  r.get(
    '/v1/orgs/:org/sharing/jobs/:job/report',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary:
          'Download the report of a job (CSV: id, outcome, reason): unmatched, invalid and ambiguous IDs of an import, unmapped members of an export',
        params: JobParams,
      },
    },
    async (req, reply) => {
      const path = await sharing.reportPath(req.params.org, req.params.job)
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${req.params.job}-report.csv"`)
        .send(createReadStream(path))
    },
  )
}
