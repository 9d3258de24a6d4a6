import { createReadStream } from 'node:fs'
import { basename, join } from 'node:path'
import { AppError, BatchReport, BatchSummary, DatasetDetail, DatasetSummary } from '@ahub/core'
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RouteDeps } from '../app'
import { spoolUpload } from '../upload'
import { FileQuery, OrgParams } from './common'

function rejectsUrl(org: string, batch: string): string {
  return `/v1/orgs/${encodeURIComponent(org)}/batches/${encodeURIComponent(batch)}/rejects`
}

const TableParams = OrgParams.extend({ table: z.string().min(1).max(63) })

/**
 * A batch as callers see it: the file's name without a folder, the reject file as its download
 * route, and no path of the server's data directory in an error message.
 */
export function publicBatch(org: string, dataDir: string, b: BatchSummary): BatchSummary {
  const hidePaths = (text: string) => {
    let out = text
    for (let at = out.indexOf(dataDir); at !== -1; at = out.indexOf(dataDir, at)) {
      const end = out.slice(at).search(/[\s'"`,;)]|$/)
      const path = out.slice(at, at + end)
      out = out.slice(0, at) + basename(path) + out.slice(at + end)
    }
    return out
  }
  let report = b.report
  if (report && 'batchId' in report)
    report = { ...report, rejectFile: report.rejectFile ? rejectsUrl(org, b.id) : null }
  else if (report) report = JSON.parse(hidePaths(JSON.stringify(report))) as typeof report
  return { ...b, file: basename(b.file), report }
}

export const datasetRoutes: FastifyPluginAsync<RouteDeps> = async (app, { store, maxUploadBytes }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/v1/orgs/:org/datasets',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['datasets'],
        summary: 'List datasets with row counts',
        params: OrgParams,
        response: { 200: z.object({ datasets: z.array(DatasetSummary) }) },
      },
    },
    async (req) => ({ datasets: await store.datasets.list(req.params.org) }),
  )
  r.get(
    '/v1/orgs/:org/datasets/:table',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['datasets'],
        summary: 'Show a dataset: counts, identity links, a sample',
        params: TableParams,
        querystring: z.object({ sample: z.coerce.number().int().min(0).max(100).optional() }).strict(),
        response: {
          200: DatasetDetail,
        },
      },
    },
    async (req) => store.datasets.show(req.params.org, req.params.table, req.query.sample ?? 5),
  )
  r.post(
    '/v1/orgs/:org/datasets/:table/batches',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['datasets'],
        summary: 'Ingest a file (the request body) into a dataset as one atomic batch',
        params: TableParams,
        querystring: FileQuery,
        response: { 200: BatchReport },
      },
    },
    async (req) => {
      await store.catalog.get(req.params.org, req.params.table)
      const upload = await spoolUpload(req.body, join(store.dataDir, 'uploads'), maxUploadBytes)
      try {
        const { fileName, format, ...csv } = req.query
        const report = await store.ingestor.ingest(req.params.org, req.params.table, upload.path, {
          fileName,
          format,
          csv,
        })
        // The reject file is served by its own route; the server's file path is not the caller's business.
        return {
          ...report,
          rejectFile: report.rejectFile ? rejectsUrl(req.params.org, report.batchId) : null,
        }
      } finally {
        await upload.cleanup()
      }
    },
  )
  r.get(
    '/v1/orgs/:org/batches',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['datasets'],
        summary: 'List ingestion batches, newest first',
        params: OrgParams,
        querystring: z
          .object({
            table: z.string().max(63).optional(),
            limit: z.coerce.number().int().min(1).max(500).optional(),
          })
          .strict(),
        response: { 200: z.object({ batches: z.array(BatchSummary) }) },
      },
    },
    async (req) => ({
      batches: (await store.batches.list(req.params.org, req.query.table, req.query.limit)).map((b) =>
        publicBatch(req.params.org, store.dataDir, b),
      ),
    }),
  )
  r.get(
    '/v1/orgs/:org/batches/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['datasets'],
        summary: 'Show a batch and its report',
        params: OrgParams.extend({ id: z.string().max(64) }),
        response: { 200: BatchSummary },
      },
    },
    async (req) =>
      publicBatch(req.params.org, store.dataDir, await store.batches.get(req.params.org, req.params.id)),
  )
  r.get(
    '/v1/orgs/:org/batches/:id/rejects',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['datasets'],
        summary: 'Download the reject file of a batch (CSV: line, column, code, reason, raw)',
        params: OrgParams.extend({ id: z.string().max(64) }),
      },
    },
    async (req, reply) => {
      const path = await store.batches.rejectPath(req.params.org, req.params.id)
      if (!path) throw new AppError('NOT_FOUND', 'This batch rejected nothing')
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${req.params.id}-rejects.csv"`)
        .send(createReadStream(path))
    },
  )
}
