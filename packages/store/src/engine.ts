import { AppError, type EngineName } from '@ahub/core'

/** A value that can be bound as a SQL parameter. */
export type SqlValue = string | number | bigint | boolean | null | Date

export type Row = Record<string, unknown>

/** How far a long statement has got, as the engine reports it. */
export interface QueryProgress {
  percentage: number
  rowsProcessed: number
  totalRows: number
}

/**
 * One connection's worth of work: temporary tables and transactions stay on it.
 * Every engine (DuckDB, PostgreSQL, ClickHouse) implements this.
 */
export interface Session {
  /** Runs a statement and returns its rows as plain JS values (bigints that fit become numbers). */
  query<T extends object = Row>(sql: string, params?: SqlValue[]): Promise<T[]>
  /** Runs a statement for its effect. */
  run(sql: string, params?: SqlValue[]): Promise<void>
  /** Streams rows in batches without holding the whole result. */
  stream(sql: string, params: SqlValue[], onBatch: (rows: Row[]) => Promise<void> | void): Promise<number>
  /** Runs a query and returns its result column by column (cheaper than rows for large results). */
  queryColumns(sql: string, params?: SqlValue[]): Promise<Record<string, unknown[]>>
  /** Appends text columns (all of one length) to a table through the engine's bulk path. */
  appendTextColumns(table: string, columns: (string | null)[][], options?: { temp?: boolean }): Promise<void>
  /** Runs a long statement, reporting progress about every `intervalMs`. */
  runWithProgress(
    sql: string,
    params: SqlValue[],
    onProgress: (p: QueryProgress) => void,
    intervalMs?: number,
  ): Promise<void>
}

export interface Engine extends Session {
  readonly kind: EngineName
  /** Gives `fn` a dedicated connection (for temp tables and multi-statement work). */
  withSession<T>(fn: (s: Session) => Promise<T>): Promise<T>
  /** Runs `fn` in one transaction: all of it is applied, or none. */
  transaction<T>(fn: (s: Session) => Promise<T>, session?: Session): Promise<T>
  close(): Promise<void>
}

/** Quotes an identifier that has already been checked against the schema. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Quotes a string literal, for the few places (file paths in table functions) where binding is not possible. */
export function literal(value: string): string {
  // A NUL would end the statement's text early in the engine's C API: refuse rather than cut.
  if (value.includes('\u0000')) throw new AppError('VALIDATION_FAILED', 'A value holds a NUL character')
  return `'${value.replaceAll("'", "''")}'`
}
