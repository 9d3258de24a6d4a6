import { writeFileSync } from 'node:fs'
import { AppError, type BatchReport, isAppError } from '@ahub/core'
import { Command, CommanderError, Option } from 'commander'
import cliPackage from '../package.json' with { type: 'json' }
import { type Backend, connect } from './backend'
import { audienceCommands } from './commands/audience'
import { auditCommands } from './commands/audit'
import { campaignCommands } from './commands/campaign'
import { channelCommands } from './commands/channel'
import { fileCommands } from './commands/files'
import { hubCommands } from './commands/hub'
import { loginCommands } from './commands/login'
import { orgCommands } from './commands/org'
import { ruleCommands } from './commands/rule'
import { shareCommands } from './commands/share'
import { tokenCommands } from './commands/token'
import { userCommands } from './commands/user'
import { EXIT, exitCodeFor } from './exit-codes'
import { onDemand } from './on-demand'
import { printReport, printTable } from './print'
import { countProgress, ingestProgress } from './progress'

interface GlobalOptions {
  dataDir: string
  server?: string
  token?: string
  org: string
  json?: boolean
}

/** Runs the `ahub` command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('ahub')
    .description('Audience Hub: build audiences from your customer database and share them between systems')
    .addOption(
      new Option('--data-dir <dir>', 'data directory of the embedded engine')
        .env('AHUB_DATA_DIR')
        .default('./data'),
    )
    .addOption(
      new Option('--server <url>', 'talk to this server instead of opening the data directory').env(
        'AHUB_SERVER',
      ),
    )
    .addOption(new Option('--token <token>', 'API token for --server').env('AHUB_TOKEN'))
    .addOption(new Option('--org <id>', 'organisation').env('AHUB_ORG').default('demo'))
    .option('--json', 'print machine-readable JSON')
    .version(cliPackage.version, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })

  const globals = () => program.opts<GlobalOptions>()
  const out = (human: () => void, json: unknown) => {
    if (globals().json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
    else human()
  }
  const withBackend = async (fn: (b: Backend) => Promise<void>) => {
    const g = globals()
    const backend = await connect({ dataDir: g.dataDir, server: g.server, token: g.token, org: g.org })
    try {
      await fn(backend)
    } finally {
      await backend.close()
    }
  }
  let code: number = EXIT.ok

  program
    .command('start')
    .description('start the server on the embedded engine (loads the demo organisation on first start)')
    .option('--port <port>', 'port to listen on', process.env.PORT ?? '8080')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option(
      '--no-demo',
      'do not load the demo organisation; an empty data directory gets the organisation --org',
    )
    .option('--org-name <name>', 'with --no-demo: the name of the organisation created on first start')
    .option('--demo-profiles <n>', 'profiles in the demo organisation', '100000')
    .option('--demo-purchases <n>', 'purchases in the demo organisation', '1000000')
    .action(
      async (o: {
        port: string
        host: string
        demo: boolean
        demoProfiles: string
        demoPurchases: string
        orgName?: string
      }) => {
        const { ensureWebBuild, startServer } = await onDemand(() => import('@ahub/server'))
        ensureWebBuild((line) => process.stdout.write(`${line}\n`))
        const server = await startServer({
          dataDir: globals().dataDir,
          port: Number(o.port),
          host: o.host,
          demo: o.demo ? { profiles: Number(o.demoProfiles), purchases: Number(o.demoPurchases) } : false,
          firstOrg: o.demo ? undefined : { id: globals().org, name: o.orgName ?? globals().org },
        })
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.stdout.write('Stopping...\n')
            server.stop().then(resolve, resolve)
          }
          process.once('SIGINT', stop)
          process.once('SIGTERM', stop)
        })
      },
    )

  const demo = program.command('demo').description('demo data')
  demo
    .command('generate')
    .description('write a deterministic demo schema and CSV files')
    .option('--profiles <n>', 'number of profiles', '100000')
    .option('--purchases <n>', 'number of purchases', '1000000')
    .option('--seed <n>', 'random seed', '42')
    .option('--as-of <date>', 'end of the two years of purchases (default: today)')
    .requiredOption('--out <dir>', 'output folder')
    .action(async (o: { profiles: string; purchases: string; seed: string; asOf?: string; out: string }) => {
      const profiles = positiveInt(o.profiles, '--profiles')
      const purchases = positiveInt(o.purchases, '--purchases', true)
      const asOf = o.asOf ? new Date(o.asOf) : undefined
      if (asOf && Number.isNaN(asOf.getTime()))
        throw new AppError('VALIDATION_FAILED', `--as-of "${o.asOf}" is not a date`)
      const { generateDemo } = await onDemand(() => import('@ahub/testing'))
      const bar = countProgress(!globals().json, profiles + purchases)
      let done = 0
      const seenFiles = new Map<string, number>()
      const result = await generateDemo({
        profiles,
        purchases,
        seed: positiveInt(o.seed, '--seed', true),
        out: o.out,
        asOf,
        onProgress: (p) => {
          seenFiles.set(p.file, p.rows)
          done = [...seenFiles.values()].reduce((a, b) => a + b, 0)
          bar.update(Math.min(done, profiles + purchases), p.file)
        },
      })
      bar.stop()
      out(() => {
        printTable(result.files.map((f) => ({ file: f.path, rows: f.rows, bytes: f.bytes })))
        process.stdout.write(`schema: ${result.schemaPath}\n`)
      }, result)
    })

  const schema = program.command('schema').description('table definitions')
  schema
    .command('apply <file>')
    .description('create or change tables from a schema file (YAML or JSON)')
    .option('--allow-destructive', 'allow removing or retyping fields (an explicit migration)')
    .option('--dry-run', 'validate and show the changes without applying them')
    .action(async (file: string, o: { allowDestructive?: boolean; dryRun?: boolean }) =>
      withBackend(async (b) => {
        const r = await b.applySchema(file, o)
        out(() => {
          for (const t of r.created) process.stdout.write(`created   ${t}\n`)
          for (const u of r.updated) process.stdout.write(`updated   ${u.table} ${JSON.stringify(u.diff)}\n`)
          for (const t of r.unchanged) process.stdout.write(`unchanged ${t}\n`)
          if (o.dryRun) process.stdout.write('(dry run: nothing applied)\n')
        }, r)
      }),
    )
  schema
    .command('infer <file>')
    .description('guess a table definition from a CSV, NDJSON or Parquet file')
    .requiredOption('--table <name>', 'name of the table')
    .option('--delimiter <c>', 'CSV delimiter')
    .option('--out <file>', 'write the schema file here')
    .action(async (file: string, o: { table: string; delimiter?: string; out?: string }) =>
      withBackend(async (b) => {
        const r = await b.inferSchema(file, o.table, {
          csv: o.delimiter ? { delimiter: o.delimiter } : undefined,
        })
        const { stringify } = await import('yaml')
        const yaml = stringify(r.schema)
        if (o.out) writeFileSync(o.out, yaml)
        out(() => {
          if (!o.out) process.stdout.write(yaml)
          for (const n of r.notes) process.stderr.write(`note: ${n}\n`)
          process.stderr.write(
            `(${r.sampledRows} rows sampled; review, then: ahub schema apply ${o.out ?? 'FILE'})\n`,
          )
        }, r)
      }),
    )
  schema
    .command('list')
    .description('list tables')
    .action(async () =>
      withBackend(async (b) => {
        const tables = await b.listSchemas()
        out(
          () =>
            printTable(
              tables.map((t) => ({
                table: t.name,
                fields: Object.keys(t.definition.fields).length,
                key: t.definition.primaryKey.join(','),
                revision: t.revision,
                updated: t.updatedAt,
              })),
            ),
          tables,
        )
      }),
    )
  schema
    .command('show <table>')
    .description('show a table definition as YAML')
    .action(async (table: string) =>
      withBackend(async (b) => {
        const t = await b.getSchema(table)
        const { stringify } = await import('yaml')
        out(() => process.stdout.write(stringify({ tables: { [t.name]: t.definition } })), t)
      }),
    )

  program
    .command('ingest <dataset> <file>')
    .description('load a CSV, NDJSON or Parquet file (optionally .gz) into a dataset as one atomic batch')
    .option('--reject-file <file>', 'write rejected rows here (line, column, code, reason, raw)')
    .addOption(
      new Option('--format <format>', 'file format (default: from the extension)').choices([
        'csv',
        'ndjson',
        'parquet',
      ]),
    )
    .option('--delimiter <c>', 'CSV delimiter')
    .option('--quote <c>', 'CSV quote character')
    .option('--escape <c>', 'CSV escape character')
    .addOption(new Option('--encoding <e>', 'file encoding').choices(['utf-8', 'utf-16', 'latin-1']))
    .option('--no-header', 'the CSV file has no header row (columns in schema order)')
    .option('--fail-on-reject', 'exit with code 3 when any row is rejected')
    .action(
      async (
        dataset: string,
        file: string,
        o: {
          rejectFile?: string
          format?: 'csv' | 'ndjson' | 'parquet'
          delimiter?: string
          quote?: string
          escape?: string
          encoding?: 'utf-8' | 'utf-16' | 'latin-1'
          header: boolean
          failOnReject?: boolean
        },
      ) =>
        withBackend(async (b) => {
          const progress = ingestProgress(!globals().json)
          let report: BatchReport
          try {
            report = await b.ingest(dataset, file, {
              format: o.format,
              csv: {
                delimiter: o.delimiter,
                quote: o.quote,
                escape: o.escape,
                encoding: o.encoding,
                header: o.header,
              },
              rejectFile: o.rejectFile,
              onProgress: progress.onProgress,
              onUpload: progress.onUpload,
            })
          } finally {
            progress.stop()
          }
          out(() => printReport(report), report)
          if (o.failOnReject && report.rejected > 0) code = EXIT.input
        }),
    )

  const dataset = program.command('dataset').description('datasets (the rows of each table)')
  dataset
    .command('list')
    .description('list datasets with row counts')
    .action(async () =>
      withBackend(async (b) => {
        const list = await b.listDatasets()
        out(
          () =>
            printTable(
              list.map((d) => ({
                dataset: d.table,
                rows: d.rows,
                revision: d.revision,
                'last batch': d.lastBatch?.id ?? '-',
                status: d.lastBatch?.status ?? '-',
              })),
            ),
          list,
        )
      }),
    )
  dataset
    .command('show <dataset>')
    .description('show a dataset: rows, identity links, a sample')
    .option('--sample <n>', 'rows to show', '5')
    .action(async (name: string, o: { sample: string }) =>
      withBackend(async (b) => {
        const d = await b.showDataset(name, positiveInt(o.sample, '--sample', true))
        out(() => {
          process.stdout.write(`${d.table}: ${d.rows.toLocaleString('en')} rows, revision ${d.revision}\n`)
          if (d.identityLinks.length > 0) {
            process.stdout.write('identity links:\n')
            printTable(d.identityLinks)
            process.stdout.write(`flagged identities (linked to too many profiles): ${d.flaggedIdentities}\n`)
          }
          if (d.sample.length > 0) {
            process.stdout.write('sample:\n')
            printTable(d.sample)
          }
        }, d)
      }),
    )

  const batch = program.command('batch').description('ingestion batches')
  batch
    .command('list')
    .option('--dataset <name>', 'only this dataset')
    .action(async (o: { dataset?: string }) =>
      withBackend(async (b) => {
        const list = await b.listBatches(o.dataset)
        out(
          () =>
            printTable(
              list.map((x) => ({
                id: x.id,
                dataset: x.table,
                file: x.file,
                status: x.status,
                started: x.startedAt,
              })),
            ),
          list,
        )
      }),
    )
  batch.command('show <id>').action(async (id: string) =>
    withBackend(async (b) => {
      const x = await b.getBatch(id)
      out(() => {
        if (x.report && 'batchId' in (x.report as object)) printReport(x.report as BatchReport)
        else process.stdout.write(`${JSON.stringify(x, null, 2)}\n`)
      }, x)
    }),
  )

  loginCommands(program, globals)
  orgCommands(program, globals)
  userCommands(program, globals)
  tokenCommands(program, globals)
  auditCommands(program, globals)
  ruleCommands(program, globals)
  audienceCommands(program, globals)
  campaignCommands(program, globals)
  channelCommands(program, globals)
  fileCommands(program, globals)
  hubCommands(program, globals)
  shareCommands(program, globals)

  try {
    await program.parseAsync(argv)
    return code
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage
    const error = isAppError(e) ? e : new AppError('INTERNAL', (e as Error)?.message ?? String(e))
    if (globals().json) process.stdout.write(`${JSON.stringify({ error: error.toJSON() }, null, 2)}\n`)
    else {
      process.stderr.write(`error ${error.code}: ${error.message}\n`)
      const issues = error.details?.issues
      if (Array.isArray(issues)) {
        for (const i of issues as { path?: unknown[]; message: string }[]) {
          process.stderr.write(`  - ${(i.path ?? []).join('.') || '(root)'}: ${i.message}\n`)
        }
      }
    }
    return exitCodeFor(error.code)
  }
}

function positiveInt(value: string, flag: string, allowZero = false): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${flag} must be a whole number${allowZero ? '' : ' above 0'}, not "${value}"`,
    )
  }
  return n
}
