import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { AppError } from '@ahub/core'
import {
  DOUBLE,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  JSDuckDBValueConverter,
  VARCHAR,
} from '@duckdb/node-api'
import type { Engine, QueryProgress, Row, Session, SqlValue } from '../engine'
import { registerIdentityFunctions } from './functions'

export interface DuckDBOptions {
  /** Path of the database file, or ':memory:'. */
  path: string
  threads?: number
  memoryLimit?: string
}

/** The embedded engine: one DuckDB file owned by this process. */
export class DuckDBEngine implements Engine {
  readonly kind = 'duckdb' as const
  private readonly idle: DuckDBConnection[] = []
  private closed = false

  private constructor(private readonly instance: DuckDBInstance) {}

  static async open(options: DuckDBOptions): Promise<DuckDBEngine> {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true })
    const config: Record<string, string> = {}
    if (options.threads) config.threads = String(options.threads)
    if (options.memoryLimit) config.memory_limit = options.memoryLimit
    let instance: DuckDBInstance
    try {
      instance = await DuckDBInstance.create(options.path, config)
    } catch (cause) {
      const message = (cause as Error).message ?? ''
      if (/lock/i.test(message)) {
        throw new AppError(
          'STORE_LOCKED',
          `The data file ${options.path} is in use by another process (a running server?). Stop it, or point the CLI at it with --server.`,
          { cause, details: { path: options.path } },
        )
      }
      throw new AppError('STORE_ERROR', `Cannot open ${options.path}: ${message}`, { cause })
    }
    return new DuckDBEngine(instance)
  }

  private async acquire(): Promise<DuckDBConnection> {
    if (this.closed) throw new AppError('STORE_ERROR', 'The engine is closed')
    const c = this.idle.pop()
    if (c) return c
    const conn = await this.instance.connect()
    registerIdentityFunctions(conn)
    return conn
  }

  private release(c: DuckDBConnection): void {
    if (this.closed || this.idle.length >= 8) c.closeSync()
    else this.idle.push(c)
  }

  async withSession<T>(fn: (s: Session) => Promise<T>): Promise<T> {
    const conn = await this.acquire()
    const session = new DuckDBSession(conn)
    try {
      return await fn(session)
    } finally {
      // Temp tables belong to the connection: a used session's connection is not pooled again.
      if (session.createdTemp) conn.closeSync()
      else this.release(conn)
    }
  }

  async transaction<T>(fn: (s: Session) => Promise<T>, session?: Session): Promise<T> {
    const body = async (s: Session) => {
      await s.run('BEGIN TRANSACTION')
      try {
        const result = await fn(s)
        await s.run('COMMIT')
        return result
      } catch (e) {
        await s.run('ROLLBACK').catch(() => undefined)
        throw e
      }
    }
    return session ? body(session) : this.withSession(body)
  }

  query<T extends object = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return this.withSession((s) => s.query<T>(sql, params))
  }

  run(sql: string, params: SqlValue[] = []): Promise<void> {
    return this.withSession((s) => s.run(sql, params))
  }

  stream(sql: string, params: SqlValue[], onBatch: (rows: Row[]) => Promise<void> | void): Promise<number> {
    return this.withSession((s) => s.stream(sql, params, onBatch))
  }

  queryColumns(sql: string, params: SqlValue[] = []): Promise<Record<string, unknown[]>> {
    return this.withSession((s) => s.queryColumns(sql, params))
  }

  appendTextColumns(
    table: string,
    columns: (string | null)[][],
    options?: { temp?: boolean },
  ): Promise<void> {
    return this.withSession((s) => s.appendTextColumns(table, columns, options))
  }

  runWithProgress(
    sql: string,
    params: SqlValue[],
    onProgress: (p: QueryProgress) => void,
    intervalMs?: number,
  ) {
    return this.withSession((s) => s.runWithProgress(sql, params, onProgress, intervalMs))
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const c of this.idle.splice(0)) c.closeSync()
    this.instance.closeSync()
  }
}

class DuckDBSession implements Session {
  createdTemp = false

  constructor(private readonly conn: DuckDBConnection) {}

  async query<T extends object = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    this.noteTemp(sql)
    try {
      const reader = await this.conn.runAndReadAll(sql, toDuckValues(params), duckTypes(params))
      const dates = dateColumns(reader.columnNames(), reader.columnTypes())
      return reader.getRowObjectsJS().map((r) => toPlainRow(r, dates)) as T[]
    } catch (cause) {
      throw wrap(cause, sql)
    }
  }

  async run(sql: string, params: SqlValue[] = []): Promise<void> {
    this.noteTemp(sql)
    try {
      await this.conn.run(sql, toDuckValues(params), duckTypes(params))
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
      const result = await this.conn.stream(sql, toDuckValues(params), duckTypes(params))
      const names = result.columnNames()
      const dates = dateColumns(names, result.columnTypes())
      for (;;) {
        const chunk = await result.fetchChunk()
        if (!chunk || chunk.rowCount === 0) break
        const rows = chunk
          .convertRows(JSDuckDBValueConverter)
          .map((values) => toPlainRow(Object.fromEntries(names.map((n, i) => [n, values[i]])), dates))
        total += rows.length
        await onBatch(rows)
      }
    } catch (cause) {
      throw wrap(cause, sql)
    }
    return total
  }

  async queryColumns(sql: string, params: SqlValue[] = []): Promise<Record<string, unknown[]>> {
    this.noteTemp(sql)
    try {
      const reader = await this.conn.runAndReadAll(sql, toDuckValues(params), duckTypes(params))
      return reader.getColumnsObjectJS() as Record<string, unknown[]>
    } catch (cause) {
      throw wrap(cause, sql)
    }
  }

  async appendTextColumns(
    table: string,
    columns: (string | null)[][],
    options: { temp?: boolean } = {},
  ): Promise<void> {
    const rows = columns[0]?.length ?? 0
    const CHUNK = 2048
    try {
      const appender = options.temp
        ? await this.conn.createAppender(table, 'main', 'temp')
        : await this.conn.createAppender(table)
      const types = columns.map(() => VARCHAR)
      for (let from = 0; from < rows; from += CHUNK) {
        const n = Math.min(CHUNK, rows - from)
        const chunk = DuckDBDataChunk.create(types, n)
        columns.forEach((col, i) => {
          chunk.setColumnValues(i, col.slice(from, from + n))
        })
        appender.appendDataChunk(chunk)
      }
      appender.closeSync()
    } catch (cause) {
      throw wrap(cause, `append to ${table}`)
    }
  }

  async runWithProgress(
    sql: string,
    params: SqlValue[],
    onProgress: (p: QueryProgress) => void,
    intervalMs = 200,
  ): Promise<void> {
    this.noteTemp(sql)
    const timer = setInterval(() => {
      const p = this.conn.progress
      if (p.percentage >= 0) {
        onProgress({
          percentage: p.percentage,
          rowsProcessed: Number(p.rows_processed),
          totalRows: Number(p.total_rows_to_process),
        })
      }
    }, intervalMs)
    try {
      await this.conn.run(sql, toDuckValues(params), duckTypes(params))
    } catch (cause) {
      throw wrap(cause, sql)
    } finally {
      clearInterval(timer)
    }
  }

  private noteTemp(sql: string): void {
    if (!this.createdTemp && /\bTEMP(ORARY)?\b/i.test(sql)) this.createdTemp = true
  }
}

function toDuckValues(params: SqlValue[]): DuckDBValue[] {
  // The driver binds a whole number as BIGINT. Beyond BIGINT (1e20, 1e300) it is bound as DOUBLE
  // (duckTypes); between 2^53 and 2^63 it goes as text, which the statement's CAST reads back exactly.
  return params.map((p) =>
    p instanceof Date
      ? p.toISOString()
      : typeof p === 'number' && Number.isInteger(p) && !Number.isSafeInteger(p) && !beyondBigint(p)
        ? String(p)
        : p,
  ) as DuckDBValue[]
}

function beyondBigint(p: SqlValue): boolean {
  return typeof p === 'number' && Number.isInteger(p) && Math.abs(p) >= 2 ** 63
}

/**
 * Types of the parameters the driver would guess wrong: a whole number beyond BIGINT (1e20 is an
 * integer to JavaScript) is bound as DOUBLE, where the driver would throw. Others: the driver's.
 */
function duckTypes(params: SqlValue[]): DuckDBType[] | undefined {
  if (!params.some(beyondBigint)) return undefined
  return params.map((p) => (beyondBigint(p) ? DOUBLE : undefined)) as DuckDBType[]
}

/** Columns of type DATE, which read as calendar days (`2024-05-01`), not instants. */
function dateColumns(names: string[], types: { typeId: number }[]): Set<string> {
  return new Set(names.filter((_, i) => types[i]?.typeId === DuckDBTypeId.DATE))
}

function toPlainRow(row: Row, dates: Set<string> = new Set()): Row {
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === 'bigint')
      row[k] = v >= Number.MIN_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v.toString()
    else if (v instanceof Date) row[k] = dates.has(k) ? v.toISOString().slice(0, 10) : v.toISOString()
  }
  return row
}

function wrap(cause: unknown, sql: string): AppError {
  if (cause instanceof AppError) return cause
  const message = (cause as Error)?.message ?? String(cause)
  return new AppError('STORE_ERROR', message.split('\n')[0] ?? message, {
    cause,
    details: { statement: sql.slice(0, 200), evaluation: EVALUATION_ERROR.test(message) },
  })
}

/** Errors raised by evaluating values (casts, overflows, bad patterns, limits), not by the store. */
const EVALUATION_ERROR = /^(Conversion|Out of Range|Invalid Input|Syntax|Parser|Binder|Not implemented) Error/
