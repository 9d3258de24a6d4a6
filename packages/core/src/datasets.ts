import { z } from 'zod'
import { BatchReport } from './ingest'
import { TableDef } from './schema/model'

/** A dataset (the rows of one table) at a glance. */
export const DatasetSummary = z.object({
  table: z.string(),
  rows: z.number(),
  revision: z.number(),
  lastBatch: z.object({ id: z.string(), status: z.string(), finishedAt: z.string().nullable() }).nullable(),
})
export type DatasetSummary = z.infer<typeof DatasetSummary>

/** A dataset with its definition, identity-link counts and a sample of rows. */
export const DatasetDetail = DatasetSummary.extend({
  definition: TableDef,
  identityLinks: z.array(z.object({ namespace: z.string(), links: z.number(), profiles: z.number() })),
  flaggedIdentities: z.number(),
  sample: z.array(z.record(z.string(), z.unknown())),
})
export type DatasetDetail = z.infer<typeof DatasetDetail>

/** One ingestion batch: its state, and its report once it has one (or the error it failed with). */
export const BatchSummary = z.object({
  id: z.string(),
  table: z.string(),
  file: z.string(),
  format: z.string(),
  status: z.enum(['running', 'succeeded', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  report: z.union([BatchReport, z.object({ error: z.unknown() })]).nullable(),
})
export type BatchSummary = z.infer<typeof BatchSummary>
