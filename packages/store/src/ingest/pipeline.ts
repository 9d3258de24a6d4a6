import { once } from 'node:events'
import { createWriteStream, mkdirSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import {
  AppError,
  type BatchReport,
  type FieldDef,
  type IdentityLinkReport,
  type IngestProgress,
  KeyedQueue,
  newId,
  type RejectEntry,
  type TableDef,
} from '@ahub/core'
import { type Engine, ident, literal, type Session } from '../engine'
import { type Logger, silentLogger } from '../logger'
import type { SchemaCatalog } from '../meta/catalog'
import { type OrgRepository, orgSchema } from '../meta/orgs'
import { normalisedIdentitySql, type RowCheck, rowChecks, SqlBuilder, trimmedSql } from './checks'
import { prepareLinkColumns, updateIdentityLinks } from './identity-links'
import { normalisePhonePairs } from './phone-sql'
import {
  assertDecompressedSize,
  assertSourceUnchanged,
  type CsvOptions,
  type FileFormat,
  readLines,
  resolveSource,
  type SourceFile,
} from './source'
import { type ExtendRead, OP_COLUMN, type Staged, stage } from './staging'

export interface IngestOptions {
  format?: FileFormat
  csv?: CsvOptions
  /** Display name of the file (e.g. the uploaded name); defaults to the path's base name. */
  fileName?: string
  /** Where to write the reject file; defaults to `<rejectDir>/<batchId>.csv` when there are rejects. */
  rejectFile?: string
  onProgress?: (p: IngestProgress) => void
  /** Limits of this batch, over the ingestor's. */
  limits?: Partial<IngestLimits>
}

/** What one batch may cost in files; beyond a limit the batch fails with its code, nothing applied. */
export interface IngestLimits {
  /** Largest reject file (INGEST_REJECTS_TOO_LARGE). */
  maxRejectBytes: number
  /** Most bytes a gzip file may decompress to (INGEST_DECOMPRESSED_TOO_LARGE). */
  maxDecompressedBytes: number
  /**
   * Most bytes per compressed byte a gzip file may decompress to, over a floor of
   * `ratioFloorBytes` (a gzip bomb is refused after reading little).
   */
  maxCompressionRatio: number
  ratioFloorBytes: number
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxRejectBytes: 256 * 1024 ** 2,
  maxDecompressedBytes: 16 * 1024 ** 3,
  maxCompressionRatio: 200,
  ratioFloorBytes: 256 * 1024 ** 2,
}

const LIMIT_ENV: Record<string, keyof IngestLimits> = {
  AHUB_INGEST_MAX_REJECT_BYTES: 'maxRejectBytes',
  AHUB_INGEST_MAX_DECOMPRESSED_BYTES: 'maxDecompressedBytes',
  AHUB_INGEST_MAX_COMPRESSION_RATIO: 'maxCompressionRatio',
}

/** Limits set in the environment (`AHUB_INGEST_MAX_*`, positive numbers); INGEST_OPTIONS_INVALID otherwise. */
export function ingestLimitsFromEnv(env: Record<string, string | undefined>): Partial<IngestLimits> {
  const out: Partial<IngestLimits> = {}
  for (const [name, key] of Object.entries(LIMIT_ENV)) {
    const text = env[name]
    if (text === undefined || text === '') continue
    const value = Number(text)
    if (!Number.isFinite(value) || value <= 0)
      throw new AppError(
        'INGEST_OPTIONS_INVALID',
        `${name} must be a positive number, not "${text.slice(0, 40)}"`,
      )
    out[key] = value
  }
  return out
}

/** The most a gzip file of `compressed` bytes may decompress to under `limits`. */
export function decompressedLimit(limits: IngestLimits, compressed: number): number {
  return Math.min(
    limits.maxDecompressedBytes,
    Math.max(limits.ratioFloorBytes, limits.maxCompressionRatio * compressed),
  )
}

const SAMPLE = 20

/**
 * Loads one file into one dataset as an atomic batch: stage with the engine's reader, validate
 * every row, keep the highest version per key, then upsert / delete and update identity links in
 * one transaction. Rejected rows go to a reject file; nothing else is lost.
 */
export class Ingestor {
  constructor(
    private readonly engine: Engine,
    private readonly catalog: SchemaCatalog,
    private readonly orgs: OrgRepository,
    private readonly rejectDir: string,
    private readonly limits: IngestLimits = DEFAULT_INGEST_LIMITS,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** The last batch queued for each organisation. */
  private readonly queues = new KeyedQueue()

  /**
   * Loads one batch. Batches of one organisation run one after another: two of one dataset would
   * each classify rows against the dataset as it was before the other (inserting a new key
   * twice), and all of them write the organisation's identity links.
   */
  async ingest(
    org: string,
    tableName: string,
    path: string,
    options: IngestOptions = {},
  ): Promise<BatchReport> {
    return this.queues.run(org, () => this.ingestNow(org, tableName, path, options))
  }

  private async ingestNow(
    org: string,
    tableName: string,
    path: string,
    options: IngestOptions,
  ): Promise<BatchReport> {
    const started = Date.now()
    const orgInfo = await this.orgs.get(org)
    const stored = await this.catalog.get(org, tableName)
    const table = stored.definition
    const source = resolveSource(path, { format: options.format, csv: options.csv, name: options.fileName })
    const limits = { ...this.limits, ...options.limits }
    const batchId = newId('b')
    // The reject file this batch wrote, removed again if the batch does not commit.
    let rejectWritten: string | null = null
    const notify = options.onProgress ?? (() => undefined)
    const phaseMs: Record<string, number> = {}
    let phase: { name: string; at: number } | undefined
    // Reports progress and times each phase for the batch report.
    const progress = (p: IngestProgress) => {
      const now = Date.now()
      if (phase?.name !== p.phase) {
        if (phase) phaseMs[phase.name] = (phaseMs[phase.name] ?? 0) + now - phase.at
        phase = { name: p.phase, at: now }
      }
      if (p.phase !== 'done') notify(p)
    }
    const startedAt = new Date(started).toISOString()
    const [created] = await this.engine.query<{ seq: number }>(
      `INSERT INTO meta.batches (id, org, table_name, file_name, format, status, started_at, seq)
       VALUES ($1, $2, $3, $4, $5, 'running', $6, nextval('meta.batch_seq')) RETURNING seq`,
      [batchId, org, tableName, source.name, source.format, startedAt],
    )
    const batchSeq = Number(created!.seq)
    try {
      const report = await this.engine.withSession(async (s) => {
        progress({ phase: 'reading', percentage: 0, bytesTotal: source.bytes })
        if (source.gzip) await assertDecompressedSize(source, decompressedLimit(limits, source.bytes))
        const staged = await stage(
          s,
          source,
          table,
          (p) =>
            progress({
              phase: 'reading',
              percentage: p.percentage,
              bytesTotal: source.bytes,
              rows: p.rowsProcessed,
            }),
          identityColumns(table),
        )
        // A file cut short while the reader ran gives fewer rows, not an error: look before going on.
        await assertSourceUnchanged(source)
        progress({ phase: 'validating', percentage: 100, bytesTotal: source.bytes })
        await buildStage(s, table, staged)
        const rejects = await this.findRejects(s, source, table, staged)
        const counts = await dedupe(s, table, staged, rejects.badRows > 0, rejects.counted)

        progress({ phase: 'applying', percentage: 100, bytesTotal: source.bytes })
        await prepareLinkColumns(s, org, tableName, table, staged.present)
        const schema = orgSchema(org)
        const target = `${schema}.${ident(tableName)}`
        // The data, the identity links and the batch's own record commit together: after a crash
        // the batch is either recorded as succeeded with its rows, or absent from both.
        return this.engine.transaction(async (tx) => {
          const applied = await apply(tx, target, table, staged.present, batchSeq)
          let identities: IdentityLinkReport | null = null
          if (Object.values(table.fields).some((f) => f.identity)) {
            progress({ phase: 'identities', percentage: 100, bytesTotal: source.bytes })
            identities = await updateIdentityLinks(
              tx,
              schema,
              tableName,
              table,
              staged.present,
              orgInfo.settings.identity,
            )
          }
          const unknownDeletes = await tx.query<{ _line: number | null; _r: number }>(
            `SELECT ${staged.hasLineColumn ? '_line' : 'NULL AS _line'}, _r FROM _final WHERE _action = 'X' ORDER BY _r`,
          )
          const { entries: deleteRejects } = await this.locate(tx, source, staged, unknownDeletes, () => ({
            column: null,
            code: 'DELETE_UNKNOWN_KEY',
            reason: 'Delete for a key that is not in the dataset',
          }))
          const allRejects = [...rejects.entries, ...deleteRejects]
          if (allRejects.length > 0)
            rejectWritten = await this.writeRejects(
              options.rejectFile ?? `${this.rejectDir}/${batchId}.csv`,
              allRejects,
              limits.maxRejectBytes,
            )
          const rejectFile = rejectWritten
          // Every read of the file is done (the raw text of rejects too): it must be the file the
          // batch began with, or nothing is applied.
          await assertSourceUnchanged(source)
          progress({ phase: 'done', percentage: 100, bytesTotal: source.bytes })
          const report: BatchReport = {
            batchId,
            org,
            table: tableName,
            file: source.name,
            format: source.format,
            status: 'succeeded',
            received: rejects.readerRejectedLines + counts.stagedRows,
            inserted: applied.inserted,
            updated: applied.updated,
            deleted: applied.deleted,
            unchanged: applied.unchanged,
            superseded: counts.superseded,
            rejected: rejects.readerRejectedLines + rejects.badRows + applied.unknownDeletes,
            rejectFile,
            rejectSample: allRejects.slice(0, SAMPLE),
            identities,
            durationMs: Date.now() - started,
            phaseMs,
            startedAt,
          }
          await tx.run(
            `UPDATE meta.batches SET status = 'succeeded', report = $2, reject_path = $3, finished_at = current_timestamp WHERE id = $1`,
            [batchId, JSON.stringify(report), report.rejectFile],
          )
          return report
        }, s)
      })
      notify({ phase: 'done', percentage: 100, bytesTotal: source.bytes })
      return report
    } catch (cause) {
      // A reader error on a file that vanished or changed meanwhile is about that, not the content.
      const moved =
        cause instanceof AppError && cause.code.startsWith('INGEST_SOURCE_')
          ? null
          : await assertSourceUnchanged(source).then(
              () => null,
              (e: AppError) => e,
            )
      const error =
        moved ??
        (cause instanceof AppError && cause.code !== 'STORE_ERROR'
          ? cause
          : new AppError(
              'INGEST_FAILED',
              `Batch ${batchId} failed and was rolled back: ${withoutPath((cause as Error).message, source)}`,
              {
                cause,
                details: { batchId },
              },
            ))
      if (rejectWritten) await rm(rejectWritten, { force: true })
      await this.engine
        .run(
          `UPDATE meta.batches SET status = 'failed', report = $2, finished_at = current_timestamp WHERE id = $1`,
          [batchId, JSON.stringify({ error: error.toJSON() })],
        )
        // The caller gets the batch's error; this one (the batch left marked running) only the log.
        .catch((err) => this.logger.error({ err, org, batch: batchId }, 'marking a failed batch failed'))
      throw error
    }
  }

  /** Finds every row that breaks a rule; reader rejects and rule failures become reject entries. */
  private async findRejects(s: Session, source: SourceFile, table: TableDef, staged: Staged) {
    const b = new SqlBuilder()
    const checks = rowChecks(table, staged.present, '_op', b, {
      typeFlags: staged.typeFlags,
      jsonFlag: staged.jsonFlag,
      enumsTyped: staged.enumsTyped,
    })
    const flags =
      checks.length > 0 ? `[${checks.map((c) => `coalesce(${c.cond}, false)`).join(', ')}]` : '[]::BOOLEAN[]'
    // One scan counts the rows and those that break a rule. Another tells whether the keys come in
    // strictly increasing order (files exported by key often do), which proves them distinct
    // without a hash table; it runs apart because an ordered window runs on one thread, and would
    // take the rule checks with it. Otherwise the distinct key hashes of the valid rows are counted
    // (for dedupe). Only when some rows break a rule does another scan keep them, with their flags.
    const pk = table.primaryKey.map(ident).join(', ')
    const summary = await s.query<{ n: number; bad: number }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE _broken) AS bad
       FROM (SELECT list_contains(${flags}, true) AS _broken FROM _stage)`,
      b.params,
    )
    const badRows = Number(summary[0]?.bad ?? 0)
    const valid = Number(summary[0]?.n ?? 0) - badRows
    let sorted = false
    if (table.primaryKey.length === 1) {
      // An empty key breaks a rule, so without broken rows there is none to skip (and skipping
      // them doubles the cost).
      const rows = await s.query<{ sorted: boolean | null }>(
        `SELECT bool_and(_k > _p) FILTER (WHERE _k IS NOT NULL AND _p IS NOT NULL) AS sorted
         FROM (SELECT ${pk} AS _k, lag(${pk}${badRows > 0 ? ' IGNORE NULLS' : ''}) OVER () AS _p FROM _stage)`,
      )
      // Strictly increasing keys (or none to compare) are distinct.
      sorted = rows[0]?.sorted !== false
    }
    let distinctHashes = valid
    if (!sorted) {
      const hashes = await s.query<{ h: number }>(
        badRows > 0
          ? `SELECT count(DISTINCT hash(${pk})) AS h FROM (SELECT ${pk}, list_contains(${flags}, true) AS _broken FROM _stage) WHERE NOT _broken`
          : `SELECT count(DISTINCT hash(${pk})) AS h FROM _stage`,
        badRows > 0 ? b.params : [],
      )
      distinctHashes = Number(hashes[0]?.h ?? 0)
    }
    const counted = { valid, distinctHashes }
    let bad: { _r: number; _line: number | null; _flags: boolean[] }[] = []
    if (badRows > 0) {
      await s.run(
        `CREATE TEMP TABLE _bad AS SELECT _r, _line, _flags FROM (
           SELECT _r, ${staged.hasLineColumn ? '_line' : 'NULL::BIGINT AS _line'}, ${flags} AS _flags FROM _stage)
         WHERE list_contains(_flags, true)`,
        b.params,
      )
      bad = await s.query<{ _r: number; _line: number | null; _flags: boolean[] }>(
        'SELECT _r, _line, _flags FROM _bad ORDER BY _r',
      )
    }
    const entries: RejectEntry[] = []
    const readerLines = new Map<number, RejectEntry[]>()
    for (const r of staged.readerRejects) {
      const list = readerLines.get(r.line) ?? []
      list.push({
        line: r.line,
        column: r.column,
        code: readerCode(r.errorType),
        reason: r.message,
        raw: null,
      })
      readerLines.set(r.line, list)
    }
    // One pass over the file finds the raw text of rule rejects and of reader rejects (the reader
    // truncates long lines, so their text comes from the file itself).
    const located = await this.locate(
      s,
      source,
      staged,
      bad,
      (row) =>
        checks
          .filter((_, i) => row._flags?.[i])
          .map((c: RowCheck) => ({ column: c.column || null, code: c.code, reason: c.reason })),
      [...readerLines.keys()],
    )
    for (const [line, list] of readerLines)
      for (const e of list) entries.push({ ...e, raw: located.raw.get(line) ?? null })
    for (const e of located.entries) entries.push(e)
    entries.sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
    return { entries, badRows: bad.length, readerRejectedLines: readerLines.size, counted }
  }

  /**
   * Turns staged rows into reject entries with their file line and raw text; the raw text of
   * `otherLines` is read in the same pass.
   */
  private async locate<T extends { _r: number; _line: number | null }>(
    s: Session,
    source: SourceFile,
    staged: Staged,
    rows: T[],
    describe: (
      row: T,
    ) =>
      | { column: string | null; code: string; reason: string }
      | { column: string | null; code: string; reason: string }[],
    otherLines: number[] = [],
  ): Promise<{ entries: RejectEntry[]; raw: Map<number, string> }> {
    const lineOf = staged.hasLineColumn
      ? (r: T) => Number(r._line)
      : csvLineMapper(
          staged.readerRejects.map((r) => r.line),
          source.csv.header,
        )
    const located = rows.map((r) => ({ row: r, line: lineOf(r) }))
    const fromFile = new Set(otherLines)
    if (source.format === 'csv') for (const l of located) fromFile.add(l.line)
    let last = 0
    for (const line of fromFile) if (line > last) last = line
    const raw = fromFile.size > 0 ? await readLines(source, fromFile, last) : new Map<number, string>()
    if (source.format !== 'csv' && staged.hasLineColumn && rows.length > 0) {
      // A row without its line's text (Parquet) is shown as JSON of the file's own columns.
      const fields = [...staged.present].map((f) => `${literal(f)}: ${ident(f)}`).join(', ')
      const rawRows = await s.query<{ _line: number; raw: string }>(
        `SELECT _line, coalesce(_raw, to_json({${fields}})::VARCHAR) AS raw FROM _read WHERE rowid IN (SELECT unnest($1::BIGINT[]))`,
        [JSON.stringify(rows.map((r) => r._r))],
      )
      for (const r of rawRows) raw.set(Number(r._line), r.raw)
    }
    const entries: RejectEntry[] = []
    for (const { row, line } of located) {
      const d = describe(row)
      for (const e of Array.isArray(d) ? d : [d]) entries.push({ line, ...e, raw: raw.get(line) ?? null })
    }
    return { entries, raw }
  }

  /** Writes the reject file; beyond `maxBytes` it is removed and the batch fails. */
  private async writeRejects(path: string, entries: RejectEntry[], maxBytes: number): Promise<string> {
    mkdirSync(dirname(path), { recursive: true })
    const out = createWriteStream(path)
    const cell = (v: string | number | null) => {
      const text = v === null ? '' : String(v)
      return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
    }
    const header = 'line,column,code,reason,raw\n'
    let bytes = header.length
    out.write(header)
    for (const e of entries) {
      const line = `${[e.line, e.column, e.code, e.reason, e.raw].map(cell).join(',')}\n`
      bytes += Buffer.byteLength(line)
      if (bytes > maxBytes) {
        out.end()
        await once(out, 'close')
        await rm(path, { force: true })
        throw new AppError(
          'INGEST_REJECTS_TOO_LARGE',
          `The reject file would exceed ${maxBytes} bytes (${entries.length} rejected value(s)); nothing was applied: fix the file or its options (delimiter, encoding), or raise the limit`,
          { details: { limit: maxBytes, rejects: entries.length, sample: entries.slice(0, SAMPLE) } },
        )
      }
      if (!out.write(line)) await once(out, 'drain')
    }
    out.end()
    await once(out, 'finish')
    return path
  }
}

/** An engine message with the server's path of the file replaced by its name. */
function withoutPath(message: string, source: SourceFile): string {
  return message.replaceAll(source.path, source.name)
}

function readerCode(errorType: string): string {
  switch (errorType) {
    case 'CAST':
      return 'WRONG_TYPE'
    case 'MISSING COLUMNS':
      return 'MISSING_COLUMNS'
    case 'TOO MANY COLUMNS':
      return 'TOO_MANY_COLUMNS'
    case 'UNQUOTED VALUE':
      return 'UNBALANCED_QUOTE'
    case 'LINE SIZE OVER MAXIMUM':
      return 'LINE_TOO_LONG'
    case 'INVALID ENCODING':
    case 'INVALID UNICODE':
      return 'INVALID_ENCODING'
    default:
      return errorType.replaceAll(' ', '_')
  }
}

/**
 * CSV rows are numbered by their position among the rows the reader kept; the file line of the
 * k-th kept row skips the header and every line the reader rejected before it. (A quoted field
 * spanning several lines shifts later numbers; the raw text is then the record's first line.)
 */
function csvLineMapper(rejectedLines: number[], header: boolean): (r: { _r: number }) => number {
  const rejected = [...new Set(rejectedLines)].sort((a, b) => a - b)
  const first = header ? 2 : 1
  // Before the i-th rejected line come (rejected[i] - first - i) kept rows, a count that never
  // decreases with i: the rejected lines before the k-th kept row are those whose count is <= k.
  return (r) => {
    const k = Number(r._r)
    let lo = 0
    let hi = rejected.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (rejected[mid]! - first - mid <= k) lo = mid + 1
      else hi = mid
    }
    return first + k + lo
  }
}

/**
 * The reader's SELECT extended with each identity field's normalised value `_n_<field>` (NULL when
 * invalid or absent), computed in the reading pass from the trimmed value. A phone's normalised
 * value needs every distinct number first, so it is filled in by `buildStage`.
 */
function identityColumns(table: TableDef): ExtendRead {
  const ids = Object.entries(table.fields).filter(([, f]) => f.identity)
  return (select, present) => {
    if (ids.length === 0) return select
    // The trimmed values are named in an inner SELECT for the normalisation, then dropped.
    const names: string[] = []
    const trimmed: string[] = []
    const normalised: string[] = []
    for (const [name, field] of ids) {
      const v = ident(`_v_${name}`)
      const n = ident(`_n_${name}`)
      if (present.has(name) && field.identity!.namespace !== 'phone') {
        names.push(v)
        trimmed.push(`${trimmedSql(name)} AS ${v}`)
        normalised.push(`${normalisedIdentitySql(v, field)} AS ${n}`)
      } else normalised.push(`NULL::VARCHAR AS ${n}`)
    }
    if (names.length === 0) return `SELECT *, ${normalised.join(', ')} FROM (${select})`
    return `SELECT * EXCLUDE (${names.join(', ')}), ${normalised.join(', ')}
            FROM (SELECT *, ${trimmed.join(', ')} FROM (${select}))`
  }
}

/**
 * Builds `_stage`, a view of the read rows with their position `_r` and change type `_op`, once
 * the normalised phones are filled into `_read` (each distinct number and country once).
 */
async function buildStage(s: Session, table: TableDef, staged: Staged): Promise<void> {
  const present = staged.present
  const ids = Object.entries(table.fields).filter(([, f]) => f.identity)
  for (const [name, field] of ids) {
    if (field.identity!.namespace !== 'phone' || !present.has(name)) continue
    const phones = ident(`_ph_${name}`)
    await preparePhones(s, name, field, table, staged, `_ph_${name}`)
    await s.run(
      `UPDATE _read SET ${ident(`_n_${name}`)} = p._e164 FROM ${phones} p
       WHERE p._e164 IS NOT NULL AND p._raw_in = ${trimmedSql(name, '_read')}
         AND p._country_in = ${phoneCountry(field, table, staged, '_read.')}`,
    )
  }
  const op = present.has(OP_COLUMN) ? `coalesce(upper(trim(${ident(OP_COLUMN)})), 'U')` : `'U'`
  // An identity column holds its canonical value, the one its identity links hold (an invalid value
  // keeps its text for the reject file). A key column is stored as given: links and audience
  // members name rows by it.
  const canonical = ids
    .filter(([name]) => present.has(name) && !table.primaryKey.includes(name))
    .map(([name]) => `coalesce(${ident(`_n_${name}`)}, ${ident(name)}) AS ${ident(name)}`)
  const replace = canonical.length > 0 ? ` REPLACE (${canonical.join(', ')})` : ''
  await s.run(`CREATE TEMP VIEW _stage AS SELECT rowid AS _r, *${replace}, ${op} AS _op FROM _read`)
}

/**
 * The country a phone is read in: its row's country field, or the field's default (or none). A
 * country read as an ENUM whose values are all upper-case printable ASCII needs no folding (a row
 * with another value was rejected by the reader).
 */
function phoneCountry(field: FieldDef, table: TableDef, staged: Staged, prefix = ''): string {
  const cf = field.identity!.countryField
  if (cf && staged.present.has(cf)) {
    const col = `${prefix}${ident(cf)}`
    const country = table.fields[cf]
    const canonical =
      staged.enumsTyped &&
      country?.type === 'enum' &&
      (country.values ?? []).every((v) => /^[\x21-\x7e]*$/.test(v) && v === v.toUpperCase())
    return canonical ? `coalesce(CAST(${col} AS VARCHAR), '')` : `coalesce(upper(trim(${col})), '')`
  }
  return literal(field.identity!.defaultCountry ?? '')
}

/**
 * Normalises the distinct (number, country) pairs of a phone field into the temp table `tableName`,
 * which `_stage` joins: in SQL (phone-sql.ts), with JavaScript for the few shapes SQL leaves open.
 */
async function preparePhones(
  s: Session,
  name: string,
  field: FieldDef,
  table: TableDef,
  staged: Staged,
  tableName: string,
) {
  const raw = trimmedSql(name)
  await normalisePhonePairs(
    s,
    `SELECT DISTINCT ${raw} AS raw, ${phoneCountry(field, table, staged)} AS country FROM _read WHERE ${raw} IS NOT NULL`,
    tableName,
  )
}

/** Keeps valid rows, one per key: the highest version, and the last in the file on a tie. */
async function dedupe(
  s: Session,
  table: TableDef,
  staged: Staged,
  hasBad: boolean,
  counted: { valid: number; distinctHashes: number },
) {
  const pk = table.primaryKey.map(ident).join(', ')
  const order = [
    ...(table.versionField && staged.present.has(table.versionField)
      ? [`${ident(table.versionField)} DESC NULLS LAST`]
      : []),
    '_r DESC',
  ].join(', ')
  const valid = hasBad ? 'WHERE _r NOT IN (SELECT _r FROM _bad)' : ''
  // Counting distinct 64-bit hashes (done with the row checks) is much cheaper than distinct keys, and
  // exact whenever no two hashes collide: equal keys have equal hashes, so as many hashes as valid
  // rows means no repeated key. Only fewer hashes than rows needs the exact count.
  const n = counted.valid
  let distinct = counted.distinctHashes
  if (distinct < n) {
    const keys = await s.query<{ k: number }>(`SELECT count(DISTINCT (${pk})) AS k FROM _stage ${valid}`)
    distinct = Number(keys[0]?.k ?? 0)
  }
  if (distinct < n) {
    await s.run(
      `CREATE TEMP TABLE _dedup AS SELECT * FROM _stage ${valid} QUALIFY row_number() OVER (PARTITION BY ${pk} ORDER BY ${order}) = 1`,
    )
  } else {
    await s.run(`CREATE TEMP VIEW _dedup AS SELECT * FROM _stage ${valid}`)
  }
  const all = await s.query<{ n: number }>('SELECT count(*) AS n FROM _read')
  return { stagedRows: all[0]?.n ?? 0, superseded: n - distinct }
}

interface Applied {
  inserted: number
  updated: number
  deleted: number
  unchanged: number
  unknownDeletes: number
}

/**
 * Classifies each deduplicated row against the dataset into `_final._action` (I insert, U update,
 * D delete, N unchanged, X delete of an unknown key) and applies the changes. Runs inside the
 * batch transaction. Into an empty dataset every upsert is an insert, so nothing is joined.
 */
async function apply(
  s: Session,
  target: string,
  table: TableDef,
  present: Set<string>,
  batchSeq: number,
): Promise<Applied> {
  const fields = Object.keys(table.fields).filter((f) => present.has(f))
  const empty = (await s.query(`SELECT 1 FROM ${target} LIMIT 1`)).length === 0
  if (empty) {
    await s.run(
      `CREATE TEMP VIEW _final AS SELECT *, CASE WHEN _op = 'D' THEN 'X' ELSE 'I' END AS _action, NULL::BIGINT AS _trow FROM _dedup`,
    )
  } else {
    const pkJoin = table.primaryKey.map((k) => `t.${ident(k)} = d.${ident(k)}`).join(' AND ')
    const vf = table.versionField && present.has(table.versionField) ? ident(table.versionField) : null
    const changed = fields.map((c) => `t.${ident(c)} IS DISTINCT FROM d.${ident(c)}`).join(' OR ') || 'false'
    const newer = vf ? `d.${vf} > t.${vf} OR t.${vf} IS NULL` : changed
    const deletable = vf ? `d.${vf} IS NULL OR d.${vf} >= t.${vf} OR t.${vf} IS NULL` : 'true'
    await s.run(`CREATE TEMP TABLE _final AS
      SELECT d.*, t.rowid AS _trow,
        CASE WHEN t.rowid IS NULL THEN (CASE WHEN d._op = 'D' THEN 'X' ELSE 'I' END)
             WHEN d._op = 'D' THEN (CASE WHEN ${deletable} THEN 'D' ELSE 'N' END)
             WHEN ${newer} THEN 'U' ELSE 'N' END AS _action
      FROM _dedup d LEFT JOIN ${target} t ON ${pkJoin}`)
    await s.run(`DELETE FROM ${target} WHERE rowid IN (SELECT _trow FROM _final WHERE _action = 'D')`)
    if (fields.length > 0) {
      const sets = [...fields.map((c) => `${ident(c)} = f.${ident(c)}`), '_batch = $1'].join(', ')
      await s.run(
        `UPDATE ${target} SET ${sets} FROM _final f WHERE ${target}.rowid = f._trow AND f._action = 'U'`,
        [batchSeq],
      )
    }
  }
  const cols = [...fields, '_batch'].map(ident).join(', ')
  const vals = [...fields.map(ident), '$1'].join(', ')
  await s.run(`INSERT INTO ${target} (${cols}) SELECT ${vals} FROM _final WHERE _action = 'I'`, [batchSeq])
  const counts = await s.query<{ a: string; n: number }>(
    'SELECT _action AS a, count(*) AS n FROM _final GROUP BY 1',
  )
  const by = Object.fromEntries(counts.map((c) => [c.a, c.n]))
  return {
    inserted: by.I ?? 0,
    updated: by.U ?? 0,
    deleted: by.D ?? 0,
    unchanged: by.N ?? 0,
    unknownDeletes: by.X ?? 0,
  }
}
