import { z } from 'zod'

/** One rejected input record (or one problem with it): where, why, and the line as it was. */
export const RejectEntry = z.object({
  line: z.number().int().nullable(),
  column: z.string().nullable(),
  code: z.string(),
  reason: z.string(),
  raw: z.string().nullable(),
})
export type RejectEntry = z.infer<typeof RejectEntry>

export const IdentityLinkReport = z.object({
  linked: z.number().int(),
  removed: z.number().int(),
  overCap: z.number().int(),
  flagged: z.number().int(),
})
export type IdentityLinkReport = z.infer<typeof IdentityLinkReport>

/**
 * What one batch did. received = inserted + updated + deleted + unchanged + superseded + rejected,
 * where superseded counts rows replaced by a higher version of the same key within the batch.
 */
export const BatchReport = z.object({
  batchId: z.string(),
  org: z.string(),
  table: z.string(),
  file: z.string(),
  format: z.enum(['csv', 'ndjson', 'parquet']),
  status: z.enum(['succeeded', 'failed']),
  received: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  deleted: z.number().int(),
  unchanged: z.number().int(),
  superseded: z.number().int(),
  rejected: z.number().int(),
  rejectFile: z.string().nullable(),
  rejectSample: z.array(RejectEntry),
  identities: IdentityLinkReport.nullable(),
  durationMs: z.number(),
  /** Milliseconds spent in each phase, for tuning: reading, validating, applying, identities. */
  phaseMs: z.record(z.string(), z.number()),
  startedAt: z.string(),
})
export type BatchReport = z.infer<typeof BatchReport>

export type IngestPhase = 'reading' | 'validating' | 'applying' | 'identities' | 'done'

/** Progress of a running ingestion, for progress bars. */
export interface IngestProgress {
  phase: IngestPhase
  /** 0 to 100 within the reading phase, as the engine estimates it from bytes read. */
  percentage: number
  bytesTotal: number
  rows?: number
}
