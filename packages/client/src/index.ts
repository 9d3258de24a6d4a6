import { createReadStream, statSync } from 'node:fs'
import { Readable, Transform } from 'node:stream'
import type {
  BatchReport,
  BatchSummary,
  DatasetDetail,
  DatasetSummary,
  SchemaFile,
  StoredTable,
  TableDiff,
} from '@ahub/core'

export type { BatchSummary, DatasetDetail, DatasetSummary }

/** An error answered by the server, with its stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export interface ApplyResult {
  created: string[]
  updated: { table: string; diff: TableDiff }[]
  unchanged: string[]
}

export interface FileOptions {
  fileName?: string
  format?: 'csv' | 'ndjson' | 'parquet'
  delimiter?: string
  quote?: string
  escape?: string
  encoding?: 'utf-8' | 'utf-16' | 'latin-1'
  header?: boolean
  /** Called as the upload goes, with bytes sent and the file size. */
  onUpload?: (sent: number, total: number) => void
}

export interface InferResult {
  schema: SchemaFile
  notes: string[]
  sampledRows: number
}

/** Typed HTTP client of the Audience Hub API, shared by the CLI and the web UI. */
export class AudienceHubClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    readonly org: string,
  ) {}

  health(): Promise<{ status: 'ok' }> {
    return this.request('GET', '/health')
  }

  listSchemas(): Promise<{ tables: StoredTable[] }> {
    return this.request('GET', this.orgPath('/schemas'))
  }

  getSchema(table: string): Promise<StoredTable> {
    return this.request('GET', this.orgPath(`/schemas/${encodeURIComponent(table)}`))
  }

  applySchema(input: {
    text?: string
    schema?: unknown
    allowDestructive?: boolean
    dryRun?: boolean
  }): Promise<ApplyResult> {
    return this.request('POST', this.orgPath('/schemas'), { json: input })
  }

  inferSchema(path: string, table: string, options: FileOptions = {}): Promise<InferResult> {
    return this.upload(this.orgPath('/schemas/infer'), path, { ...options, table })
  }

  listDatasets(): Promise<{ datasets: DatasetSummary[] }> {
    return this.request('GET', this.orgPath('/datasets'))
  }

  showDataset(table: string, sample = 5): Promise<DatasetDetail> {
    return this.request('GET', this.orgPath(`/datasets/${encodeURIComponent(table)}?sample=${sample}`))
  }

  ingest(table: string, path: string, options: FileOptions = {}): Promise<BatchReport> {
    return this.upload(this.orgPath(`/datasets/${encodeURIComponent(table)}/batches`), path, options)
  }

  listBatches(table?: string): Promise<{ batches: BatchSummary[] }> {
    return this.request('GET', this.orgPath(`/batches${table ? `?table=${encodeURIComponent(table)}` : ''}`))
  }

  getBatch(id: string): Promise<BatchSummary> {
    return this.request('GET', this.orgPath(`/batches/${encodeURIComponent(id)}`))
  }

  async downloadRejects(id: string): Promise<string> {
    const res = await fetch(`${this.baseUrl}${this.orgPath(`/batches/${encodeURIComponent(id)}/rejects`)}`, {
      headers: { authorization: `Bearer ${this.token}` },
    })
    if (!res.ok) await this.fail(res)
    return res.text()
  }

  private orgPath(path: string): string {
    return `/v1/orgs/${encodeURIComponent(this.org)}${path}`
  }

  private async upload<T>(path: string, file: string, options: FileOptions & { table?: string }): Promise<T> {
    const { onUpload, ...rest } = options
    const query = new URLSearchParams()
    const fileName = rest.fileName ?? file.split('/').pop() ?? 'upload'
    for (const [k, v] of Object.entries({ ...rest, fileName })) if (v !== undefined) query.set(k, String(v))
    const total = statSync(file).size
    let sent = 0
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        sent += chunk.length
        onUpload?.(sent, total)
        cb(null, chunk)
      },
    })
    const body = Readable.toWeb(createReadStream(file).pipe(counter)) as ReadableStream
    return this.request('POST', `${path}?${query}`, { body, contentType: 'application/octet-stream' })
  }

  private async request<T>(
    method: string,
    path: string,
    options: { json?: unknown; body?: ReadableStream; contentType?: string } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` }
    let body: string | ReadableStream | undefined
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.json)
    } else if (options.body) {
      headers['content-type'] = options.contentType ?? 'application/octet-stream'
      body = options.body
    }
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body,
      duplex: 'half',
    } as RequestInit)
    if (!res.ok) await this.fail(res)
    return (await res.json()) as T
  }

  private async fail(res: Response): Promise<never> {
    let payload: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } = {}
    try {
      payload = (await res.json()) as typeof payload
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(
      res.status,
      payload.error?.code ?? 'INTERNAL',
      payload.error?.message ?? `${res.status} ${res.statusText}`,
      payload.error?.details,
    )
  }
}
