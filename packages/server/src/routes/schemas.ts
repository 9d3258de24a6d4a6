import { join } from 'node:path'
import { AppError, checkSchemaShape, parseSchemaText, type SchemaFile, StoredTable } from '@ahub/core'
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RouteDeps } from '../app'
import { spoolUpload } from '../upload'
import { FileQuery, OrgParams } from './common'

const ApplyBody = z
  .object({
    schema: z.unknown().optional().describe('A schema file as a JSON object (docs/schema-format.md)'),
    text: z.string().max(1_048_576).optional().describe('A schema file as YAML or JSON text'),
    allowDestructive: z.boolean().optional(),
    dryRun: z.boolean().optional(),
  })
  .strict()

const TableDiff = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  retyped: z.array(z.object({ field: z.string(), from: z.string(), to: z.string() })),
  enumValuesRemoved: z.array(z.object({ field: z.string(), values: z.array(z.string()) })),
  keyChanged: z.boolean(),
})

const ApplyResult = z.object({
  created: z.array(z.string()),
  updated: z.array(z.object({ table: z.string(), diff: TableDiff })),
  unchanged: z.array(z.string()),
})

export const schemaRoutes: FastifyPluginAsync<RouteDeps> = async (app, { store, maxUploadBytes }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/v1/orgs/:org/schemas',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['schemas'],
        summary: 'List tables',
        params: OrgParams,
        response: { 200: z.object({ tables: z.array(StoredTable) }) },
      },
    },
    async (req) => ({ tables: await store.catalog.list(req.params.org) }),
  )
  r.get(
    '/v1/orgs/:org/schemas/:table',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['schemas'],
        summary: 'Show a table',
        params: OrgParams.extend({ table: z.string().max(63) }),
        response: { 200: StoredTable },
      },
    },
    async (req) => store.catalog.get(req.params.org, req.params.table),
  )
  r.post(
    '/v1/orgs/:org/schemas',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['schemas'],
        summary: 'Apply a schema file (create tables, add fields; destructive changes need allowDestructive)',
        params: OrgParams,
        body: ApplyBody,
        response: { 200: ApplyResult },
      },
    },
    async (req) => {
      const { schema, text, allowDestructive, dryRun } = req.body
      if ((schema === undefined) === (text === undefined)) {
        throw new AppError(
          'VALIDATION_FAILED',
          'Send exactly one of "schema" (an object) or "text" (YAML or JSON)',
        )
      }
      const file: SchemaFile = text !== undefined ? parseSchemaText(text) : checkSchemaShape(schema)
      return store.catalog.apply(req.params.org, file, { allowDestructive, dryRun })
    },
  )
  r.post(
    '/v1/orgs/:org/schemas/infer',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['schemas'],
        summary: 'Infer a table definition from an uploaded CSV, NDJSON or Parquet file (the body)',
        params: OrgParams,
        querystring: FileQuery.extend({ table: z.string().max(63) }),
        response: {
          200: z.object({ schema: z.unknown(), notes: z.array(z.string()), sampledRows: z.number() }),
        },
      },
    },
    async (req) => {
      const upload = await spoolUpload(req.body, join(store.dataDir, 'uploads'), maxUploadBytes)
      try {
        const { table, fileName, format, ...csv } = req.query
        return await store.infer(upload.path, { table, name: fileName, format, csv })
      } finally {
        await upload.cleanup()
      }
    },
  )
}
