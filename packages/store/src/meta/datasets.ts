import type { DatasetDetail, DatasetSummary, StoredTable } from '@ahub/core'
import { type Engine, ident } from '../engine'
import type { SchemaCatalog } from './catalog'
import { orgSchema } from './orgs'

/** Row counts, samples and identity statistics of an org's datasets. */
export class DatasetRepository {
  constructor(
    private readonly engine: Engine,
    private readonly catalog: SchemaCatalog,
  ) {}

  async list(org: string): Promise<DatasetSummary[]> {
    const tables = await this.catalog.list(org)
    return Promise.all(tables.map((t) => this.summary(org, t)))
  }

  async show(org: string, name: string, sampleSize = 5): Promise<DatasetDetail> {
    const t = await this.catalog.get(org, name)
    const schema = orgSchema(org)
    const summary = await this.summary(org, t)
    const sample = await this.engine.query(
      `SELECT * EXCLUDE (_batch) FROM ${schema}.${ident(name)} LIMIT $1`,
      [Math.min(Math.max(sampleSize, 0), 100)],
    )
    const identityLinks = await this.engine.query<{ namespace: string; links: number; profiles: number }>(
      `SELECT namespace, count(*) AS links, count(DISTINCT profile_key) AS profiles FROM ${schema}._identity_links
       WHERE dimension = $1 OR source = $1 GROUP BY 1 ORDER BY 1`,
      [name],
    )
    const flagged = await this.engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM ${schema}._identity_flags WHERE dimension = $1`,
      [name],
    )
    return {
      ...summary,
      definition: t.definition,
      identityLinks,
      flaggedIdentities: flagged[0]?.n ?? 0,
      sample,
    }
  }

  private async summary(org: string, t: StoredTable): Promise<DatasetSummary> {
    const rows = await this.engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM ${orgSchema(org)}.${ident(t.name)}`,
    )
    const last = await this.engine.query<{ id: string; status: string; finished_at: string | null }>(
      `SELECT id, status, finished_at FROM meta.batches WHERE org = $1 AND table_name = $2 ORDER BY started_at DESC LIMIT 1`,
      [org, t.name],
    )
    const b = last[0]
    return {
      table: t.name,
      rows: rows[0]?.n ?? 0,
      revision: t.revision,
      lastBatch: b ? { id: b.id, status: b.status, finishedAt: b.finished_at } : null,
    }
  }
}
