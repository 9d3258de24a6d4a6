import { createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import { AppError, type AudienceSaveResult, type CreateAudience } from '@ahub/core'
import type { Command } from 'commander'
import { printTable } from '../print'
import { type AccessGlobals, output, withAccess } from './access-client'

interface CreateOptions {
  rule?: string
  file?: string
  list?: string
  namespace?: 'email' | 'phone'
  country?: string
  dimension?: string
  expiryDays?: string
}

function int(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0)
    throw new AppError('VALIDATION_FAILED', `${flag} must be a whole number, not "${value}"`)
  return n
}

async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch(() => null)
  if (text === null) throw new AppError('NOT_FOUND', `No file "${path}"`)
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new AppError('VALIDATION_FAILED', `"${path}" is not JSON: ${(e as Error).message}`)
  }
}

function printSaved(r: AudienceSaveResult): void {
  const v = r.version
  process.stdout.write(
    `${r.audience.id}  "${r.audience.label}" (${r.audience.type}) version ${v.version}: ${v.size} members, ${v.entered} entered, ${v.exited} exited\n`,
  )
  if (r.rejected?.length) {
    process.stdout.write(`${r.rejected.length} invalid line(s):\n`)
    printTable(r.rejected.map((x) => ({ line: x.line, value: x.value, reason: x.reason })))
  }
}

/** `ahub audience create|list|show|members|changes|refresh|export|delete|overlap` (docs/audiences.md). */
export function audienceCommands(program: Command, globals: () => AccessGlobals): void {
  const audience = program
    .command('audience')
    .description('saved audiences, their versions and exports (docs/audiences.md)')

  audience
    .command('create <label>')
    .description('create a query (--rule), list (--list) or file (--file --namespace) audience')
    .option('--rule <file>', 'JSON rule file: a query audience')
    .option('--list <file>', 'file of member keys, one per line: a list audience')
    .option('--file <file>', 'file of e-mails or phones, one per line: a file audience')
    .option('--namespace <ns>', 'email or phone (with --file)')
    .option('--country <code>', 'country of phones without an international prefix (with --file)')
    .option('--dimension <table>', 'table the members are rows of (default: profiles)')
    .option('--expiry-days <n>', 'days after which the audience expires')
    .action(async (label: string, o: CreateOptions) => {
      const expiryDays = int(o.expiryDays, '--expiry-days')
      const chosen = [o.rule, o.list, o.file].filter((x) => x !== undefined).length
      if (chosen !== 1)
        throw new AppError('VALIDATION_FAILED', 'Give exactly one of --rule, --list or --file')
      await withAccess(globals(), async (s) => {
        let result: AudienceSaveResult
        if (o.file) {
          if (o.namespace !== 'email' && o.namespace !== 'phone')
            throw new AppError('VALIDATION_FAILED', '--namespace must be email or phone with --file')
          const file = o.file
          const namespace = o.namespace
          result = await s.call((c) =>
            c.uploadAudience(file, { label, namespace, defaultCountry: o.country, expiryDays }),
          )
        } else {
          const input: CreateAudience = o.rule
            ? { type: 'query', label, rule: await readJson(o.rule), dimension: o.dimension, expiryDays }
            : {
                type: 'list',
                label,
                dimension: o.dimension,
                expiryDays,
                members: (await readFile(o.list!, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== ''),
              }
          result = await s.call((c) => c.createAudience(input))
        }
        output(globals(), () => printSaved(result), result)
      })
    })

  audience
    .command('list')
    .description('list the audiences of the organisation')
    .action(async () => {
      await withAccess(globals(), async (s) => {
        const { audiences } = await s.call((c) => c.listAudiences())
        output(
          globals(),
          () =>
            printTable(
              audiences.map((a) => ({
                id: a.id,
                label: a.label,
                type: a.type,
                size: a.size,
                version: a.version,
                expired: a.expired ? 'yes' : '',
                updated: a.updatedAt,
              })),
            ),
          { audiences },
        )
      })
    })

  audience
    .command('show <id>')
    .description('definition, size history and what uses the audience')
    .action(async (id: string) => {
      await withAccess(globals(), async (s) => {
        const d = await s.call((c) => c.getAudience(id))
        output(
          globals(),
          () => {
            const a = d.audience
            process.stdout.write(
              `${a.id}  "${a.label}"\ntype ${a.type}, dimension ${a.dimension ?? '-'}, identity ${a.identityField ?? '-'} (${a.identityNamespace ?? '-'})\n` +
                `owner ${a.owner}, origin ${a.origin.kind}${a.origin.ref ? ` ${a.origin.ref}` : ''}, size ${a.size}, version ${a.version}` +
                `${a.expiresAt ? `, expires ${a.expiresAt}${a.expired ? ' (expired)' : ''}` : ''}\n`,
            )
            process.stdout.write(
              `attributes ${a.attributes.length ? a.attributes.map((x) => `${x.name} ${x.type}`).join(', ') : '-'}\n`,
            )
            if (a.rule) process.stdout.write(`rule ${JSON.stringify(a.rule)}\n`)
            if (d.usedBy.length)
              process.stdout.write(`used by ${d.usedBy.map((u) => `${u.kind} "${u.label}"`).join(', ')}\n`)
            printTable(d.versions.map((v) => ({ ...v })))
          },
          d,
        )
      })
    })

  audience
    .command('members <id>')
    .description('members of the current (or --version) version, paged')
    .option('--version <n>', 'version number')
    .option('--search <prefix>', 'identity value prefix')
    .option('--limit <n>', 'members per page', '50')
    .option('--cursor <cursor>', 'the `next` cursor of the previous page')
    .action(async (id: string, o: { version?: string; search?: string; limit: string; cursor?: string }) => {
      await withAccess(globals(), async (s) => {
        const page = await s.call((c) =>
          c.audienceMembers(id, {
            version: int(o.version, '--version'),
            search: o.search,
            limit: int(o.limit, '--limit'),
            cursor: o.cursor,
          }),
        )
        output(
          globals(),
          () => {
            printTable(
              page.members.map((m) => ({
                member: m.member,
                identity: m.identity,
                entered: m.enteredVersion,
              })),
            )
            if (page.next) process.stdout.write(`next: --cursor ${page.next}\n`)
          },
          page,
        )
      })
    })

  audience
    .command('changes <id>')
    .description('members that entered or exited after version --since')
    .option('--since <version>', 'version after which changes are listed', '0')
    .option('--until <version>', 'last version included (default: current)')
    .option('--limit <n>', 'changes per page', '100')
    .option('--cursor <cursor>', 'the `next` cursor of the previous page')
    .action(async (id: string, o: { since: string; until?: string; limit: string; cursor?: string }) => {
      await withAccess(globals(), async (s) => {
        const page = await s.call((c) =>
          c.audienceChanges(id, {
            since: int(o.since, '--since') ?? 0,
            until: int(o.until, '--until'),
            limit: int(o.limit, '--limit'),
            cursor: o.cursor,
          }),
        )
        output(
          globals(),
          () => {
            printTable(page.changes.map((c) => ({ ...c })))
            if (page.next) process.stdout.write(`next: --cursor ${page.next}\n`)
          },
          page,
        )
      })
    })

  audience
    .command('refresh <id>')
    .description('re-evaluate a query audience into a new version')
    .action(async (id: string) => {
      await withAccess(globals(), async (s) => {
        const r = await s.call((c) => c.refreshAudience(id))
        output(globals(), () => printSaved(r), r)
      })
    })

  audience
    .command('schedule <id>')
    .description('show, set (--cron) or remove (--off) the refresh schedule of a query audience')
    .option('--cron <expression>', 'cron expression, e.g. "0 6 * * *" for 06:00 every day')
    .option('--tz <zone>', 'IANA time zone of the expression (default UTC)')
    .option('--off', 'stop refreshing on a schedule')
    .action(async (id: string, o: { cron?: string; tz?: string; off?: boolean }) => {
      await withAccess(globals(), async (s) => {
        if (o.off) {
          const r = await s.call((c) => c.unscheduleAudience(id))
          output(globals(), () => process.stdout.write(r.removed ? 'schedule removed\n' : 'no schedule\n'), r)
          return
        }
        const r = o.cron
          ? await s.call((c) => c.scheduleAudience(id, { cron: o.cron!, timeZone: o.tz }))
          : await s.call((c) => c.audienceSchedule(id))
        output(
          globals(),
          () => {
            if (!r.schedule) return void process.stdout.write('no schedule (set one with --cron)\n')
            const { schedule: sc } = r
            process.stdout.write(`${sc.cron} (${sc.timeZone})\n`)
            if (sc.lastRun)
              process.stdout.write(
                `last run ${sc.lastRun}${sc.lastError ? `: ${sc.lastError.code} ${sc.lastError.message}` : `, version ${sc.lastVersion}`}\n`,
              )
            process.stdout.write(`next launches:\n${r.nextLaunches.map((l) => `  ${l}`).join('\n')}\n`)
          },
          r,
        )
      })
    })

  audience
    .command('export <id> <out>')
    .description('write the members to a CSV, NDJSON or Parquet file, plain or hashed')
    .option('--format <format>', 'csv, ndjson or parquet', 'csv')
    .option('--hash <profile>', 'hash for a destination profile: generic, google or meta')
    .option('--attributes', 'include the audience attributes')
    .option('--version <n>', 'version number (default: current)')
    .action(
      async (
        id: string,
        out: string,
        o: { format: string; hash?: string; attributes?: boolean; version?: string },
      ) => {
        if (!['csv', 'ndjson', 'parquet'].includes(o.format))
          throw new AppError(
            'AUDIENCE_EXPORT_FORMAT',
            `--format must be csv, ndjson or parquet, not "${o.format}"`,
          )
        await withAccess(globals(), async (s) => {
          const body = await s.call((c) =>
            c.exportAudience(id, {
              format: o.format as 'csv',
              hashProfile: o.hash,
              attributes: o.attributes,
              version: int(o.version, '--version'),
            }),
          )
          await pipeline(Readable.fromWeb(body as NodeReadableStream), createWriteStream(out))
          output(globals(), () => process.stdout.write(`wrote ${out}\n`), { file: out })
        })
      },
    )

  audience
    .command('delete <id>')
    .description('delete an audience and its history (refused while something uses it)')
    .action(async (id: string) => {
      await withAccess(globals(), async (s) => {
        const r = await s.call((c) => c.deleteAudience(id))
        output(globals(), () => process.stdout.write(`deleted ${id}\n`), r)
      })
    })

  audience
    .command('overlap <ids...>')
    .description('counts of every region of two or three audiences')
    .action(async (ids: string[]) => {
      await withAccess(globals(), async (s) => {
        const r = await s.call((c) => c.audienceOverlap(ids))
        output(
          globals(),
          () => printTable(r.regions.map((x) => ({ in: x.in.join(' & '), count: x.count }))),
          r,
        )
      })
    })
}
