import { copyFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError, type SyncJob } from '@ahub/core'
import { HttpHubClient, type HubClient, HubService, InProcessHubClient } from '@ahub/hub'
import { migrateSharing, SharingService } from '@ahub/sharing'
import { Store } from '@ahub/store'
import { type Command, Option } from 'commander'
import { printTable } from '../print'

export interface ShareGlobals {
  dataDir: string
  org: string
  json?: boolean
}

interface ShareOptions {
  hub?: string
  hubToken?: string
}

/**
 * Opens the data directory and a hub: the one at `--hub` with `--hub-token` (`ahub hub serve`), or
 * else the embedded hub in `<data-dir>/hub`. Syncs started by the command end before it returns.
 */
async function withSharing(
  g: ShareGlobals,
  o: ShareOptions,
  fn: (sharing: SharingService) => Promise<void>,
): Promise<void> {
  const store = await Store.open({ dataDir: g.dataDir })
  let hubService: HubService | undefined
  try {
    await migrateSharing(store.engine)
    let client: HubClient
    if (o.hub) {
      if (!o.hubToken)
        throw new AppError('VALIDATION_FAILED', '--hub needs --hub-token (or AHUB_HUB_TOKEN)', {
          details: { option: 'hub-token' },
        })
      client = await HttpHubClient.connect({ url: o.hub, token: o.hubToken, org: g.org })
    } else {
      hubService = await HubService.open({ dataDir: join(store.dataDir, 'hub') })
      client = new InProcessHubClient(hubService, g.org)
    }
    const sharing = new SharingService(store, { hub: () => client })
    await fn(sharing)
  } finally {
    await store.close()
    await hubService?.close()
  }
}

function print(g: ShareGlobals, human: () => void, json: unknown): void {
  if (g.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
  else human()
}

function printJob(job: SyncJob): void {
  const c = job.counts
  const counts =
    job.direction === 'export'
      ? `received ${c.received}, exported ${c.exported}, unmapped ${c.unmapped}${c.withoutConsent ? `, without consent ${c.withoutConsent}` : ''}`
      : `received ${c.received}, matched ${c.matched}, unmatched ${c.unmatched}, invalid ${c.invalid}, ambiguous ${c.ambiguous}`
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
    .description('Share audiences through the hub: export, import, sync jobs and match reports')
    .addOption(
      new Option('--hub <url>', 'hub URL (default: the embedded hub of the data directory)').env(
        'AHUB_HUB_URL',
      ),
    )
    .addOption(new Option('--hub-token <token>', 'hub token for --hub').env('AHUB_HUB_TOKEN'))
  const hubOpts = () => share.opts<ShareOptions>()

  share
    .command('sources')
    .description('List the data sources this org can use, or create one from a JSON file')
    .option(
      '--create <file>',
      'JSON data source: label, alias, idType, namespace, channel, protection, priority',
    )
    .action(async (o: { create?: string }) => {
      const g = globals()
      await withSharing(g, hubOpts(), async (sharing) => {
        if (o.create) {
          const input = JSON.parse(readFileSync(o.create, 'utf8'))
          const ds = await sharing.createDataSource(g.org, input)
          print(g, () => process.stdout.write(`data source ${ds.id} (${ds.alias}) created\n`), ds)
          return
        }
        const list = await sharing.dataSources(g.org)
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
      await withSharing(g, hubOpts(), async (sharing) => {
        const list = await sharing.sharedAudiences(g.org)
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
        await withSharing(g, hubOpts(), async (sharing) => {
          const job = await sharing.exportAudience(g.org, {
            audience,
            dataSource: o.dataSource,
            target: o.to
              ? { sharedAudience: o.to }
              : { newName: o.name!, sharedWith: o.shareWith.split(',').filter(Boolean) },
            mode: o.mirror ? 'mirror' : 'add',
            consentField: o.consentField,
          })
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
        await withSharing(g, hubOpts(), async (sharing) => {
          const r = await sharing.importShared(g.org, {
            sharedAudience,
            label: o.label,
            forceReconciliation: o.forceReconciliation ?? false,
            dimension: o.dimension,
          })
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
      await withSharing(g, hubOpts(), async (sharing) => {
        const job = await sharing.sync(g.org, audience)
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
      await withSharing(g, hubOpts(), async (sharing) => {
        const jobs = await sharing.listJobs(g.org, { audience: o.audience, limit: Number(o.limit) })
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
      await withSharing(g, hubOpts(), async (sharing) => {
        const path = await sharing.reportPath(g.org, job)
        if (o.out) {
          copyFileSync(path, o.out)
          print(g, () => process.stdout.write(`report written to ${o.out}\n`), { job, file: o.out })
        } else process.stdout.write(readFileSync(path, 'utf8'))
      })
    })
}
