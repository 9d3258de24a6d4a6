import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { CampaignService, migrateCampaigns } from '@ahub/campaigns'
import { AppError, type CampaignRun } from '@ahub/core'
import { Store } from '@ahub/store'
import type { Command } from 'commander'
import { parse as parseYaml } from 'yaml'
import { printTable } from '../print'

export interface CampaignGlobals {
  dataDir: string
  org: string
  json?: boolean
}

/** Reads a campaign definition from a JSON or YAML file. */
export async function readDefinition(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch(() => null)
  if (text === null) throw new AppError('NOT_FOUND', `No file "${path}"`)
  try {
    return /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text)
  } catch (e) {
    throw new AppError(
      'VALIDATION_FAILED',
      `"${path}" is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(e as Error).message}`,
    )
  }
}

interface Ctx {
  g: CampaignGlobals
  campaigns: CampaignService
}

/** Opens the data directory with the campaign tables; the runs a command starts finish (or wait) before it returns. */
async function withCampaigns(g: CampaignGlobals, fn: (c: Ctx) => Promise<void>): Promise<void> {
  const store = await Store.open({ dataDir: g.dataDir })
  const campaigns = new CampaignService(store.engine, store.catalog, store.audiences)
  try {
    await migrateCampaigns(store.engine)
    if (!g.json)
      campaigns.onEvent((_run, e) => {
        const mark = e.level === 'error' ? '✗' : e.level === 'warn' ? '!' : '·'
        process.stdout.write(`${mark} ${e.activity ?? 'run'}: ${e.message}\n`)
      })
    await fn({ g, campaigns })
  } finally {
    await campaigns.close()
    await store.close()
  }
}

function print(g: CampaignGlobals, human: () => void, json: unknown): void {
  if (g.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
  else human()
}

function printRun(run: CampaignRun): void {
  process.stdout.write(
    `${run.id} (${run.mode}) ${run.state}${run.error ? `: ${run.error.code} ${run.error.message}` : ''}\n`,
  )
  printTable(
    run.tasks.map((t) => ({
      activity: t.activity,
      type: t.type,
      status: t.status,
      attempts: t.attempts,
      outlets: Object.entries(t.outputs)
        .filter(([, o]) => o.table !== null)
        .map(([k, o]) => `${k}=${o.count}`)
        .join(' '),
      until: t.status === 'waiting' ? (t.notBefore ?? '') : '',
    })),
  )
}

/** A campaign id, or the id of a draft created from a definition file. */
async function campaignOf(c: Ctx, fileOrId: string): Promise<string> {
  if (!existsSync(fileOrId)) return fileOrId
  return (await c.campaigns.create(c.g.org, await readDefinition(fileOrId))).id
}

async function runAndWait(c: Ctx, started: CampaignRun): Promise<void> {
  await c.campaigns.settled(started.id)
  const run = await c.campaigns.status(c.g.org, started.id)
  print(c.g, () => printRun(run), run)
}

/** `ahub campaign validate|create|test|publish|start|pause|resume|stop|status|logs|preview` (docs/campaigns.md). */
export function campaignCommands(program: Command, globals: () => CampaignGlobals): void {
  const campaign = program
    .command('campaign')
    .description('orchestrated campaigns: definitions and runs (docs/campaigns.md)')

  campaign
    .command('validate <file>')
    .description('list every issue of a definition (JSON or YAML) without saving it')
    .action(async (file: string) => {
      await withCampaigns(globals(), async (c) => {
        const { issues } = await c.campaigns.validate(c.g.org, await readDefinition(file))
        print(
          c.g,
          () =>
            issues.length
              ? printTable(issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })))
              : process.stdout.write('valid\n'),
          {
            valid: issues.length === 0,
            issues,
          },
        )
        if (issues.length)
          throw new AppError('CAMPAIGN_INVALID', `${issues.length} problem(s)`, { details: { issues } })
      })
    })

  campaign
    .command('create <file>')
    .description('save a definition as a draft')
    .action(async (file: string) => {
      await withCampaigns(globals(), async (c) => {
        const created = await c.campaigns.create(c.g.org, await readDefinition(file))
        print(
          c.g,
          () => process.stdout.write(`${created.id}  "${created.label}" (${created.state})\n`),
          created,
        )
      })
    })

  campaign
    .command('test <fileOrId>')
    .description('run in test mode (nothing is saved) and wait for the result')
    .option('--at <activity>', 'pause before this activity')
    .action(async (fileOrId: string, o: { at?: string }) => {
      await withCampaigns(globals(), async (c) => {
        const id = await campaignOf(c, fileOrId)
        await runAndWait(c, await c.campaigns.start(c.g.org, id, { mode: 'test', breakpoint: o.at }))
      })
    })

  campaign
    .command('publish <id>')
    .description('turn a valid draft into a live, read-only campaign')
    .action(async (id: string) => {
      await withCampaigns(globals(), async (c) => {
        const p = await c.campaigns.publish(c.g.org, id)
        print(c.g, () => process.stdout.write(`${p.id}  "${p.label}" published (${p.state})\n`), p)
      })
    })

  campaign
    .command('start <id>')
    .description('start a live run and wait until it completes, pauses or waits')
    .option('--at <activity>', 'pause before this activity')
    .action(async (id: string, o: { at?: string }) => {
      await withCampaigns(globals(), async (c) => {
        await runAndWait(c, await c.campaigns.start(c.g.org, id, { breakpoint: o.at }))
      })
    })

  campaign
    .command('pause <run>')
    .description('pause a run now, or at an activity')
    .option('--at <activity>', 'pause before this activity (a breakpoint)')
    .action(async (run: string, o: { at?: string }) => {
      await withCampaigns(globals(), async (c) => {
        const r = await c.campaigns.pause(c.g.org, run, o.at)
        print(c.g, () => printRun(r), r)
      })
    })

  campaign
    .command('resume <run>')
    .description('resume a paused run and wait')
    .action(async (run: string) => {
      await withCampaigns(globals(), async (c) => {
        await runAndWait(c, await c.campaigns.resume(c.g.org, run))
      })
    })

  campaign
    .command('stop <run>')
    .description('stop a run for good')
    .action(async (run: string) => {
      await withCampaigns(globals(), async (c) => {
        const r = await c.campaigns.stop(c.g.org, run)
        print(c.g, () => printRun(r), r)
      })
    })

  campaign
    .command('status <idOrRun>')
    .description('a run (run_...) or a campaign (cmp_...) with its latest run and next launches')
    .action(async (idOrRun: string) => {
      await withCampaigns(globals(), async (c) => {
        if (idOrRun.startsWith('run_')) {
          const r = await c.campaigns.status(c.g.org, idOrRun)
          print(c.g, () => printRun(r), r)
          return
        }
        const camp = await c.campaigns.get(c.g.org, idOrRun)
        const [latest] = await c.campaigns.runs(c.g.org, idOrRun)
        const nextLaunches = await c.campaigns.nextLaunches(c.g.org, idOrRun)
        print(
          c.g,
          () => {
            process.stdout.write(
              `${camp.id}  "${camp.label}" ${camp.status}, ${camp.state}, revision ${camp.revision}\n`,
            )
            if (nextLaunches.length) process.stdout.write(`next launches: ${nextLaunches.join(', ')}\n`)
            if (latest) printRun(latest)
          },
          { campaign: camp, latestRun: latest ?? null, nextLaunches },
        )
      })
    })

  campaign
    .command('logs <run>')
    .description("a run's log, oldest first")
    .action(async (run: string) => {
      await withCampaigns(globals(), async (c) => {
        const events = await c.campaigns.logs(c.g.org, run)
        print(
          c.g,
          () => printTable(events.map((e) => ({ ...e, activity: e.activity ?? '', code: e.code ?? '' }))),
          { events },
        )
      })
    })

  campaign
    .command('preview <run> <transition>')
    .description('schema and first rows of the work table a transition carries')
    .option('--limit <n>', 'rows to show', '20')
    .action(async (run: string, transition: string, o: { limit: string }) => {
      await withCampaigns(globals(), async (c) => {
        const p = await c.campaigns.preview(c.g.org, run, transition, Number(o.limit) || 20)
        print(
          c.g,
          () => {
            process.stdout.write(
              `${transition}: ${p.count} members; ${p.columns.map((x) => `${x.name} ${x.type}`).join(', ')}\n`,
            )
            printTable(p.rows)
          },
          p,
        )
      })
    })
}
