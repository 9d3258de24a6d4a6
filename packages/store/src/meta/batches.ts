import { AppError, type BatchSummary } from '@ahub/core'
import type { Engine } from '../engine'

/** The log of ingestion batches per org. */
export class BatchRepository {
  constructor(private readonly engine: Engine) {}

  async list(org: string, table?: string, limit = 50): Promise<BatchSummary[]> {
    const rows = await this.engine.query<Row>(
      `SELECT id, table_name, file_name, format, status, started_at, finished_at, report FROM meta.batches
       WHERE org = $1 AND ($2::VARCHAR IS NULL OR table_name = $2) ORDER BY started_at DESC, id DESC LIMIT $3`,
      [org, table ?? null, limit],
    )
    return rows.map(toSummary)
  }

  async get(org: string, id: string): Promise<BatchSummary> {
    const rows = await this.engine.query<Row>(
      `SELECT id, table_name, file_name, format, status, started_at, finished_at, report FROM meta.batches
       WHERE org = $1 AND id = $2`,
      [org, id],
    )
    if (!rows[0]) throw new AppError('NOT_FOUND', `No batch "${id}"`, { details: { batch: id } })
    return toSummary(rows[0])
  }

  /** Path of the reject file of a batch, if it has one. */
  async rejectPath(org: string, id: string): Promise<string | null> {
    const rows = await this.engine.query<{ reject_path: string | null }>(
      'SELECT reject_path FROM meta.batches WHERE org = $1 AND id = $2',
      [org, id],
    )
    if (!rows[0]) throw new AppError('NOT_FOUND', `No batch "${id}"`, { details: { batch: id } })
    return rows[0].reject_path
  }
}

interface Row {
  id: string
  table_name: string
  file_name: string
  format: string
  status: BatchSummary['status']
  started_at: string
  finished_at: string | null
  report: string | null
}

function toSummary(r: Row): BatchSummary {
  return {
    id: r.id,
    table: r.table_name,
    file: r.file_name,
    format: r.format,
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    report: r.report ? JSON.parse(r.report) : null,
  }
}
