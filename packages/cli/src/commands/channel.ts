import { readFileSync } from 'node:fs'
import type { ChannelProviderSettings, DeliveryStatus } from '@ahub/client'
import { AppError } from '@ahub/core'
import type { Command } from 'commander'
import { printTable } from '../print'
import { type AccessGlobals, output, withAccess } from './access-client'
import { readDefinition } from './campaign'

interface ProviderFlags {
  settings?: string
  host?: string
  port?: string
  secure?: boolean
  requireTls?: boolean
  verifyCertificate: boolean
  user?: string
  passwordEnv?: string
  from?: string
  maxConnections?: string
  dkimDomain?: string
  dkimSelector?: string
  dkimKeyFile?: string
}

const int = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined
  if (!/^\d+$/.test(v)) throw new AppError('VALIDATION_FAILED', `${name} takes a whole number, not "${v}"`)
  return Number(v)
}

/**
 * Provider settings from a file (JSON or YAML) or the flags. A secret never comes from the command
 * line (it would show in the process list and the shell history): the password is read from the
 * variable `--password-env` names, the DKIM key from a file.
 */
async function providerSettings(o: ProviderFlags): Promise<ChannelProviderSettings> {
  if (o.settings) return (await readDefinition(o.settings)) as ChannelProviderSettings
  if (!o.host) throw new AppError('VALIDATION_FAILED', 'Give --host (or --settings <file>)')
  let password: string | undefined
  if (o.passwordEnv) {
    password = process.env[o.passwordEnv]
    if (password === undefined)
      throw new AppError('VALIDATION_FAILED', `The variable ${o.passwordEnv} (--password-env) is not set`)
  }
  const dkim =
    o.dkimDomain || o.dkimSelector || o.dkimKeyFile
      ? {
          domainName: o.dkimDomain ?? '',
          keySelector: o.dkimSelector ?? '',
          privateKey: o.dkimKeyFile ? readFileSync(o.dkimKeyFile, 'utf8') : '',
        }
      : undefined
  const settings: ChannelProviderSettings = {
    kind: 'email',
    host: o.host,
    port: int(o.port, '--port'),
    secure: o.secure,
    requireTls: o.requireTls,
    verifyCertificate: o.verifyCertificate,
    user: o.user,
    password,
    from: o.from,
    maxConnections: int(o.maxConnections, '--max-connections'),
    dkim,
  }
  return JSON.parse(JSON.stringify(settings)) as ChannelProviderSettings
}

/**
 * `ahub channel provider set|list|delete`, `ahub channel preview|proof` and `ahub delivery log|report`
 * (docs/channels.md): over HTTP to the running server, or served in-process from the data directory.
 */
export function channelCommands(program: Command, globals: () => AccessGlobals): void {
  const channel = program.command('channel').description('message delivery: providers, previews, proofs')
  const provider = channel
    .command('provider')
    .description("the org's channel providers (settings write-only)")

  provider
    .command('set <id>')
    .description('create or replace an e-mail (SMTP) provider; needs admin')
    .option('--settings <file>', 'all settings as JSON or YAML (docs/channels.md) instead of the flags')
    .option('--host <host>', 'SMTP server')
    .option('--port <port>', 'SMTP port (587)')
    .option('--secure', 'implicit TLS from the first byte (port 465)')
    .option('--require-tls', 'refuse to send when the server offers no STARTTLS')
    .option('--no-verify-certificate', "do not check the server's certificate (a test relay only)")
    .option('--user <user>', 'SMTP user')
    .option('--password-env <variable>', 'environment variable holding the SMTP password')
    .option('--from <address>', 'default sender')
    .option('--max-connections <n>', 'pooled connections (5)')
    .option('--dkim-domain <domain>', 'DKIM signing domain')
    .option('--dkim-selector <selector>', 'DKIM key selector')
    .option('--dkim-key-file <file>', 'DKIM private key (PEM)')
    .action(async (id: string, o: ProviderFlags) => {
      const settings = await providerSettings(o)
      await withAccess(globals(), async (s) => {
        const info = await s.call((c) => c.putChannelProvider(id, settings))
        output(
          globals(),
          () => process.stdout.write(`saved ${info.id} (${info.kind}): ${info.configured.join(', ')}\n`),
          info,
        )
      })
    })
  provider
    .command('list')
    .description('providers with the names of their set settings (never the values)')
    .action(async () =>
      withAccess(globals(), async (s) => {
        const { providers } = await s.call((c) => c.listChannelProviders())
        output(
          globals(),
          () =>
            printTable(
              providers.map((p) => ({
                id: p.id,
                kind: p.kind,
                configured: p.configured.join(','),
                updated: p.updatedAt,
              })),
            ),
          providers,
        )
      }),
    )
  provider
    .command('delete <id>')
    .description('delete a provider and its sealed settings; needs admin')
    .action(async (id: string) =>
      withAccess(globals(), async (s) => {
        await s.call((c) => c.deleteChannelProvider(id))
        output(globals(), () => process.stdout.write(`deleted ${id}\n`), { deleted: id })
      }),
    )

  channel
    .command('preview <campaign> <activity> <profile>')
    .description("render a channel activity's message for one profile (nothing is sent)")
    .action(async (campaign: string, activity: string, profile: string) =>
      withAccess(globals(), async (s) => {
        const p = await s.call((c) => c.previewChannel(campaign, activity, profile))
        output(
          globals(),
          () => {
            const lines = [`To: ${p.to ?? '(no address)'}`]
            for (const [part, value] of Object.entries(p.message)) lines.push(`${part}: ${value}`)
            if (p.missing.length)
              lines.push(`(not in the dimension, shown with defaults: ${p.missing.join(', ')})`)
            process.stdout.write(`${lines.join('\n')}\n`)
          },
          p,
        )
      }),
    )
  channel
    .command('proof <campaign> <activity> <addresses...>')
    .description("send a channel activity's message to test addresses, marked [Proof]; needs send")
    .option('--profile <id>', 'personalise for this profile (default: the declared defaults)')
    .action(async (campaign: string, activity: string, to: string[], o: { profile?: string }) =>
      withAccess(globals(), async (s) => {
        const r = await s.call((c) =>
          c.proofChannel(campaign, activity, { to, ...(o.profile ? { profile: o.profile } : {}) }),
        )
        output(
          globals(),
          () => printTable(r.outcomes.map((x) => ({ to: x.to, status: x.status, reason: x.reason ?? '' }))),
          r,
        )
        if (r.outcomes.some((x) => x.status === 'failed'))
          throw new AppError('CHANNEL_SEND_FAILED', 'A proof message was refused', {
            details: { outcomes: r.outcomes },
          })
      }),
    )

  channel
    .command('confirm <campaign> <run> <activity> <recipients>')
    .description(
      'confirm a send paused for confirmation (the recipient count it reported) and resume; needs send',
    )
    .action(async (campaign: string, run: string, activity: string, recipients: string) =>
      withAccess(globals(), async (s) => {
        const r = await s.call((c) => c.confirmSend(campaign, run, activity, int(recipients, 'recipients')!))
        output(globals(), () => process.stdout.write(`confirmed; run ${r.id} is ${r.state}\n`), r)
      }),
    )

  const delivery = program.command('delivery').description("what a run's channel activity delivered")
  delivery
    .command('log <campaign> <run> <activity>')
    .description('per-recipient outcomes, by member, paged')
    .option('--status <status>', 'only queued, sending, retry, sent, failed, lost or excluded')
    .option('--offset <n>', 'skip this many', '0')
    .option('--limit <n>', 'lines to show (at most 1000)', '100')
    .action(
      async (
        campaign: string,
        run: string,
        activity: string,
        o: { status?: string; offset: string; limit: string },
      ) =>
        withAccess(globals(), async (s) => {
          const page = await s.call((c) =>
            c.deliveryLog(campaign, run, activity, {
              offset: int(o.offset, '--offset'),
              limit: int(o.limit, '--limit'),
              status: o.status as DeliveryStatus | undefined,
            }),
          )
          output(
            globals(),
            () => {
              printTable(
                page.entries.map((e) => ({
                  member: e.member,
                  address: e.address ?? '',
                  status: e.status,
                  reason: e.reason ?? '',
                  attempts: e.attempts,
                })),
              )
              process.stdout.write(`${page.offset + page.entries.length} of ${page.total}\n`)
            },
            page,
          )
        }),
    )
  delivery
    .command('report <campaign> <run> <activity>')
    .description('counts by outcome, and excluded recipients by reason')
    .action(async (campaign: string, run: string, activity: string) =>
      withAccess(globals(), async (s) => {
        const r = await s.call((c) => c.deliveryReport(campaign, run, activity))
        output(
          globals(),
          () => {
            printTable(
              Object.entries(r.byStatus)
                .filter(([, n]) => n > 0)
                .map(([status, n]) => ({ status, count: n })),
            )
            const excluded = Object.entries(r.excluded)
            if (excluded.length)
              process.stdout.write(`excluded: ${excluded.map(([k, n]) => `${k} ${n}`).join(', ')}\n`)
            process.stdout.write(`recipients: ${r.recipients}\n`)
          },
          r,
        )
      }),
    )
}
