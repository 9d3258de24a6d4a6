import { writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import {
  ApiError,
  type ApplyResult,
  AudienceHubClient,
  type BatchSummary,
  type DatasetDetail,
  type DatasetSummary,
} from '@ahub/client'
import { AppError, type BatchReport, type IngestProgress, type StoredTable } from '@ahub/core'
import type { CsvOptions, FileFormat, InferResult, Store } from '@ahub/store'
import { onDemand } from './on-demand'
import { resolveServer } from './server-target'

export interface IngestArgs {
  format?: FileFormat
  csv?: CsvOptions
  rejectFile?: string
  onProgress?: (p: IngestProgress) => void
  onUpload?: (sent: number, total: number) => void
}

/** The operations the CLI performs, against a running server or the data directory itself. */
export interface Backend {
  readonly kind: 'local' | 'http'
  readonly where: string
  readonly org: string
  listSchemas(): Promise<StoredTable[]>
  getSchema(table: string): Promise<StoredTable>
  applySchema(path: string, options: { allowDestructive?: boolean; dryRun?: boolean }): Promise<ApplyResult>
  inferSchema(
    path: string,
    table: string,
    options: { format?: FileFormat; csv?: CsvOptions },
  ): Promise<InferResult>
  listDatasets(): Promise<DatasetSummary[]>
  showDataset(table: string, sample: number): Promise<DatasetDetail>
  ingest(table: string, path: string, args: IngestArgs): Promise<BatchReport>
  listBatches(table?: string): Promise<BatchSummary[]>
  getBatch(id: string): Promise<BatchSummary>
  close(): Promise<void>
}

export interface ConnectOptions {
  dataDir: string
  server?: string
  token?: string
  org: string
}

/**
 * A running server owns the DuckDB file, so the CLI talks to it over HTTP when one runs (named by
 * --server, or announced in the data directory); otherwise it opens the data directory itself.
 */
export async function connect(options: ConnectOptions): Promise<Backend> {
  const target = await resolveServer({ ...options, checkHealth: true })
  if (target) return new HttpBackend(new AudienceHubClient(target.url, target.token, options.org), target.url)
  // The engine is loaded only when no server answers.
  const [{ Store }, { LocalBackend }] = await Promise.all([
    onDemand(() => import('@ahub/store')),
    import('./local-backend'),
  ])
  const store = await Store.open({ dataDir: options.dataDir })
  for (const m of store.dataMigrations)
    if (m.changed > 0)
      process.stderr.write(`data migration ${m.name}: ${m.changed} stored values rewritten\n`)
  try {
    await requireOrg(store, options.org)
  } catch (e) {
    await store.close()
    throw e
  }
  return new LocalBackend(store, options.org)
}

/** Throws ORG_NOT_FOUND unless `org` exists: only `ahub org create` creates organisations. */
export async function requireOrg(store: Store, org: string): Promise<void> {
  if (await store.orgs.find(org)) return
  throw new AppError(
    'ORG_NOT_FOUND',
    `No organisation "${org}" here: create it with ahub org create ${org}`,
    {
      details: { org },
    },
  )
}

class HttpBackend implements Backend {
  readonly kind = 'http' as const

  constructor(
    private readonly client: AudienceHubClient,
    readonly where: string,
  ) {}

  get org() {
    return this.client.org
  }
  async listSchemas() {
    return (await this.call(() => this.client.listSchemas())).tables
  }
  getSchema(table: string) {
    return this.call(() => this.client.getSchema(table))
  }
  async applySchema(path: string, options: { allowDestructive?: boolean; dryRun?: boolean }) {
    const text = await readSchemaFile(path)
    return this.call(() => this.client.applySchema({ text, ...options }))
  }
  inferSchema(path: string, table: string, options: { format?: FileFormat; csv?: CsvOptions }) {
    return this.call(() => this.client.inferSchema(path, table, { format: options.format, ...options.csv }))
  }
  async listDatasets() {
    return (await this.call(() => this.client.listDatasets())).datasets
  }
  showDataset(table: string, sample: number) {
    return this.call(() => this.client.showDataset(table, sample))
  }
  async ingest(table: string, path: string, args: IngestArgs) {
    const report = await this.call(() =>
      this.client.ingest(table, path, { format: args.format, ...args.csv, onUpload: args.onUpload }),
    )
    if (report.rejectFile && args.rejectFile) {
      writeFileSync(args.rejectFile, await this.call(() => this.client.downloadRejects(report.batchId)))
      return { ...report, rejectFile: args.rejectFile }
    }
    return report
  }
  async listBatches(table?: string) {
    return (await this.call(() => this.client.listBatches(table))).batches
  }
  getBatch(id: string) {
    return this.call(() => this.client.getBatch(id))
  }
  async close() {}

  /** Server errors come back as AppErrors, so the CLI reports them the same way in both modes. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      if (e instanceof ApiError) throw new AppError(e.code as never, e.message, { details: e.details })
      if (e instanceof TypeError)
        throw new AppError('STORE_ERROR', `Cannot reach the server at ${this.where}: ${e.message}`)
      throw e
    }
  }
}

export async function readSchemaFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (cause) {
    throw new AppError('SCHEMA_PARSE_ERROR', `Cannot read ${path}: ${(cause as Error).message}`, { cause })
  }
}
