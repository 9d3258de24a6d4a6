import { readFileSync, writeFileSync } from 'node:fs'
import { AppError, type SyncJob } from '@ahub/core'
import type { Command } from 'commander'
import { printTable } from '../print'
import { type AccessGlobals, withAccess } from './access-client'

export type ShareGlobals = AccessGlobals

function print(g: ShareGlobals, human: () => void, json: unknown): void {
  if (g.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
  else human()
}

function printJob(job: SyncJob): void {
  const c = job.counts
  const counts =
    job.direction === 'export'
      ? `members: received ${c.received}, unmapped ${c.unmapped}${c.withoutConsent ? `, without consent ${c.withoutConsent}` : ''}; IDs exported ${c.exported}`
      : `IDs: received ${c.received}, matched ${c.matched}, unmatched ${c.unmatched}, invalid ${c.invalid}, ambiguous ${c.ambiguous}; members ${c.members}`
  process.stdout.write(
    `${job.id} ${job.direction} ${job.state}${job.error ? ` ${job.error.code}: ${job.error.message}` : ''}\n` +
      `  shared audience ${job.sharedAudience ?? '-'} v${job.sharedVersion ?? '-'}, audience ${job.audience ?? '-'}\n` +
      `  ${counts}\n` +
      `  ${job.attempts} attempt(s), ${job.durationMs ?? '-'} ms${job.latencyMs !== null ? `, ${job.latencyMs} ms after publish` : ''}\n`,
  )
}

/** `ahub share ...`: data sources, shared audiences, export, import, sync jobs and their reports. */
export function shareCommands(program: Command, globals: () => ShareGlobals): void {
  const share = program
    .command('share')
    .description(
      "Share audiences through the hub: export, import, sync jobs and match reports (the server's hub: embedded, or AHUB_HUB_URL + AHUB_HUB_TOKEN)",
    )

  share
    .command('sources')
    .description('List the data sources this org can use, or create one from a JSON file')
    .option(
      '--create <file>',
      'JSON data source: label, alias, idType, namespace, channel, protection, priority',
    )
    .action(async (o: { create?: string }) => {
      const g = globals()
      await withAccess(g, async (s) => {
        if (o.create) {
          const input = JSON.parse(readFileSync(o.create, 'utf8'))
          const ds = await s.call((c) => c.createDataSource(input))
          print(g, () => process.stdout.write(`data source ${ds.id} (${ds.alias}) created\n`), ds)
          return
        }
        const list = (await s.call((c) => c.listDataSources())).dataSources
        print(
          g,
          () =>
            printTable(
              list.map((d) => ({
                id: d.id,
                alias: d.alias,
                type: d.idType,
                namespace: d.namespace,
                channel: d.channel,
                protection: d.protection.kind + (d.protection.bits ? `-${d.protection.bits}` : ''),
                owner: d.owner,
              })),
            ),
          { dataSources: list },
        )
      })
    })

  share
    .command('audiences')
    .description('List the shared audiences this org owns or that are shared with it')
    .action(async () => {
      const g = globals()
      await withAccess(g, async (s) => {
        const list = (await s.call((c) => c.listSharedAudiences())).sharedAudiences
        print(
          g,
          () =>
            printTable(
              list.map((a) => ({
                id: a.id,
                name: a.name,
                owner: a.owner,
                dataSource: a.dataSource,
                version: a.version,
                size: a.size,
                sharedWith: a.sharedWith.join(','),
              })),
            ),
          { sharedAudiences: list },
        )
      })
    })

  share
    .command('export <audience>')
    .description('Export an audience to a shared audience (existing with --to, or new with --name)')
    .requiredOption('--data-source <id>', 'data source whose namespace and protection the IDs follow')
    .option('--to <sharedAudience>', 'an existing shared audience of this org')
    .option('--name <name>', 'create a shared audience with this name')
    .option('--share-with <orgs>', 'orgs the new shared audience is shared with, comma-separated', '')
    .option('--mirror', 'also remove IDs that left the audience (default: add only)')
    .option('--consent-field <field>', 'boolean field: members where it is not true are left out')
    .action(
      async (
        audience: string,
        o: {
          dataSource: string
          to?: string
          name?: string
          shareWith: string
          mirror?: boolean
          consentField?: string
        },
      ) => {
        const g = globals()
        if (!o.to === !o.name)
          throw new AppError('VALIDATION_FAILED', 'Give either --to <sharedAudience> or --name <name>', {
            details: { options: ['to', 'name'] },
          })
        await withAccess(g, async (s) => {
          const job = await s.call((c) =>
            c.shareExport({
              audience,
              dataSource: o.dataSource,
              target: o.to
                ? { sharedAudience: o.to }
                : { newName: o.name!, sharedWith: o.shareWith.split(',').filter(Boolean) },
              mode: o.mirror ? 'mirror' : 'add',
              consentField: o.consentField,
            }),
          )
          print(g, () => printJob(job), job)
        })
      },
    )

  share
    .command('import <sharedAudience>')
    .description('Import a shared audience into a new audience (type shared, or file for encrypted contacts)')
    .requiredOption('--label <label>', 'label of the new audience')
    .option(
      '--force-reconciliation',
      'reconcile encrypted e-mails / phones with profiles instead of a file audience',
    )
    .option('--dimension <table>', 'table the IDs are reconciled with (default profiles)')
    .action(
      async (
        sharedAudience: string,
        o: { label: string; forceReconciliation?: boolean; dimension?: string },
      ) => {
        const g = globals()
        await withAccess(g, async (s) => {
          const r = await s.call((c) =>
            c.shareImport({
              sharedAudience,
              label: o.label,
              forceReconciliation: o.forceReconciliation ?? false,
              dimension: o.dimension,
            }),
          )
          print(
            g,
            () => {
              process.stdout.write(
                `audience ${r.audience.id} (${r.audience.type}) "${r.audience.label}": ${r.audience.size} members\n`,
              )
              printJob(r.job)
            },
            r,
          )
        })
      },
    )

  share
    .command('sync <audience>')
    .description('Re-import the current version of the shared audience feeding an audience')
    .action(async (audience: string) => {
      const g = globals()
      await withAccess(g, async (s) => {
        const job = await s.call((c) => c.syncImport(audience))
        print(g, () => printJob(job), job)
      })
    })

  share
    .command('jobs')
    .description('List sync jobs, newest first')
    .option('--audience <id>', 'only jobs of this audience')
    .option('--limit <n>', 'at most this many', '50')
    .action(async (o: { audience?: string; limit: string }) => {
      const g = globals()
      await withAccess(g, async (s) => {
        const { jobs } = await s.call((c) => c.listSyncJobs({ audience: o.audience, limit: Number(o.limit) }))
        print(
          g,
          () =>
            printTable(
              jobs.map((j) => ({
                id: j.id,
                direction: j.direction,
                state: j.state,
                sharedAudience: j.sharedAudience,
                version: j.sharedVersion,
                received: j.counts.received,
                exported: j.counts.exported,
                matched: j.counts.matched,
                unmatched: j.counts.unmatched,
                invalid: j.counts.invalid,
                ambiguous: j.counts.ambiguous,
                ms: j.durationMs,
                error: j.error?.code ?? '',
              })),
            ),
          { jobs },
        )
      })
    })

  share
    .command('report <job>')
    .description('Print the report of a job (CSV: id, outcome, reason), or copy it to --out')
    .option('--out <file>', 'write the CSV to this file')
    .action(async (job: string, o: { out?: string }) => {
      const g = globals()
      await withAccess(g, async (s) => {
        const csv = await s.call((c) => c.syncJobReport(job))
        if (o.out) {
          writeFileSync(o.out, csv)
          print(g, () => process.stdout.write(`report written to ${o.out}\n`), { job, file: o.out })
        } else process.stdout.write(csv)
      })
    })
}
