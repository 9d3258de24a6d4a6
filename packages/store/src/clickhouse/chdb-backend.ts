import { Session as ChdbSession } from 'chdb'
import {
  type ClickHouseBackend,
  CSV_SETTINGS,
  type InsertFormat,
  metaOf,
  parseLine,
  parseResult,
  quote,
  type ResultMeta,
  ROWS_WITH_TYPES,
} from './backends'

/** In-process ClickHouse (chDB). One chDB session holds all state; it is a single session already. */
export class ChdbBackend implements ClickHouseBackend {
  private readonly session: ChdbSession

  constructor(path?: string) {
    // 64-bit integers print as JSON strings, so large values keep every digit.
    const opts = { connectionArgs: ['--output_format_json_quote_64bit_integers=1'] }
    this.session = path ? new ChdbSession(path, opts) : new ChdbSession(undefined, opts)
  }

  async select(sql: string, params: Record<string, unknown>) {
    const result = await this.session.queryBindAsync(sql, params, { format: 'JSONCompact' })
    const text = result.text()
    if (text.trim() === '') return { meta: [], data: [] }
    return parseResult(text)
  }

  async command(sql: string, params: Record<string, unknown>) {
    await this.session.queryBindAsync(sql, params, { format: 'TabSeparated' })
  }

  async insert(table: string, body: string, format: InsertFormat) {
    await this.session.insert({ table, values: Buffer.from(body), format })
  }

  async insertCsvFile(table: string, path: string, columns: string[], structure: string) {
    // Table functions take no bound parameters: the path and structure are quoted literals.
    const list = columns.join(', ')
    await this.session.queryAsync(
      `INSERT INTO ${table} (${list}) SELECT ${list} FROM file(${quote(path)}, CSVWithNames, ${quote(structure)}) SETTINGS ${CSV_SETTINGS}`,
    )
  }

  async stream(
    sql: string,
    params: Record<string, unknown>,
    onBatch: (meta: ResultMeta[], rows: unknown[][]) => Promise<void> | void,
  ) {
    for await (const chunk of this.session.queryStreamBind(sql, params, { format: ROWS_WITH_TYPES })) {
      // Every chunk repeats the two header lines (names, then types).
      const lines = chunk.text().split('\n').filter(Boolean)
      const names = JSON.parse(lines[0] ?? '[]') as string[]
      const types = JSON.parse(lines[1] ?? '[]') as string[]
      const rows = lines.slice(2).map((l) => parseLine(l))
      if (rows.length > 0) await onBatch(metaOf(names, types), rows)
    }
  }

  newSession() {
    return undefined
  }

  async close() {
    this.session.close()
  }
}
