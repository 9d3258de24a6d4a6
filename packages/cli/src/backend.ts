import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import {
  ApiError,
  type ApplyResult,
  AudienceHubClient,
  type BatchSummary,
  type DatasetDetail,
  type DatasetSummary,
} from '@ahub/client'
import {
  AppError,
  type BatchReport,
  type IngestProgress,
  parseSchemaText,
  type StoredTable,
} from '@ahub/core'
import { adminTokenFile, serverFile } from '@ahub/server'
import { type CsvOptions, type FileFormat, type InferResult, Store } from '@ahub/store'
import { readConfig } from './config-file'

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
  // URL and token: flags, then AHUB_SERVER / AHUB_TOKEN (both merged by the option parser), then
  // the config file `ahub login` writes, then a server announced in the data directory.
  const config = readConfig()
  let url = options.server ?? config?.server
  let token = options.token ?? (config && url === config.server ? config.token : undefined)
  if (!url && existsSync(serverFile(options.dataDir))) {
    const info = JSON.parse(readFileSync(serverFile(options.dataDir), 'utf8')) as { url: string; pid: number }
    if (isAlive(info.pid) && (await healthy(info.url))) url = info.url
  }
  if (url) {
    if (!token && existsSync(adminTokenFile(options.dataDir)))
      token = readFileSync(adminTokenFile(options.dataDir), 'utf8').trim()
    if (!token)
      throw new AppError('UNAUTHENTICATED', 'No token: run ahub login, pass --token or set AHUB_TOKEN')
    return new HttpBackend(new AudienceHubClient(url.replace(/\/$/, ''), token, options.org), url)
  }
  const store = await Store.open({ dataDir: options.dataDir })
  for (const m of store.dataMigrations)
    if (m.changed > 0)
      process.stderr.write(`data migration ${m.name}: ${m.changed} stored values rewritten\n`)
  if (!(await store.orgs.find(options.org))) await store.createOrg(options.org, options.org)
  return new LocalBackend(store, options.org)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })
    return res.ok
  } catch {
    return false
  }
}

class LocalBackend implements Backend {
  readonly kind = 'local' as const
  readonly where: string

  constructor(
    private readonly store: Store,
    readonly org: string,
  ) {
    this.where = store.dataDir
  }

  listSchemas() {
    return this.store.catalog.list(this.org)
  }
  getSchema(table: string) {
    return this.store.catalog.get(this.org, table)
  }
  async applySchema(path: string, options: { allowDestructive?: boolean; dryRun?: boolean }) {
    return this.store.catalog.apply(this.org, parseSchemaText(await readSchemaFile(path)), options)
  }
  inferSchema(path: string, table: string, options: { format?: FileFormat; csv?: CsvOptions }) {
    return this.store.infer(path, { table, ...options })
  }
  listDatasets() {
    return this.store.datasets.list(this.org)
  }
  showDataset(table: string, sample: number) {
    return this.store.datasets.show(this.org, table, sample)
  }
  ingest(table: string, path: string, args: IngestArgs) {
    return this.store.ingestor.ingest(this.org, table, path, {
      format: args.format,
      csv: args.csv,
      rejectFile: args.rejectFile,
      onProgress: args.onProgress,
    })
  }
  listBatches(table?: string) {
    return this.store.batches.list(this.org, table)
  }
  getBatch(id: string) {
    return this.store.batches.get(this.org, id)
  }
  close() {
    return this.store.close()
  }
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

async function readSchemaFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (cause) {
    throw new AppError('SCHEMA_PARSE_ERROR', `Cannot read ${path}: ${(cause as Error).message}`, { cause })
  }
}
