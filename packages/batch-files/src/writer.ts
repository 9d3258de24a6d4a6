import { once } from 'node:events'
import { createWriteStream, type WriteStream } from 'node:fs'
import { access, mkdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Writable } from 'node:stream'
import { finished, pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { AppError } from '@ahub/core'
import { z } from 'zod'
import { csvName, inboundName, outboundName } from './file-names'
import {
  CSV_HEADERS,
  type CsvColumns,
  csvLine,
  inboundLines,
  outboundLine,
  segmentProblem,
  userIdProblem,
} from './line-formats'
import {
  BATCH_FORMATS,
  INBOUND_MAX_LINE_BYTES,
  INBOUND_MAX_LINES_PER_USER,
  type RejectCode,
  type WriteRecord,
  type WriteResult,
  type WrittenFile,
} from './types'
import { UserTracker } from './user-tracker'

/** Inbound files are split at 1 GB uncompressed by default, the size the format recommends. */
const INBOUND_DEFAULT_MAX_BYTES = 1_000_000_000

export const WriteOptions = z
  .object({
    /** The folder to write into (created if missing). Existing files are never overwritten. */
    dir: z.string().min(1),
    format: z.enum(BATCH_FORMATS),
    gzip: z.boolean().default(false),
    /** Start a new file after this many lines. */
    maxLinesPerFile: z.number().int().min(1).optional(),
    /** Start a new file before this many uncompressed bytes (inbound: 1 GB unless set). */
    maxBytesPerFile: z.number().int().min(1024).optional(),
    /** When the files are stamped, in ms since the epoch; now when left out. */
    at: z.number().int().min(1_000_000_000_000).max(9_999_999_999_999).optional(),
    /** Inbound: the data provider ID and, optionally, the target data owner. */
    dpid: z
      .string()
      .regex(/^\d{1,18}$/, 'digits only')
      .optional(),
    targetDataOwner: z
      .string()
      .regex(/^\d{1,18}$/, 'digits only')
      .optional(),
    /** Inbound: sync adds and removes traits; overwrite replaces the user's traits (no removals). */
    mode: z.enum(['sync', 'overwrite']).default('sync'),
    /** Outbound: what comes before _iter_ / _full_, e.g. ftp_1234_20915. */
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/, 'letters, digits, _ and -')
      .optional(),
    syncMode: z.enum(['iter', 'full']).default('iter'),
    /** CSV: the file name before .csv, and the columns (1 id, 2 id,segments, 3 id,segments,removed). */
    baseName: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/, 'letters, digits, _ - .')
      .default('audience'),
    csvColumns: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2),
    /** Rejected records kept in the result (all are counted). */
    maxRejectSamples: z.number().int().min(0).max(100_000).default(100),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.format === 'inbound' && o.dpid === undefined) {
      ctx.addIssue({ code: 'custom', path: ['dpid'], message: 'inbound files need a DPID' })
    }
    if (o.format === 'outbound' && o.prefix === undefined) {
      ctx.addIssue({ code: 'custom', path: ['prefix'], message: 'outbound files need a prefix' })
    }
  })
export type WriteOptions = z.input<typeof WriteOptions>
type Options = z.output<typeof WriteOptions>

/** One output file being written, under a temporary name until the write succeeds. */
class Part {
  lines = 0
  bytes = 0
  private buffer = ''
  private readonly file: WriteStream
  private readonly sink: Writable
  private readonly done: Promise<void>

  constructor(
    readonly tempPath: string,
    gzip: boolean,
  ) {
    this.file = createWriteStream(tempPath, { flags: 'wx' })
    if (gzip) {
      const z = createGzip()
      this.sink = z
      this.done = pipeline(z, this.file)
    } else {
      this.sink = this.file
      this.done = finished(this.file)
    }
    // Errors surface through write() and close(); keep them from being unhandled meanwhile.
    this.done.catch(() => {})
  }

  async write(text: string, lines: number): Promise<void> {
    this.lines += lines
    this.bytes += Buffer.byteLength(text)
    this.buffer += text
    if (this.buffer.length >= 1 << 16) await this.flush()
  }

  private async flush(): Promise<void> {
    const data = this.buffer
    this.buffer = ''
    if (data.length > 0 && !this.sink.write(data)) await once(this.sink, 'drain')
  }

  async close(): Promise<void> {
    await this.flush()
    this.sink.end()
    await this.done
  }

  destroy(): void {
    this.sink.destroy()
    this.file.destroy()
  }
}

function optionsError(error: z.ZodError): AppError {
  return new AppError('BATCHFILE_OPTIONS_INVALID', 'Invalid batch file options', {
    details: { issues: error.issues.map((i) => ({ path: i.path, code: i.code, message: i.message })) },
  })
}

/**
 * Writes records into one or more batch files in a folder, split by line count or size, gzip
 * if asked. Files get their final names only when everything was written; on failure the
 * partial files are removed. Records the format cannot hold are counted and listed, not written.
 */
export async function writeBatchFiles(
  records: AsyncIterable<WriteRecord> | Iterable<WriteRecord>,
  options: WriteOptions,
): Promise<WriteResult> {
  const parsed = WriteOptions.safeParse(options)
  if (!parsed.success) throw optionsError(parsed.error)
  const o = parsed.data
  const at = o.at ?? Date.now()
  const maxLines = o.maxLinesPerFile ?? Number.POSITIVE_INFINITY
  const maxBytes =
    o.maxBytesPerFile ?? (o.format === 'inbound' ? INBOUND_DEFAULT_MAX_BYTES : Number.POSITIVE_INFINITY)
  const columns = o.csvColumns as CsvColumns
  const header = o.format === 'csv' ? `${CSV_HEADERS[columns - 1]!.join(',')}\n` : ''
  const finalName = (split: number | null) => nameFor(o, at, split)

  try {
    await mkdir(o.dir, { recursive: true })
  } catch (e) {
    throw new AppError('BATCHFILE_OPTIONS_INVALID', `Cannot create the output folder ${o.dir}`, {
      details: { issues: [{ path: ['dir'], code: 'custom', message: (e as Error).message }] },
      cause: e,
    })
  }
  await assertAbsent(o.dir, [finalName(null), finalName(1)])

  const result: WriteResult = {
    format: o.format,
    files: [],
    records: 0,
    lines: 0,
    rejected: 0,
    rejects: [],
    ignoredRemovals: 0,
  }
  const tracker = o.format === 'inbound' ? new UserTracker() : null
  const parts: Part[] = []
  const tag = `${process.pid}-${Date.now().toString(36)}`
  let part: Part | null = null

  const rejectRecord = (n: number, id: string, code: RejectCode, reason: string) => {
    result.rejected++
    if (result.rejects.length < o.maxRejectSamples) {
      result.rejects.push({ record: n, id: id.length > 100 ? `${id.slice(0, 97)}...` : id, code, reason })
    }
  }
  const newPart = async () => {
    if (part) await part.close()
    part = new Part(join(o.dir, `.${finalName(null)}.${tag}.${parts.length + 1}.tmp`), o.gzip)
    parts.push(part)
    if (header) await part.write(header, 0)
  }

  try {
    for await (const r of records) {
      const n = ++result.records
      const id = String(r.id ?? '')
      const added = r.added ?? []
      let removed = r.removed ?? []
      const idProblem = userIdProblem(id, o.format)
      if (idProblem) {
        rejectRecord(n, id, id.length === 0 ? 'EMPTY_USER_ID' : 'BAD_USER_ID', idProblem)
        continue
      }
      const segProblem = segmentProblem(added, o.format) ?? segmentProblem(removed, o.format)
      if (segProblem) {
        rejectRecord(n, id, 'BAD_TRAIT', segProblem)
        continue
      }
      if ((o.format === 'inbound' && o.mode === 'overwrite') || (o.format === 'csv' && columns < 3)) {
        result.ignoredRemovals += removed.length
        removed = []
      }
      let lines: string[]
      if (o.format === 'inbound') {
        lines = inboundLines(id, added, removed, INBOUND_MAX_LINE_BYTES)
        if (lines.length === 0) {
          rejectRecord(n, id, 'NO_TRAITS', 'an inbound line needs at least one trait')
          continue
        }
        if (lines.some((l) => Buffer.byteLength(l) > INBOUND_MAX_LINE_BYTES)) {
          rejectRecord(n, id, 'LINE_TOO_LONG', `a line would exceed ${INBOUND_MAX_LINE_BYTES} bytes`)
          continue
        }
        const before = tracker!.get(id)
        if (before + lines.length > INBOUND_MAX_LINES_PER_USER) {
          rejectRecord(
            n,
            id,
            'TOO_MANY_LINES_FOR_USER',
            `the user would have ${before + lines.length} lines; the format allows ${INBOUND_MAX_LINES_PER_USER}`,
          )
          continue
        }
        tracker!.add(id, lines.length)
      } else if (o.format === 'outbound') {
        lines = [outboundLine(id, added, removed)]
      } else {
        lines = [csvLine(id, added, removed, columns)]
      }
      const text = `${lines.join('\n')}\n`
      const size = Buffer.byteLength(text)
      const current = part as Part | null
      if (
        current === null ||
        (current.lines > 0 && (current.lines + lines.length > maxLines || current.bytes + size > maxBytes))
      ) {
        await newPart()
      }
      await part!.write(text, lines.length)
      result.lines += lines.length
    }
    // An empty inbound or outbound file is invalid; an empty CSV file still has its header.
    if (part === null && o.format === 'csv') await newPart()
    await (part as Part | null)?.close()

    const split = parts.length > 1
    const names = parts.map((_, i) => finalName(split ? i + 1 : null))
    await assertAbsent(o.dir, names)
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!
      const path = join(o.dir, names[i]!)
      await rename(p.tempPath, path)
      const file: WrittenFile = { name: names[i]!, path, lines: p.lines, bytes: p.bytes }
      result.files.push(file)
    }
    return result
  } catch (e) {
    for (const p of parts) p.destroy()
    await Promise.all(parts.map((p) => rm(p.tempPath, { force: true })))
    throw e
  }
}

function nameFor(o: Options, at: number, split: number | null): string {
  switch (o.format) {
    case 'inbound':
      return inboundName({
        dpid: o.dpid!,
        targetDataOwner: o.targetDataOwner ?? null,
        timestamp: Math.floor(at / 1000),
        mode: o.mode,
        split,
        gzip: o.gzip,
      })
    case 'outbound':
      return outboundName({ prefix: o.prefix!, syncMode: o.syncMode, timestampMs: at, split, gzip: o.gzip })
    case 'csv':
      return csvName({ base: o.baseName, split, gzip: o.gzip })
  }
}

async function assertAbsent(dir: string, names: string[]): Promise<void> {
  for (const name of names) {
    const path = join(dir, name)
    const exists = await access(path).then(
      () => true,
      () => false,
    )
    if (exists) {
      throw new AppError('BATCHFILE_OUTPUT_EXISTS', `${path} already exists; choose another folder or time`, {
        details: { file: path },
      })
    }
  }
}
