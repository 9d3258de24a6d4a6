import { AppError } from '@ahub/core'
import type { Engine, QueryProgress, Row, Session, SqlValue } from '../engine'
import { type ClickHouseBackend, HttpBackend, type InsertFormat, type ResultMeta } from './backends'

export type ClickHouseOptions =
  /** In-process chDB; `path` keeps the data in a folder, without it a temp folder is used and removed on close. */
  | { backend: 'chdb'; path?: string }
  /** A ClickHouse server, e.g. `http://127.0.0.1:8123`. */
  | { backend: 'http'; url: string; username?: string; password?: string }

/**
 * ClickHouse, for data that outgrows one machine. Statements take named typed placeholders
 * `{p1:String}`, `{p2:Int64}`, ...; the positional `params` fill p1..pn in order.
 * ClickHouse has no multi-statement transactions: `transaction` refuses with STORE_UNSUPPORTED.
 */
export class ClickHouseEngine implements Engine {
  readonly kind = 'clickhouse' as const
  private closed = false
  private readonly main: ClickHouseSession

  private constructor(private readonly backend: ClickHouseBackend) {
    this.main = new ClickHouseSession(backend, undefined)
  }

  /** Opens chDB in this process, or a client for a ClickHouse server, and checks it answers. */
  static async open(options: ClickHouseOptions): Promise<ClickHouseEngine> {
    let backend: ClickHouseBackend
    try {
      // chDB (a development and test dependency) is loaded only when asked for: production ClickHouse
      // goes through @clickhouse/client, and nothing else pays for mapping libchdb.
      backend =
        options.backend === 'chdb'
          ? new (await import('./chdb-backend')).ChdbBackend(options.path)
          : new HttpBackend(options)
      await backend.select('SELECT 1', {})
    } catch (cause) {
      throw new AppError('STORE_ERROR', `Cannot open ClickHouse: ${(cause as Error).message}`, { cause })
    }
    return new ClickHouseEngine(backend)
  }

  async withSession<T>(fn: (s: Session) => Promise<T>): Promise<T> {
    if (this.closed) throw new AppError('STORE_ERROR', 'The engine is closed')
    return fn(new ClickHouseSession(this.backend, this.backend.newSession()))
  }

  async transaction<T>(_fn: (s: Session) => Promise<T>, _session?: Session): Promise<T> {
    throw new AppError('STORE_UNSUPPORTED', 'ClickHouse has no multi-statement transactions', {
      details: { engine: 'clickhouse', operation: 'transaction' },
    })
  }

  query<T extends object = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return this.open().query<T>(sql, params)
  }

  run(sql: string, params: SqlValue[] = []): Promise<void> {
    return this.open().run(sql, params)
  }

  stream(sql: string, params: SqlValue[], onBatch: (rows: Row[]) => Promise<void> | void): Promise<number> {
    return this.open().stream(sql, params, onBatch)
  }

  queryColumns(sql: string, params: SqlValue[] = []): Promise<Record<string, unknown[]>> {
    return this.open().queryColumns(sql, params)
  }

  appendTextColumns(table: string, columns: (string | null)[][], options?: { temp?: boolean }) {
    return this.open().appendTextColumns(table, columns, options)
  }

  runWithProgress(sql: string, params: SqlValue[], onProgress: (p: QueryProgress) => void) {
    return this.open().runWithProgress(sql, params, onProgress)
  }

  /** Inserts a text body (TSV, or CSV with a header line) into `db.table` (plain [a-z0-9_] names). */
  insertText(table: string, body: string, format: InsertFormat): Promise<void> {
    return this.open().insertText(table, body, format)
  }

  /** Loads a CSV file with a header into `db.table`, reading the columns with the given types. */
  async insertCsvFile(table: string, path: string, columns: { name: string; type: string }[]) {
    const structure = columns.map((c) => `${c.name} ${c.type}`).join(', ')
    try {
      await this.backend.insertCsvFile(
        table,
        path,
        columns.map((c) => c.name),
        structure,
      )
    } catch (cause) {
      throw wrap(cause, `INSERT INTO ${table} FROM ${path}`)
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.backend.close()
  }

  private open(): ClickHouseSession {
    if (this.closed) throw new AppError('STORE_ERROR', 'The engine is closed')
    return this.main
  }
}

class ClickHouseSession implements Session {
  constructor(
    private readonly backend: ClickHouseBackend,
    private readonly id: string | undefined,
  ) {}

  async query<T extends object = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    try {
      const { meta, data } = await this.backend.select(sql, named(params), this.id)
      return data.map((values) => toRow(meta, values)) as T[]
    } catch (cause) {
      throw wrap(cause, sql)
    }
  }

  async run(sql: string, params: SqlValue[] = []): Promise<void> {
    try {
      await this.backend.command(sql, named(params), this.id)
    } catch (cause) {
      throw wrap(cause, sql)
    }
  }

  async stream(
    sql: string,
    params: SqlValue[],
    onBatch: (rows: Row[]) => Promise<void> | void,
  ): Promise<number> {
    let total = 0
    try {
      await this.backend.stream(
        sql,
        named(params),
        async (meta, rows) => {
          total += rows.length
          await onBatch(rows.map((values) => toRow(meta, values)))
        },
        this.id,
      )
    } catch (cause) {
      throw wrap(cause, sql)
    }
    return total
  }

  async queryColumns(sql: string, params: SqlValue[] = []): Promise<Record<string, unknown[]>> {
    const rows = await this.query(sql, params)
    const columns: Record<string, unknown[]> = {}
    const names = rows[0] ? Object.keys(rows[0]) : []
    for (const n of names) columns[n] = rows.map((r) => (r as Row)[n])
    return columns
  }

  /** Temp tables need no special path: ClickHouse sessions see their temporary tables by plain name. */
  async appendTextColumns(
    table: string,
    columns: (string | null)[][],
    _options?: { temp?: boolean },
  ): Promise<void> {
    const n = columns[0]?.length ?? 0
    const lines: string[] = []
    for (let i = 0; i < n; i++) lines.push(columns.map((c) => tsvText(c[i] ?? null)).join('\t'))
    if (n > 0) await this.insertText(table, `${lines.join('\n')}\n`, 'TabSeparated')
  }

  async runWithProgress(
    sql: string,
    params: SqlValue[],
    onProgress: (p: QueryProgress) => void,
  ): Promise<void> {
    onProgress({ percentage: 0, rowsProcessed: 0, totalRows: 0 })
    await this.run(sql, params)
    onProgress({ percentage: 100, rowsProcessed: 0, totalRows: 0 })
  }

  async insertText(table: string, body: string, format: InsertFormat): Promise<void> {
    try {
      await this.backend.insert(table, body, format, this.id)
    } catch (cause) {
      throw wrap(cause, `INSERT INTO ${table} FORMAT ${format}`)
    }
  }
}

/** Positional values as the named parameters p1..pn of `{p1:Type}` placeholders. */
function named(params: SqlValue[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  params.forEach((p, i) => {
    out[`p${i + 1}`] = toClickHouseValue(p)
  })
  return out
}

function toClickHouseValue(p: SqlValue): unknown {
  if (p instanceof Date) return p.toISOString().replace('T', ' ').replace('Z', '')
  if (typeof p === 'bigint') return p.toString()
  // A whole number beyond 2^53 (a double such as 1e300) goes as text, which {pN:Float64} reads exactly.
  if (typeof p === 'number' && Number.isInteger(p) && !Number.isSafeInteger(p)) return String(p)
  return p
}

function tsvText(value: string | null): string {
  if (value === null) return '\\N'
  return value.replace(/[\\\t\n\r]/g, (ch) =>
    ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r',
  )
}

/** Plain JS values like the DuckDB engine's: safe 64-bit integers as numbers, ISO timestamps in UTC. */
function toRow(meta: ResultMeta[], values: unknown[]): Row {
  const row: Row = {}
  meta.forEach((m, i) => {
    row[m.name] = convert(baseType(m.type), values[i] ?? null)
  })
  return row
}

function baseType(type: string): string {
  let t = type
  for (const wrapper of ['Nullable(', 'LowCardinality(']) {
    while (t.startsWith(wrapper)) t = t.slice(wrapper.length, -1)
  }
  return t
}

function convert(type: string, value: unknown): unknown {
  if (value === null) return null
  if (/^U?Int(64|128|256)$/.test(type) && typeof value === 'string') {
    const n = Number(value)
    return Number.isSafeInteger(n) ? n : value
  }
  if (/^Decimal/.test(type) && typeof value === 'string') return Number(value)
  if (/^DateTime/.test(type) && typeof value === 'string') {
    const d = new Date(`${value.replace(' ', 'T')}Z`)
    return Number.isNaN(d.getTime()) ? value : d.toISOString()
  }
  return value
}

function wrap(cause: unknown, sql: string): AppError {
  if (cause instanceof AppError) return cause
  const message = (cause as Error)?.message ?? String(cause)
  const code = /Code: (\d+)/.exec(message)?.[1]
  return new AppError('STORE_ERROR', message.split('\n')[0] ?? message, {
    cause,
    details: {
      statement: sql.slice(0, 200),
      clickhouseCode: code ? Number(code) : undefined,
      evaluation: code !== undefined && EVALUATION_CODES.has(Number(code)),
    },
  })
}

/**
 * ClickHouse codes raised by evaluating values, not by the store: parse and conversion failures,
 * bad arguments, overflows, values out of range, expressions too deep or too big.
 */
const EVALUATION_CODES = new Set([6, 25, 26, 27, 32, 38, 41, 43, 53, 69, 70, 153, 167, 168, 306, 321, 407])
