import { AppError } from '@ahub/core'
import pg from 'pg'
import { type Engine, ident, type QueryProgress, type Row, type Session, type SqlValue } from '../engine'
import { CopyFromStdin, type CopySource } from './copy-from'

export interface PostgresOptions {
  /** e.g. `postgres://user@127.0.0.1:5432/db`. */
  connectionString: string
  /** Pool size (default 10). */
  max?: number
}

const STREAM_BATCH = 1000

/** PostgreSQL, for a shared operational store: a pool of connections, all sessions in UTC. */
export class PostgresEngine implements Engine {
  readonly kind = 'postgres' as const
  private closed = false

  private constructor(private readonly pool: pg.Pool) {}

  /** Opens a pool and checks that the server answers. */
  static async open(options: PostgresOptions): Promise<PostgresEngine> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? 10,
      options: '-c TimeZone=UTC',
      types: { getTypeParser },
    })
    // An idle client losing its connection must not crash the process; the next checkout reconnects.
    pool.on('error', () => undefined)
    try {
      const c = await pool.connect()
      c.release()
    } catch (cause) {
      await pool.end().catch(() => undefined)
      throw new AppError('STORE_ERROR', `Cannot connect to PostgreSQL: ${(cause as Error).message}`, {
        cause,
      })
    }
    return new PostgresEngine(pool)
  }

  async withSession<T>(fn: (s: Session) => Promise<T>): Promise<T> {
    return this.withClient((s) => fn(s))
  }

  private async withClient<T>(fn: (s: PostgresSession) => Promise<T>): Promise<T> {
    if (this.closed) throw new AppError('STORE_ERROR', 'The engine is closed')
    let client: pg.PoolClient
    try {
      client = await this.pool.connect()
    } catch (cause) {
      throw wrap(cause, 'connect')
    }
    const session = new PostgresSession(client)
    let broken = false
    try {
      return await fn(session)
    } catch (e) {
      broken = session.inTransaction
      throw e
    } finally {
      // A session that created temp tables or left a transaction open is not handed to anyone else.
      client.release(broken || session.createdTemp ? true : undefined)
    }
  }

  async transaction<T>(fn: (s: Session) => Promise<T>, session?: Session): Promise<T> {
    const body = async (s: Session) => {
      const pgs = s as PostgresSession
      await s.run('BEGIN')
      pgs.inTransaction = true
      try {
        const result = await fn(s)
        await s.run('COMMIT')
        return result
      } catch (e) {
        await s.run('ROLLBACK').catch(() => undefined)
        throw e
      } finally {
        pgs.inTransaction = false
      }
    }
    return session ? body(session) : this.withSession(body)
  }

  query<T extends object = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return this.withClient((s) => s.query<T>(sql, params))
  }

  run(sql: string, params: SqlValue[] = []): Promise<void> {
    return this.withClient((s) => s.run(sql, params))
  }

  stream(sql: string, params: SqlValue[], onBatch: (rows: Row[]) => Promise<void> | void): Promise<number> {
    return this.withClient((s) => s.stream(sql, params, onBatch))
  }

  queryColumns(sql: string, params: SqlValue[] = []): Promise<Record<string, unknown[]>> {
    return this.withClient((s) => s.queryColumns(sql, params))
  }

  appendTextColumns(table: string, columns: (string | null)[][], options?: { temp?: boolean }) {
    return this.withClient((s) => s.appendTextColumns(table, columns, options))
  }

  runWithProgress(sql: string, params: SqlValue[], onProgress: (p: QueryProgress) => void) {
    return this.withClient((s) => s.runWithProgress(sql, params, onProgress))
  }

  /** Runs `COPY ... FROM STDIN` fed by `source`; returns the rows copied. */
  copyFrom(copySql: string, source: CopySource): Promise<number> {
    return this.withClient((s) => s.copyFrom(copySql, source))
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.pool.end()
  }
}

class PostgresSession implements Session {
  createdTemp = false
  inTransaction = false

  constructor(private readonly client: pg.PoolClient) {}

  private async exec(sql: string, params: SqlValue[]): Promise<pg.QueryResult> {
    if (!this.createdTemp && /\bTEMP(ORARY)?\b/i.test(sql)) this.createdTemp = true
    try {
      return await this.client.query({ text: sql, values: toPgValues(params) })
    } catch (cause) {
      throw wrap(cause, sql)
    }
  }

  async query<T extends object = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return (await this.exec(sql, params)).rows as T[]
  }

  async run(sql: string, params: SqlValue[] = []): Promise<void> {
    await this.exec(sql, params)
  }

  async stream(
    sql: string,
    params: SqlValue[],
    onBatch: (rows: Row[]) => Promise<void> | void,
  ): Promise<number> {
    // A server-side cursor lives in a transaction: open one unless the caller already did.
    const own = !this.inTransaction
    if (own) await this.run('BEGIN')
    let total = 0
    try {
      await this.run(`DECLARE ahub_stream NO SCROLL CURSOR FOR ${sql}`, params)
      for (;;) {
        const rows = await this.query(`FETCH ${STREAM_BATCH} FROM ahub_stream`)
        if (rows.length === 0) break
        total += rows.length
        await onBatch(rows)
      }
      await this.run('CLOSE ahub_stream')
      if (own) await this.run('COMMIT')
    } catch (e) {
      if (own) await this.run('ROLLBACK').catch(() => undefined)
      throw e
    }
    return total
  }

  async queryColumns(sql: string, params: SqlValue[] = []): Promise<Record<string, unknown[]>> {
    const result = await this.exec(sql, params)
    const columns: Record<string, unknown[]> = {}
    for (const f of result.fields) columns[f.name] = result.rows.map((r) => r[f.name])
    return columns
  }

  async appendTextColumns(
    table: string,
    columns: (string | null)[][],
    options: { temp?: boolean } = {},
  ): Promise<void> {
    const target = options.temp ? ident(table) : qualified(table)
    if (!this.createdTemp && options.temp) this.createdTemp = true
    await this.copyFrom(`COPY ${target} FROM STDIN`, textRows(columns))
  }

  async runWithProgress(
    sql: string,
    params: SqlValue[],
    onProgress: (p: QueryProgress) => void,
  ): Promise<void> {
    // PostgreSQL reports no progress for a single statement: report the start and the end.
    onProgress({ percentage: 0, rowsProcessed: 0, totalRows: 0 })
    const result = await this.exec(sql, params)
    const rows = result.rowCount ?? 0
    onProgress({ percentage: 100, rowsProcessed: rows, totalRows: rows })
  }

  async copyFrom(copySql: string, source: CopySource): Promise<number> {
    const copy = new CopyFromStdin(copySql, source)
    this.client.query(copy as unknown as pg.QueryConfig)
    try {
      return await copy.done
    } catch (cause) {
      throw wrap(cause, copySql)
    }
  }
}

/** Rows in COPY's text format, a few thousand at a time. */
async function* textRows(columns: (string | null)[][]): AsyncGenerator<string> {
  const n = columns[0]?.length ?? 0
  const CHUNK = 4096
  for (let from = 0; from < n; from += CHUNK) {
    const lines: string[] = []
    for (let i = from; i < Math.min(n, from + CHUNK); i++) {
      lines.push(columns.map((c) => copyText(c[i] ?? null)).join('\t'))
    }
    yield `${lines.join('\n')}\n`
  }
}

function copyText(value: string | null): string {
  if (value === null) return '\\N'
  return value.replace(/[\\\t\n\r]/g, (ch) =>
    ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r',
  )
}

/** `schema.table` or `table`, each part quoted unless it already is. */
function qualified(name: string): string {
  if (name.startsWith('"')) return name
  return name.split('.').map(ident).join('.')
}

function toPgValues(params: SqlValue[]): unknown[] {
  return params.map((p) => (p instanceof Date ? p.toISOString() : typeof p === 'bigint' ? p.toString() : p))
}

const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082, TIMESTAMP: 1114, TIMESTAMPTZ: 1184 } as const

/** Plain JS values like the DuckDB engine's: safe bigints as numbers, calendar dates, ISO timestamps in UTC. */
function getTypeParser(oid: number, format?: string): (value: string) => unknown {
  switch (oid) {
    case OID.INT8:
      return (v) => {
        const n = Number(v)
        return Number.isSafeInteger(n) ? n : v
      }
    case OID.NUMERIC:
      return (v) => {
        const n = Number(v)
        return Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER ? n : v
      }
    case OID.DATE:
      return (v) => v
    case OID.TIMESTAMP:
      return (v) => isoTimestamp(`${v}Z`, v)
    case OID.TIMESTAMPTZ:
      return (v) => isoTimestamp(v, v)
    default:
      return pg.types.getTypeParser(oid, format as 'text')
  }
}

function isoTimestamp(text: string, fallback: string): string {
  const d = new Date(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'))
  return Number.isNaN(d.getTime()) ? fallback : d.toISOString()
}

function wrap(cause: unknown, sql: string): AppError {
  if (cause instanceof AppError) return cause
  const message = (cause as Error)?.message ?? String(cause)
  return new AppError('STORE_ERROR', message.split('\n')[0] ?? message, {
    cause,
    details: {
      statement: sql.slice(0, 200),
      sqlState: (cause as { code?: string })?.code,
      evaluation: isEvaluationError((cause as { code?: string })?.code),
    },
  })
}

/**
 * Errors raised by evaluating values, not by the store: class 22 (data exception: overflow,
 * invalid cast, bad escape) and 54 (program limit exceeded: expression too deep).
 */
function isEvaluationError(sqlState: string | undefined): boolean {
  return sqlState !== undefined && /^(22|54)/.test(sqlState)
}
