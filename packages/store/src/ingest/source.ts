import { createReadStream, type Stats, statSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { createGunzip } from 'node:zlib'
import { AppError } from '@ahub/core'
import { z } from 'zod'
import { startsWithGzipMagic } from './gzip-magic'

/** Control characters (C0 but tab, DEL, C1, line and paragraph separators) are no CSV syntax. */
function hasControl(v: string): boolean {
  for (const ch of v) {
    const c = ch.codePointAt(0) as number
    if ((c < 0x20 && c !== 0x09) || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return true
  }
  return false
}
const csvChars = (min: number, max: number, what: string) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((v) => !hasControl(v), { message: `The ${what} must not hold control characters` })

export const CsvOptions = z
  .object({
    delimiter: csvChars(1, 4, 'delimiter').optional(),
    quote: csvChars(0, 1, 'quote character').optional(),
    escape: csvChars(0, 1, 'escape character').optional(),
    header: z.boolean().optional(),
    encoding: z.enum(['utf-8', 'utf-16', 'latin-1']).optional(),
  })
  .strict()
export type CsvOptions = z.infer<typeof CsvOptions>

export type FileFormat = 'csv' | 'ndjson' | 'parquet'

/** A file to ingest, with its format and reader options resolved. */
export interface SourceFile {
  path: string
  name: string
  format: FileFormat
  gzip: boolean
  bytes: number
  csv: Required<Omit<CsvOptions, 'header'>> & { header: boolean }
  /** What the file looked like when the batch began; a batch that read anything else fails. */
  seen: FileFingerprint
}

/** Size, modification time and identity of a file: what tells a file that changed while read. */
export interface FileFingerprint {
  size: number
  mtimeMs: number
  ctimeMs: number
  ino: number
  dev: number
}

function fingerprint(st: Stats): FileFingerprint {
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, dev: st.dev }
}

const FORMATS: [RegExp, FileFormat, string?][] = [
  [/\.csv$/i, 'csv'],
  [/\.tsv$/i, 'csv', '\t'],
  [/\.txt$/i, 'csv'],
  [/\.(ndjson|jsonl|json)$/i, 'ndjson'],
  [/\.parquet$/i, 'parquet'],
]

/** Resolves the format from the name (or the explicit option) and checks the file can be read. */
export function resolveSource(
  path: string,
  options: { format?: FileFormat; csv?: CsvOptions; name?: string } = {},
): SourceFile {
  const name = options.name ?? basename(path)
  let bytes: number
  let seen: FileFingerprint
  try {
    const st = statSync(path)
    if (!st.isFile()) throw new Error('not a regular file')
    bytes = st.size
    seen = fingerprint(st)
  } catch (cause) {
    throw new AppError('INGEST_FILE_NOT_FOUND', `Cannot read ${name}: ${(cause as Error).message}`, { cause })
  }
  if (bytes === 0) throw new AppError('INGEST_EMPTY_FILE', `${name} is empty`, { details: { file: name } })
  const gzip = /\.gz$/i.test(name)
  if (gzip && !startsWithGzipMagic(path))
    throw new AppError('INGEST_MALFORMED_FILE', `${name} is named .gz but is not gzip-compressed`, {
      details: { file: name },
    })
  const bare = name.replace(/\.gz$/i, '')
  const match = FORMATS.find(([re]) => re.test(bare))
  const format = options.format ?? match?.[1]
  if (!format) {
    throw new AppError(
      'INGEST_UNSUPPORTED_FORMAT',
      `Cannot tell the format of ${name}: use .csv, .tsv, .ndjson/.jsonl or .parquet (optionally .gz), or pass a format`,
      { details: { file: name } },
    )
  }
  const parsed = CsvOptions.safeParse(options.csv ?? {})
  if (!parsed.success) {
    throw new AppError('INGEST_OPTIONS_INVALID', 'Invalid CSV options', {
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path, message: i.message })) },
    })
  }
  const csv = {
    delimiter: parsed.data.delimiter ?? match?.[2] ?? ',',
    quote: parsed.data.quote ?? '"',
    escape: parsed.data.escape ?? parsed.data.quote ?? '"',
    header: parsed.data.header ?? true,
    encoding: parsed.data.encoding ?? 'utf-8',
  }
  if (csv.delimiter === csv.quote && csv.quote !== '') {
    throw new AppError('INGEST_OPTIONS_INVALID', 'The delimiter and the quote character must differ')
  }
  return { path, name, format, gzip, bytes, csv, seen }
}

/**
 * Throws INGEST_SOURCE_MISSING when the file is gone, INGEST_SOURCE_CHANGED when its size,
 * modification time or identity differ from when the batch began (truncated, appended to,
 * rewritten or replaced while it was read): a batch never applies half a file.
 */
export async function assertSourceUnchanged(source: SourceFile): Promise<void> {
  let now: FileFingerprint
  try {
    now = fingerprint(await stat(source.path))
  } catch (cause) {
    throw new AppError(
      'INGEST_SOURCE_MISSING',
      `${source.name} was deleted or moved while it was being ingested; nothing was applied`,
      { cause, details: { file: source.name } },
    )
  }
  const was = source.seen
  const changed = (Object.keys(was) as (keyof FileFingerprint)[]).filter((k) => was[k] !== now[k])
  if (changed.length > 0)
    throw new AppError(
      'INGEST_SOURCE_CHANGED',
      `${source.name} changed while it was being ingested (${
        now.size !== was.size ? `${was.size} bytes, now ${now.size}` : 'rewritten'
      }); nothing was applied: ingest it again once it is complete`,
      { details: { file: source.name, changed, bytesBefore: was.size, bytesNow: now.size } },
    )
}

/**
 * Counts the bytes a gzip file decompresses to, stopping at `limit`: INGEST_DECOMPRESSED_TOO_LARGE
 * beyond it (a gzip bomb), INGEST_MALFORMED_FILE when it does not decompress.
 */
export async function assertDecompressedSize(source: SourceFile, limit: number): Promise<number> {
  let total = 0
  const gunzip = createReadStream(source.path).pipe(createGunzip())
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      total += chunk.length
      if (total > limit) {
        gunzip.destroy()
        throw new AppError(
          'INGEST_DECOMPRESSED_TOO_LARGE',
          `${source.name} decompresses to more than ${limit} bytes (from ${source.bytes}); raise the limit or split the file`,
          { details: { file: source.name, limit, compressedBytes: source.bytes } },
        )
      }
    }
  } catch (cause) {
    if (cause instanceof AppError) throw cause
    throw new AppError(
      'INGEST_MALFORMED_FILE',
      `Cannot decompress ${source.name}: ${(cause as Error).message}`,
      {
        cause,
        details: { file: source.name },
      },
    )
  }
  return total
}

function openText(source: SourceFile): NodeJS.ReadableStream {
  const raw = createReadStream(source.path)
  return source.gzip ? raw.pipe(createGunzip()) : raw
}

/** Reads the first line of the file (the CSV header), decompressing and decoding as needed. */
export async function readFirstLine(source: SourceFile): Promise<string> {
  const lines = await readLines(source, new Set([1]), 1)
  return lines.get(1) ?? ''
}

/**
 * Reads the given 1-based physical lines (for reject files), stopping after `last`.
 * Lines are decoded with the file's encoding; invalid bytes are kept as U+FFFD. Newlines are
 * found in the bytes and only the wanted lines are decoded, so finding a few lines in a large file
 * costs little more than reading it (UTF-16, where a newline is two bytes, is re-encoded as UTF-8
 * first).
 */
export async function readLines(
  source: SourceFile,
  wanted: Set<number>,
  last: number,
): Promise<Map<number, string>> {
  const out = new Map<number, string>()
  if (wanted.size === 0) return out
  const utf16 = source.csv.encoding === 'utf-16'
  // Each line is decoded on its own: a BOM is kept (and removed from line 1 only, below).
  const decoder = new TextDecoder(source.csv.encoding === 'latin-1' ? 'latin1' : 'utf-8', { ignoreBOM: true })
  const keep = (n: number, bytes: Buffer[]) => {
    const line = decoder.decode(Buffer.concat(bytes))
    out.set(n, (n === 1 ? line.replace(/^\uFEFF/, '') : line).replace(/\r$/, ''))
  }
  let n = 1
  // The bytes of line n read so far, kept only when line n is wanted.
  let pending: Buffer[] = []
  try {
    const chunks = openText(source) as AsyncIterable<Buffer>
    for await (const chunk of utf16 ? asUtf8(chunks) : chunks) {
      let from = 0
      for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
        if (wanted.has(n)) {
          keep(n, [...pending, chunk.subarray(from, nl)])
          pending = []
        }
        n++
        from = nl + 1
        if (n > last) return out
      }
      if (wanted.has(n)) pending.push(chunk.subarray(from))
    }
  } catch (cause) {
    throw new AppError('INGEST_MALFORMED_FILE', `Cannot read ${source.name}: ${(cause as Error).message}`, {
      cause,
    })
  }
  if (pending.some((b) => b.length > 0)) keep(n, pending)
  return out
}

/** UTF-16 (little-endian) chunks as UTF-8 chunks. */
async function* asUtf8(chunks: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  const decoder = new TextDecoder('utf-16le')
  for await (const chunk of chunks) yield Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8')
  yield Buffer.from(decoder.decode(), 'utf8')
}

/** Splits a CSV header line into names, honouring quotes. */
export function splitHeader(line: string, delimiter: string, quote: string): string[] {
  const out: string[] = []
  let cur = ''
  let inQuotes = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quote !== '' && ch === quote) {
      if (inQuotes && line[i + 1] === quote) {
        cur += quote
        i++
      } else inQuotes = !inQuotes
    } else if (!inQuotes && line.startsWith(delimiter, i)) {
      out.push(cur)
      cur = ''
      i += delimiter.length - 1
    } else cur += ch
  }
  out.push(cur)
  return out.map((s) => s.trim())
}
