import { createReadStream, statSync } from 'node:fs'
import { basename } from 'node:path'
import { createGunzip } from 'node:zlib'
import { AppError } from '@ahub/core'
import { z } from 'zod'

export const CsvOptions = z
  .object({
    delimiter: z.string().min(1).max(4).optional(),
    quote: z.string().max(1).optional(),
    escape: z.string().max(1).optional(),
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
  try {
    const st = statSync(path)
    if (!st.isFile()) throw new Error('not a regular file')
    bytes = st.size
  } catch (cause) {
    throw new AppError('INGEST_FILE_NOT_FOUND', `Cannot read ${name}: ${(cause as Error).message}`, { cause })
  }
  if (bytes === 0) throw new AppError('INGEST_EMPTY_FILE', `${name} is empty`, { details: { file: name } })
  const gzip = /\.gz$/i.test(name)
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
  return { path, name, format, gzip, bytes, csv }
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
 * Lines are decoded with the file's encoding; invalid bytes are kept as U+FFFD.
 */
export async function readLines(
  source: SourceFile,
  wanted: Set<number>,
  last: number,
): Promise<Map<number, string>> {
  const out = new Map<number, string>()
  if (wanted.size === 0) return out
  const encoding =
    source.csv.encoding === 'latin-1' ? 'latin1' : source.csv.encoding === 'utf-16' ? 'utf-16le' : 'utf-8'
  const keep = (n: number, line: string) =>
    out.set(n, (n === 1 ? line.replace(/^\uFEFF/, '') : line).replace(/\r$/, ''))
  try {
    if (encoding === 'utf-16le') await readTextLines(source, encoding, wanted, last, keep)
    else await readByteLines(source, encoding, wanted, last, keep)
  } catch (cause) {
    throw new AppError('INGEST_MALFORMED_FILE', `Cannot read ${source.name}: ${(cause as Error).message}`, {
      cause,
    })
  }
  return out
}

/**
 * Encodings where a newline is the byte 0x0A (UTF-8, Latin-1): lines are counted on the bytes and
 * only the wanted ones are decoded, so finding a few lines in a large file costs little more than
 * reading it.
 */
async function readByteLines(
  source: SourceFile,
  encoding: string,
  wanted: Set<number>,
  last: number,
  keep: (n: number, line: string) => void,
): Promise<void> {
  const decoder = new TextDecoder(encoding)
  let n = 1
  // The bytes of line n read so far, kept only when line n is wanted.
  let pending: Buffer[] = []
  for await (const chunk of openText(source) as AsyncIterable<Buffer>) {
    let from = 0
    for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
      if (wanted.has(n)) {
        pending.push(chunk.subarray(from, nl))
        keep(n, decoder.decode(Buffer.concat(pending)))
        pending = []
      }
      n++
      from = nl + 1
      if (n > last) return
    }
    if (wanted.has(n)) pending.push(chunk.subarray(from))
  }
  const tail = Buffer.concat(pending)
  if (tail.length > 0) keep(n, decoder.decode(tail))
}

/** Other encodings (UTF-16): the text is decoded as a whole and split on newlines. */
async function readTextLines(
  source: SourceFile,
  encoding: string,
  wanted: Set<number>,
  last: number,
  keep: (n: number, line: string) => void,
): Promise<void> {
  const decoder = new TextDecoder(encoding)
  let n = 1
  let partial = ''
  for await (const chunk of openText(source) as AsyncIterable<Buffer>) {
    const text = partial + decoder.decode(chunk, { stream: true })
    let from = 0
    for (let nl = text.indexOf('\n', from); nl !== -1; nl = text.indexOf('\n', from)) {
      if (wanted.has(n)) keep(n, text.slice(from, nl))
      n++
      from = nl + 1
      if (n > last) return
    }
    partial = text.slice(from)
  }
  if (partial !== '' && n <= last && wanted.has(n)) keep(n, partial)
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
