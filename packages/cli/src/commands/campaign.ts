import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import type { CampaignRun } from '@ahub/client'
import { AppError } from '@ahub/core'
import type { Command } from 'commander'
import { printTable } from '../print'
import { type AccessGlobals, type AccessSession, output, withAccess } from './access-client'

/** How often the progress view asks for the run's status. */
const POLL_MS = 250
/** A run whose only open work is a Wait due later than this is left to the server. */
const LONG_WAIT_MS = 5_000

/** Reads a campaign definition from a JSON or YAML file. */
export async function readDefinition(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch(() => null)
  if (text === null) throw new AppError('NOT_FOUND', `No file "${path}"`)
  try {
    return /\.ya?ml$/i.test(path) ? (await import('yaml')).parse(text) : JSON.parse(text)
  } catch (e) {
    throw new AppError(
      'VALIDATION_FAILED',
      `"${path}" is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(e as Error).message}`,
    )
  }
}

/** `name=value` pairs as parameter values: JSON numbers, booleans and strings, else the text itself. */
export function parseParams(pairs: string[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new AppError('VALIDATION_FAILED', `--param takes name=value, not "${pair}"`)
    const raw = pair.slice(eq + 1)
    let value: string | number | boolean = raw
    try {
      const parsed = JSON.parse(raw) as unknown
      if (['string', 'number', 'boolean'].includes(typeof parsed)) value = parsed as string | number | boolean
    } catch {
      // plain text
    }
    out[pair.slice(0, eq)] = value
  }
  return out
}

function printRun(run: CampaignRun): void {
  process.stdout.write(
    `${run.id} (${run.mode}) ${run.state}${run.error ? `: ${run.error.code} ${run.error.message}` : ''}\n`,
  )
  printTable(run.tasks.map(taskRow))
}

function counts(t: CampaignRun['tasks'][number]): string {
  return Object.entries(t.outputs)
    .filter(([, o]) => o.table !== null)
    .map(([k, o]) => `${k}=${o.count}`)
    .join(' ')
}

function taskRow(t: CampaignRun['tasks'][number]) {
  return {
    activity: t.activity,
    type: t.type,
    status: t.status,
    attempts: t.attempts,
    outlets: counts(t),
    until: t.status === 'waiting' ? (t.notBefore ?? '') : '',
  }
}

/**
 * The live view of a run: on a terminal a table of every activity (status and counts) redrawn in
 * place; otherwise one plain line per activity change.
 */
export function progressView(stream: NodeJS.WriteStream = process.stdout) {
  const seen = new Map<string, string>()
  let drawn = 0
  let header = ''
  return {
    update(run: CampaignRun): void {
      if (stream.isTTY) {
        const lines = [
          `${run.id} (${run.mode}) ${run.state}`,
          ...run.tasks.map(
            (t) =>
              `  ${t.activity.padEnd(20)} ${t.type.padEnd(16)} ${t.status.padEnd(8)} ${counts(t)}${
                t.status === 'waiting' && t.notBefore ? ` until ${t.notBefore}` : ''
              }`,
          ),
        ]
        if (drawn > 0) stream.write(`\x1b[${drawn}A`)
        stream.write(lines.map((l) => `\x1b[2K${l}\n`).join(''))
        drawn = lines.length
        return
      }
      const top = `${run.id} ${run.state}`
      if (top !== header) stream.write(`run ${run.id} (${run.mode}): ${run.state}\n`)
      header = top
      for (const t of run.tasks) {
        const line = `${t.status}${counts(t) ? ` (${counts(t)})` : ''}`
        if (seen.get(t.activity) === line || (t.status === 'pending' && !seen.has(t.activity))) continue
        seen.set(t.activity, line)
        stream.write(`${t.activity}: ${line}\n`)
      }
    },
  }
}

/** Nothing more will happen soon: the run ended or paused, or only waits far ahead remain. */
function settled(run: CampaignRun, now: number): boolean {
  if (run.state !== 'running') return true
  if (run.tasks.some((t) => t.status === 'running')) return false
  const later = (t: CampaignRun['tasks'][number]) =>
    t.notBefore !== null && Date.parse(t.notBefore) - now > LONG_WAIT_MS
  return run.tasks.some((t) => t.status === 'waiting' && later(t))
}

/** Polls the run until it settles (twice in a row, to not stop between two activities), showing progress. */
async function follow(s: AccessSession, g: AccessGlobals, started: CampaignRun): Promise<CampaignRun> {
  const view = g.json ? undefined : progressView()
  let run = started
  let calm = 0
  for (;;) {
    view?.update(run)
    calm = settled(run, Date.now()) ? calm + 1 : 0
    if (calm >= 2 || (calm === 1 && run.state !== 'running')) break
    await new Promise((r) => setTimeout(r, POLL_MS))
    run = await s.call((c) => c.getRun(started.campaign, started.id))
  }
  return run
}

function done(g: AccessGlobals, run: CampaignRun): void {
  output(
    g,
    () => {
      if (!process.stdout.isTTY) printRun(run)
    },
    run,
  )
}

/** A campaign id, or the id of a draft created from a definition file. */
async function campaignOf(s: AccessSession, fileOrId: string): Promise<string> {
  if (!existsSync(fileOrId)) return fileOrId
  const definition = await readDefinition(fileOrId)
  return (await s.call((c) => c.createCampaign(definition))).id
}

/** A run id (`run_...`), or a campaign id standing for its latest run. */
async function runOf(s: AccessSession, idOrRun: string): Promise<CampaignRun> {
  if (idOrRun.startsWith('run_')) return s.call((c) => c.findRun(idOrRun))
  const { runs } = await s.call((c) => c.listRuns(idOrRun))
  if (!runs[0])
    throw new AppError('CAMPAIGN_RUN_NOT_FOUND', `Campaign "${idOrRun}" has not run yet`, {
      details: { campaign: idOrRun },
    })
  return runs[0]
}

interface RunFlags {
  at?: string
  param: string[]
  detach?: boolean
}

const collect = (v: string, acc: string[]) => [...acc, v]

/**
 * `ahub campaign validate|create|update|list|test|publish|start|signal|pause|resume|stop|restart|archive|status|logs|preview`
 * (docs/campaigns.md): over HTTP to the running server, or to one served in-process from the
 * data directory when none runs.
 */
export function campaignCommands(program: Command, globals: () => AccessGlobals): void {
  const campaign = program
    .command('campaign')
    .description('orchestrated campaigns: definitions and runs (docs/campaigns.md)')
  const run = (g: AccessGlobals, fn: (s: AccessSession) => Promise<void>) => withAccess(g, fn)

  campaign
    .command('validate <file>')
    .description('list every issue of a definition (JSON or YAML) without saving it')
    .action(async (file: string) => {
      const g = globals()
      const definition = await readDefinition(file)
      await run(g, async (s) => {
        const r = await s.call((c) => c.validateCampaign(definition))
        output(
          g,
          () =>
            r.issues.length
              ? printTable(
                  r.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })),
                )
              : process.stdout.write('valid\n'),
          r,
        )
        if (r.issues.length)
          throw new AppError('CAMPAIGN_INVALID', `${r.issues.length} problem(s)`, {
            details: { issues: r.issues },
          })
      })
    })

  campaign
    .command('create <file>')
    .description('save a definition as a draft')
    .action(async (file: string) => {
      const g = globals()
      const definition = await readDefinition(file)
      await run(g, async (s) => {
        const created = await s.call((c) => c.createCampaign(definition))
        output(
          g,
          () => process.stdout.write(`${created.id}  "${created.label}" (${created.state})\n`),
          created,
        )
      })
    })

  campaign
    .command('update <id> <file>')
    .description("replace a draft's definition")
    .action(async (id: string, file: string) => {
      const g = globals()
      const definition = await readDefinition(file)
      await run(g, async (s) => {
        const c2 = await s.call((c) => c.updateCampaign(id, definition))
        output(g, () => process.stdout.write(`${c2.id}  "${c2.label}" revision ${c2.revision}\n`), c2)
      })
    })

  campaign
    .command('list')
    .description('campaigns of the organisation with their state')
    .action(async () => {
      const g = globals()
      await run(g, async (s) => {
        const r = await s.call((c) => c.listCampaigns())
        output(
          g,
          () =>
            printTable(
              r.campaigns.map((x) => ({
                id: x.id,
                label: x.label,
                status: x.status,
                state: x.state,
                revision: x.revision,
                lastRun: x.lastRun ?? '',
              })),
            ),
          r,
        )
      })
    })

  const runCommand = (name: string, description: string, mode: 'test' | 'live') =>
    campaign
      .command(`${name} <fileOrId>`)
      .description(description)
      .option('--at <activity>', 'pause before this activity (a breakpoint)')
      .option('--param <name=value>', 'a parameter of the Signal (repeatable)', collect, [])
      .option('--detach', 'return once started instead of following the run')
      .action(async (fileOrId: string, o: RunFlags) => {
        const g = globals()
        const parameters = parseParams(o.param)
        // A draft made from a file cannot start live: refuse before making one (issue 17 item 14).
        if (mode === 'live' && existsSync(fileOrId))
          throw new AppError(
            'CAMPAIGN_BAD_STATE',
            `A live run needs a published campaign: publish the file first (ahub campaign publish ${fileOrId}), ` +
              `then start the id it prints; or run it in test mode (ahub campaign test ${fileOrId})`,
            { details: { file: fileOrId, status: 'draft' } },
          )
        await run(g, async (s) => {
          const id = await campaignOf(s, fileOrId)
          const started = await s.call((c) => c.startRun(id, { mode, breakpoint: o.at, parameters }))
          done(g, o.detach ? started : await follow(s, g, started))
        })
      })
  runCommand('test', 'run in test mode (nothing is saved) with a live progress view', 'test')
  runCommand('start', 'start a live run and follow it until it completes, pauses or waits', 'live')

  campaign
    .command('signal <id>')
    .description("start a run through the campaign's Signal activity with parameters")
    .option('--param <name=value>', 'a parameter value (repeatable)', collect, [])
    .option('--test', 'run in test mode')
    .option('--detach', 'return once started instead of following the run')
    .action(async (id: string, o: { param: string[]; test?: boolean; detach?: boolean }) => {
      const g = globals()
      const parameters = parseParams(o.param)
      await run(g, async (s) => {
        const started = await s.call((c) =>
          c.signalCampaign(id, { parameters, mode: o.test ? 'test' : 'live' }),
        )
        done(g, o.detach ? started : await follow(s, g, started))
      })
    })

  campaign
    .command('publish <fileOrId>')
    .description('turn a valid draft into a live, read-only campaign (a file is created first)')
    .action(async (fileOrId: string) => {
      const g = globals()
      await run(g, async (s) => {
        const id = await campaignOf(s, fileOrId)
        const p = await s.call((c) => c.publishCampaign(id))
        output(
          g,
          () =>
            process.stdout.write(
              `${p.id}  "${p.label}" published, revision ${p.revision}; start it with: ahub campaign start ${p.id}\n`,
            ),
          p,
        )
      })
    })

  campaign
    .command('archive <id>')
    .description('archive a campaign without an active run')
    .action(async (id: string) => {
      const g = globals()
      await run(g, async (s) => {
        const p = await s.call((c) => c.archiveCampaign(id))
        output(g, () => process.stdout.write(`${p.id}  "${p.label}" archived\n`), p)
      })
    })

  campaign
    .command('pause <idOrRun>')
    .description('pause a run (or the campaign latest run) now, or at an activity')
    .option('--at <activity>', 'pause before this activity (a breakpoint)')
    .action(async (idOrRun: string, o: { at?: string }) => {
      const g = globals()
      await run(g, async (s) => {
        const r0 = await runOf(s, idOrRun)
        const r = await s.call((c) => c.pauseRun(r0.campaign, r0.id, o.at))
        output(g, () => printRun(r), r)
      })
    })

  campaign
    .command('resume <idOrRun>')
    .description('resume a paused run and follow it')
    .option('--detach', 'return once resumed instead of following the run')
    .action(async (idOrRun: string, o: { detach?: boolean }) => {
      const g = globals()
      await run(g, async (s) => {
        const r0 = await runOf(s, idOrRun)
        const resumed = await s.call((c) => c.resumeRun(r0.campaign, r0.id))
        done(g, o.detach ? resumed : await follow(s, g, resumed))
      })
    })

  campaign
    .command('stop <idOrRun>')
    .description('stop a run for good')
    .action(async (idOrRun: string) => {
      const g = globals()
      await run(g, async (s) => {
        const r0 = await runOf(s, idOrRun)
        const r = await s.call((c) => c.stopRun(r0.campaign, r0.id))
        output(g, () => printRun(r), r)
      })
    })

  campaign
    .command('restart <id>')
    .description('stop the active run, if any, and start a new one; follow it')
    .option('--detach', 'return once started instead of following the run')
    .action(async (id: string, o: { detach?: boolean }) => {
      const g = globals()
      await run(g, async (s) => {
        const started = await s.call((c) => c.restartCampaign(id))
        done(g, o.detach ? started : await follow(s, g, started))
      })
    })

  campaign
    .command('status <idOrRun>')
    .description('a run (run_...), or a campaign (cmp_...) with its latest run and next launches')
    .action(async (idOrRun: string) => {
      const g = globals()
      await run(g, async (s) => {
        if (idOrRun.startsWith('run_')) {
          const r = await s.call((c) => c.findRun(idOrRun))
          output(g, () => printRun(r), r)
          return
        }
        const { campaign: camp, nextLaunches } = await s.call((c) => c.getCampaign(idOrRun))
        const [latest] = (await s.call((c) => c.listRuns(idOrRun))).runs
        output(
          g,
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
    .command('logs <idOrRun>')
    .description("a run's log (or the campaign latest run's), oldest first")
    .option('--after <seq>', 'only events after this one', '0')
    .action(async (idOrRun: string, o: { after: string }) => {
      const g = globals()
      await run(g, async (s) => {
        const r = await runOf(s, idOrRun)
        const { events } = await s.call((c) => c.runLogs(r.campaign, r.id, Number(o.after) || 0))
        output(
          g,
          () => printTable(events.map((e) => ({ ...e, activity: e.activity ?? '', code: e.code ?? '' }))),
          { events },
        )
      })
    })

  campaign
    .command('preview <idOrRun> <transition>')
    .description('schema and first rows of the work table a transition carries')
    .option('--limit <n>', 'rows to show', '20')
    .action(async (idOrRun: string, transition: string, o: { limit: string }) => {
      const g = globals()
      await run(g, async (s) => {
        const r = await runOf(s, idOrRun)
        const p = await s.call((c) =>
          c.previewTransition(r.campaign, r.id, transition, Number(o.limit) || 20),
        )
        output(
          g,
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
