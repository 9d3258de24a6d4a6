import { randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import { type ClickHouseClient, createClient } from '@clickhouse/client'

/** Column names and ClickHouse types of a result, as the JSONCompact formats print them. */
export interface ResultMeta {
  name: string
  type: string
}

/** Formats a text insert may use. */
export type InsertFormat = 'TabSeparated' | 'CSVWithNames'

/**
 * What the engine needs from a ClickHouse: bound queries, statements, text inserts and streamed reads.
 * `table` arguments are `db.table` with plain [a-z0-9_] names; `params` fill `{name:Type}` placeholders.
 */
export interface ClickHouseBackend {
  select(
    sql: string,
    params: Record<string, unknown>,
    session?: string,
  ): Promise<{ meta: ResultMeta[]; data: unknown[][] }>
  command(sql: string, params: Record<string, unknown>, session?: string): Promise<void>
  insert(table: string, body: string, format: InsertFormat, session?: string): Promise<void>
  /** Inserts a CSV file with a header line; `structure` (`name Type, ...`) says how to read its columns. */
  insertCsvFile(table: string, path: string, columns: string[], structure: string): Promise<void>
  stream(
    sql: string,
    params: Record<string, unknown>,
    onBatch: (meta: ResultMeta[], rows: unknown[][]) => Promise<void> | void,
    session?: string,
  ): Promise<void>
  /** A session id for `withSession`, or undefined when the backend is a single session already. */
  newSession(): string | undefined
  close(): Promise<void>
}

/** CSV cells keep their leading and trailing spaces, as in the other engines. */
export const CSV_SETTINGS = 'input_format_csv_trim_whitespaces = 0'

export const ROWS_WITH_TYPES = 'JSONCompactEachRowWithNamesAndTypes'

/** A ClickHouse server over HTTP(S), through @clickhouse/client. */
export class HttpBackend implements ClickHouseBackend {
  private readonly client: ClickHouseClient

  constructor(options: { url: string; username?: string; password?: string }) {
    this.client = createClient({
      url: options.url,
      username: options.username,
      password: options.password,
      clickhouse_settings: { output_format_json_quote_64bit_integers: 1, date_time_output_format: 'simple' },
    })
  }

  async select(sql: string, params: Record<string, unknown>, session?: string) {
    const rs = await this.client.query({
      query: sql,
      query_params: params,
      format: 'JSONCompact',
      session_id: session,
    })
    const json = await rs.json<unknown[]>()
    return { meta: (json.meta ?? []) as ResultMeta[], data: json.data as unknown[][] }
  }

  async command(sql: string, params: Record<string, unknown>, session?: string) {
    await this.client.command({ query: sql, query_params: params, session_id: session })
  }

  async insert(table: string, body: string, format: InsertFormat, session?: string) {
    await this.client.insert({ table, values: Readable.from([body]), format, session_id: session })
  }

  async insertCsvFile(table: string, path: string, columns: string[]) {
    // The server reads the columns by their header names, with the table's own types.
    await this.client.insert({
      table,
      values: createReadStream(path),
      format: 'CSVWithNames',
      columns: columns as [string, ...string[]],
      clickhouse_settings: { input_format_csv_trim_whitespaces: 0 },
    })
  }

  async stream(
    sql: string,
    params: Record<string, unknown>,
    onBatch: (meta: ResultMeta[], rows: unknown[][]) => Promise<void> | void,
    session?: string,
  ) {
    const rs = await this.client.query({
      query: sql,
      query_params: params,
      format: ROWS_WITH_TYPES,
      session_id: session,
    })
    const header: unknown[][] = []
    for await (const batch of rs.stream()) {
      const rows = (batch as { json<T>(): T }[]).map((r) => r.json<unknown[]>())
      while (header.length < 2 && rows.length > 0) header.push(rows.shift() as unknown[])
      if (rows.length > 0) await onBatch(metaOf(header[0] as string[], header[1] as string[]), rows)
    }
  }

  newSession() {
    return randomUUID()
  }

  async close() {
    await this.client.close()
  }
}

/**
 * Parses a JSONCompact result. An error raised after the first rows were written (e.g. a bad cast in a
 * later block) arrives as exception text after partial JSON instead of a rejected query: surface it.
 */
export function parseResult(text: string): { meta: ResultMeta[]; data: unknown[][] } {
  try {
    return JSON.parse(text) as { meta: ResultMeta[]; data: unknown[][] }
  } catch (cause) {
    const at = text.search(/Code: \d+\. DB::Exception/)
    if (at >= 0) throw new Error(text.slice(at).trim(), { cause })
    throw cause
  }
}

export function parseLine(line: string): unknown[] {
  if (/^Code: \d+\. DB::Exception/.test(line)) throw new Error(line)
  return JSON.parse(line) as unknown[]
}

export function metaOf(names: string[], types: string[]): ResultMeta[] {
  return names.map((name, i) => ({ name, type: types[i] ?? 'String' }))
}

export function quote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}
