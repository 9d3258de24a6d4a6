import type { BatchRecord, ReadReport, WriteRecord } from '@ahub/batch-files'
import { BATCH_FORMATS, type BatchFormat } from '@ahub/batch-files/types'
import { AppError } from '@ahub/core'
import { type Command, Option } from 'commander'
import { printTable } from '../print'

interface FilesGlobals {
  json?: boolean
}

/**
 * `ahub files`: batch files for other systems (audience-manager inbound and outbound formats,
 * plain CSV), read and written by streaming, so files of any size fit (docs/batch-files.md).
 */
export function fileCommands(program: Command, globals: () => FilesGlobals): void {
  const files = program.command('files').description('read and write batch files for other systems')

  files
    .command('read <file>')
    .description('validate a batch file and summarise it: users, traits, rejected lines with reasons')
    .addOption(
      new Option('--format <format>', 'the format, when the file name does not say').choices(BATCH_FORMATS),
    )
    .option('--rejects <n>', 'rejected lines to list', '20')
    .option('--fail-on-reject', 'exit with code 3 when any line is rejected')
    .action(async (file: string, o: { format?: BatchFormat; rejects: string; failOnReject?: boolean }) => {
      // The readers and writers (and zod) load only when a file command runs, not for --help.
      const { summariseBatchFile } = await import('@ahub/batch-files')
      const report = await summariseBatchFile(file, {
        format: o.format,
        maxRejectSamples: Number(o.rejects),
      })
      const failed = o.failOnReject === true && report.rejected > 0
      if (globals().json) {
        if (!failed) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
      } else {
        printReadReport(report)
      }
      if (failed) {
        throw new AppError(
          'BATCHFILE_REJECTED_LINES',
          `${report.rejected} of ${report.lines} lines were rejected`,
          {
            details: { report },
          },
        )
      }
    })

  files
    .command('write')
    .description('write IDs (a CSV with id[,segments[,removed]]) as batch files into a folder')
    .addOption(new Option('--format <format>', 'output format').choices(BATCH_FORMATS).makeOptionMandatory())
    .requiredOption('--in <file>', 'CSV of IDs: header id, id,segments or id,segments,removed')
    .requiredOption('--out <dir>', 'folder to write into (created if missing)')
    .option('--segments <ids>', 'segments to add for every ID, comma-separated')
    .option('--remove <ids>', 'segments to remove for every ID, comma-separated')
    .option('--dpid <id>', 'inbound: data provider ID')
    .option('--target-owner <id>', 'inbound: target data owner ID')
    .addOption(
      new Option('--mode <mode>', 'inbound: sync or overwrite')
        .choices(['sync', 'overwrite'])
        .default('sync'),
    )
    .option('--prefix <prefix>', 'outbound: the name before _iter_/_full_, e.g. ftp_1234_20915')
    .addOption(
      new Option('--sync-mode <mode>', 'outbound: iter or full').choices(['iter', 'full']).default('iter'),
    )
    .option('--name <base>', 'CSV: file name before .csv', 'audience')
    .addOption(
      new Option('--columns <n>', 'CSV: 1 id, 2 id,segments, 3 id,segments,removed')
        .choices(['1', '2', '3'])
        .default('2'),
    )
    .option('--gzip', 'gzip the files')
    .option('--max-lines <n>', 'start a new file after this many lines')
    .option('--max-bytes <n>', 'start a new file before this many uncompressed bytes (inbound default 1 GB)')
    .option('--at <time>', 'timestamp of the file names: ms since the epoch or ISO time (default now)')
    .action(
      async (o: {
        format: BatchFormat
        in: string
        out: string
        segments?: string
        remove?: string
        dpid?: string
        targetOwner?: string
        mode: 'sync' | 'overwrite'
        prefix?: string
        syncMode: 'iter' | 'full'
        name: string
        columns: string
        gzip?: boolean
        maxLines?: string
        maxBytes?: string
        at?: string
      }) => {
        const { openBatchFile, writeBatchFiles } = await import('@ahub/batch-files')
        const input = await openBatchFile(o.in, { format: 'csv' })
        const add = list(o.segments)
        const remove = list(o.remove)
        const result = await writeBatchFiles(withSegments(input, add, remove), {
          dir: o.out,
          format: o.format,
          gzip: o.gzip === true,
          maxLinesPerFile: o.maxLines === undefined ? undefined : Number(o.maxLines),
          maxBytesPerFile: o.maxBytes === undefined ? undefined : Number(o.maxBytes),
          at: o.at === undefined ? undefined : parseTime(o.at),
          dpid: o.dpid,
          targetDataOwner: o.targetOwner,
          mode: o.mode,
          prefix: o.prefix,
          syncMode: o.syncMode,
          baseName: o.name,
          csvColumns: Number(o.columns) as 1 | 2 | 3,
        })
        if (globals().json) {
          process.stdout.write(`${JSON.stringify({ input: input.report, output: result }, null, 2)}\n`)
          return
        }
        printTable(result.files.map((f) => ({ file: f.path, lines: f.lines, bytes: f.bytes })))
        process.stdout.write(
          `${n(result.records)} IDs read, ${n(result.lines)} lines written in ${result.files.length} file(s)` +
            `${result.rejected > 0 ? `, ${n(result.rejected)} IDs refused` : ''}` +
            `${result.ignoredRemovals > 0 ? `, ${n(result.ignoredRemovals)} removals dropped (the target cannot hold them)` : ''}\n`,
        )
        for (const r of result.rejects.slice(0, 10)) {
          process.stdout.write(`  ID #${r.record} ${JSON.stringify(r.id)} ${r.code}: ${r.reason}\n`)
        }
        if (input.report.rejected > 0) {
          process.stdout.write(`${n(input.report.rejected)} input lines rejected; first ones:\n`)
          printRejects(input.report, 10)
        }
      },
    )
}

async function* withSegments(
  records: AsyncIterable<BatchRecord>,
  add: string[],
  remove: string[],
): AsyncGenerator<WriteRecord> {
  for await (const r of records) {
    yield {
      id: r.id,
      added: add.length === 0 ? r.added : [...new Set([...r.added, ...add])],
      removed: remove.length === 0 ? r.removed : [...new Set([...r.removed, ...remove])],
    }
  }
}

function list(value: string | undefined): string[] {
  return value === undefined
    ? []
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
}

function parseTime(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value)
  if (!Number.isFinite(ms)) {
    throw new AppError(
      'BATCHFILE_OPTIONS_INVALID',
      `--at "${value}" is neither milliseconds nor an ISO time`,
      {
        details: {
          issues: [{ path: ['at'], code: 'custom', message: 'milliseconds since the epoch or ISO time' }],
        },
      },
    )
  }
  return ms
}

const n = (x: number) => x.toLocaleString('en')

function printReadReport(r: ReadReport): void {
  const described = r.name === null ? '' : describeName(r.name)
  const name = described === '' ? '' : ` ${described}`
  process.stdout.write(`${r.file}: ${r.format}${r.compressed ? ' (gzip)' : ''}${name}\n`)
  printTable([
    {
      lines: r.lines,
      records: r.records,
      users: `${r.usersExact ? '' : '~'}${n(r.users)}`,
      added: r.traits.added,
      removed: r.traits.removed,
      signals: r.traits.signals,
      rejected: r.rejected,
      ragged: r.ragged,
    },
  ])
  if (r.traits.ignored > 0) process.stdout.write(`${n(r.traits.ignored)} removals ignored (overwrite file)\n`)
  if (r.traits.empty > 0) process.stdout.write(`${n(r.traits.empty)} empty traits skipped\n`)
  if (r.rejected > 0) {
    const byCode = Object.entries(r.rejectsByCode)
      .map(([code, count]) => `${code} ${n(count)}`)
      .join(', ')
    process.stdout.write(`rejected lines: ${byCode}; first ones:\n`)
    printRejects(r, r.rejects.length)
  }
}

function printRejects(r: ReadReport, max: number): void {
  for (const e of r.rejects.slice(0, max)) {
    process.stdout.write(`  line ${e.line} ${e.code}: ${e.reason}\n    ${JSON.stringify(e.raw)}\n`)
  }
}

function describeName(name: NonNullable<ReadReport['name']>): string {
  switch (name.format) {
    case 'inbound':
      return `DPID ${name.dpid}${name.targetDataOwner ? ` for ${name.targetDataOwner}` : ''}, ${name.mode}, ${new Date(name.timestamp * 1000).toISOString()}${name.split === null ? '' : `, part ${name.split}`}`
    case 'outbound':
      return `${name.prefix}, ${name.syncMode}, ${new Date(name.timestampMs).toISOString()}${name.split === null ? '' : `, part ${name.split}`}`
    case 'csv':
      return ''
  }
}
