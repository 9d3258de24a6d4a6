import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { pipeline } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { AppError, isAppError } from '@ahub/core'
import { z } from 'zod'
import { detectFormat, parseBatchFileName } from './file-names'
import {
  CSV_HEADERS,
  type CsvColumns,
  type ParsedLine,
  parseCsvLine,
  parseInboundLine,
  parseOutboundLine,
  splitCsvLine,
} from './line-formats'
import { splitLines } from './line-splitter'
import {
  BATCH_FORMATS,
  type BatchFileName,
  type BatchFormat,
  type BatchRecord,
  INBOUND_MAX_LINE_BYTES,
  INBOUND_MAX_LINES_PER_USER,
  REJECT_CODES,
  type ReadReport,
  type RejectCode,
} from './types'
import { UserTracker } from './user-tracker'

/** Lines of outbound and CSV files have no published limit; this one keeps memory bounded. */
const OTHER_MAX_LINE_BYTES = 16 * 1024 * 1024

export const ReadOptions = z
  .object({
    /** The format; recognised from the file name when left out (then the name must be valid). */
    format: z.enum(BATCH_FORMATS).optional(),
    /** Rejected lines kept in the report with their text (all are counted). */
    maxRejectSamples: z.number().int().min(0).max(100_000).default(100),
    /** Users whose line counts are tracked exactly; past it, counts are estimates. */
    maxTrackedUsers: z.number().int().min(1_000).max(50_000_000).default(2_000_000),
  })
  .strict()
export type ReadOptions = z.input<typeof ReadOptions>

/** The records of one batch file, read once, and the report that fills while they are read. */
export interface BatchFileReader extends AsyncIterable<BatchRecord> {
  readonly report: ReadReport
}

function optionsError(error: z.ZodError): AppError {
  return new AppError('BATCHFILE_OPTIONS_INVALID', 'Invalid batch file options', {
    details: { issues: error.issues.map((i) => ({ path: i.path, code: i.code, message: i.message })) },
  })
}

/**
 * Opens a batch file for streaming: checks that it exists, is not empty, has a valid name (when
 * the format is recognised from it) and, if gzip, starts like gzip. Nothing else is read until
 * the records are iterated.
 */
export async function openBatchFile(path: string, options: ReadOptions = {}): Promise<BatchFileReader> {
  const parsed = ReadOptions.safeParse(options)
  if (!parsed.success) throw optionsError(parsed.error)
  const o = parsed.data
  let format: BatchFormat
  let name: BatchFileName | null
  if (o.format === undefined) {
    format = detectFormat(path)
    name = parseBatchFileName(path, format)
  } else {
    format = o.format
    try {
      name = parseBatchFileName(path, format)
    } catch {
      name = null
    }
  }
  const size = await fileSize(path)
  if (size === 0)
    throw new AppError('BATCHFILE_EMPTY', `The file ${path} is empty`, { details: { file: path } })
  const magic = await firstBytes(path, 2)
  const looksGzip = magic[0] === 0x1f && magic[1] === 0x8b
  const namedGzip = path.endsWith('.gz')
  if (namedGzip && !looksGzip) {
    throw new AppError('BATCHFILE_GZIP_CORRUPT', `The file ${path} is named .gz but is not gzip data`, {
      details: { file: path },
    })
  }
  const report: ReadReport = {
    file: path,
    format,
    name,
    compressed: looksGzip,
    bytes: 0,
    lines: 0,
    blankLines: 0,
    records: 0,
    users: 0,
    usersExact: true,
    traits: { added: 0, removed: 0, signals: 0, ignored: 0, empty: 0 },
    rejected: 0,
    ragged: 0,
    rejectsByCode: {},
    rejects: [],
    done: false,
  }
  let used = false
  return {
    report,
    [Symbol.asyncIterator]() {
      if (used) throw new AppError('INTERNAL', 'A batch file reader can be iterated once')
      used = true
      return readRecords(path, format, name, report, o)[Symbol.asyncIterator]()
    },
  }
}

/** Reads a whole batch file and returns its report (validation without keeping the records). */
export async function summariseBatchFile(path: string, options: ReadOptions = {}): Promise<ReadReport> {
  const reader = await openBatchFile(path, options)
  for await (const _ of reader) {
    // Only the report is wanted.
  }
  return reader.report
}

async function* readRecords(
  path: string,
  format: BatchFormat,
  name: BatchFileName | null,
  report: ReadReport,
  o: z.output<typeof ReadOptions>,
): AsyncGenerator<BatchRecord> {
  const maxLine = format === 'inbound' ? INBOUND_MAX_LINE_BYTES : OTHER_MAX_LINE_BYTES
  const overwrite = name?.format === 'inbound' && name.mode === 'overwrite'
  const tracker = new UserTracker(o.maxTrackedUsers)
  let csvColumns: CsvColumns | null = null

  const reject = (line: number, code: RejectCode, reason: string, raw: string, ragged = false) => {
    report.rejected++
    if (ragged) report.ragged++
    report.rejectsByCode[code] = (report.rejectsByCode[code] ?? 0) + 1
    if (report.rejects.length < o.maxRejectSamples) {
      report.rejects.push({ line, code, reason, raw: raw.length > 200 ? `${raw.slice(0, 197)}...` : raw })
    }
  }

  const file = createReadStream(path, { highWaterMark: 1 << 16 })
  const source = report.compressed ? pipeline(file, createGunzip(), () => {}) : file
  try {
    for await (const batch of splitLines(source, maxLine)) {
      for (const raw of batch) {
        const lineNo = ++report.lines
        report.bytes += raw.bytes + 1
        if (raw.tooLong || raw.bytes > maxLine) {
          reject(
            lineNo,
            'LINE_TOO_LONG',
            `${raw.bytes} bytes; the limit is ${maxLine}`,
            `(${raw.bytes} bytes)`,
          )
          continue
        }
        if (raw.text === null) {
          reject(lineNo, 'INVALID_ENCODING', REJECT_CODES.INVALID_ENCODING, '(not UTF-8)')
          continue
        }
        const text = raw.text
        if (format === 'csv' && csvColumns === null) {
          csvColumns = csvHeader(text, path)
          continue
        }
        if (text.trim().length === 0) {
          report.blankLines++
          continue
        }
        const p: ParsedLine =
          format === 'inbound'
            ? parseInboundLine(text, overwrite)
            : format === 'outbound'
              ? parseOutboundLine(text)
              : parseCsvLine(text, csvColumns!)
        if (!p.ok) {
          reject(lineNo, p.code, p.reason, text, p.ragged)
          continue
        }
        const seen = tracker.add(p.id)
        if (tracker.exact) report.users = tracker.users
        else if (report.usersExact || (lineNo & 0xffff) === 0) {
          report.usersExact = false
          report.users = tracker.users
        }
        if (format === 'inbound' && seen > INBOUND_MAX_LINES_PER_USER) {
          reject(
            lineNo,
            'TOO_MANY_LINES_FOR_USER',
            `user ${p.id} already had ${INBOUND_MAX_LINES_PER_USER} lines in this file`,
            text,
          )
          continue
        }
        report.records++
        report.traits.added += p.added.length
        report.traits.removed += p.removed.length
        report.traits.signals += p.signals.length
        report.traits.ignored += p.ignored
        report.traits.empty += p.empty
        yield { line: lineNo, id: p.id, added: p.added, removed: p.removed, signals: p.signals }
      }
    }
  } catch (e) {
    throw readError(e, path, report)
  } finally {
    file.destroy()
  }
  report.users = tracker.users
  report.usersExact = tracker.exact
  if (report.records + report.rejected === 0 && format !== 'csv') {
    throw new AppError('BATCHFILE_EMPTY', `The file ${path} holds no lines`, { details: { file: path } })
  }
  if (format === 'csv' && csvColumns === null) {
    throw new AppError('BATCHFILE_EMPTY', `The file ${path} holds no lines`, { details: { file: path } })
  }
  report.done = true
}

function csvHeader(line: string, path: string): CsvColumns {
  const cells = (splitCsvLine(line.replace(/^\uFEFF/, '')) ?? []).map((c) => c.trim().toLowerCase())
  for (const h of CSV_HEADERS) {
    if (h.length === cells.length && h.every((c, i) => cells[i] === c)) return h.length as CsvColumns
  }
  throw new AppError(
    'BATCHFILE_BAD_HEADER',
    `The CSV header of ${path} is "${line.slice(0, 80)}"; expected id[,segments[,removed]]`,
    {
      details: { file: path, header: line.slice(0, 200) },
    },
  )
}

function readError(e: unknown, path: string, report: ReadReport): unknown {
  if (isAppError(e)) return e
  const code = (e as { code?: unknown }).code
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new AppError(
      'BATCHFILE_GZIP_CORRUPT',
      `The gzip data of ${path} is truncated or damaged after line ${report.lines}`,
      { details: { file: path, linesRead: report.lines, zlib: (e as Error).message }, cause: e },
    )
  }
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
    return new AppError('BATCHFILE_NOT_FOUND', `Cannot read ${path}`, { details: { file: path }, cause: e })
  }
  return e
}

async function fileSize(path: string): Promise<number> {
  try {
    const s = await stat(path)
    if (!s.isFile()) throw new Error('not a file')
    return s.size
  } catch (e) {
    throw new AppError('BATCHFILE_NOT_FOUND', `The batch file ${path} does not exist or is not a file`, {
      details: { file: path },
      cause: e,
    })
  }
}

async function firstBytes(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.alloc(n)
    const { bytesRead } = await fh.read(buf, 0, n, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await fh.close()
  }
}
