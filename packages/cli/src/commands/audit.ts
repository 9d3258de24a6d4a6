import type { Command } from 'commander'
import { printTable } from '../print'
import { type AccessGlobals, output, withAccess } from './access-client'

/** `ahub audit`: the organisation's audit log, newest first (admins). */
export function auditCommands(program: Command, globals: () => AccessGlobals): void {
  program
    .command('audit')
    .description('show the audit log, newest first (admins)')
    .option('--since <when>', 'ISO time, or a duration back from now: 15m, 24h, 7d')
    .option('--action <action>', 'one action, or a prefix ending in * (token.*)')
    .option('--outcome <outcome>', 'only ok, denied (refusals, failed sign-ins) or failed')
    .option('--limit <n>', 'events to show', '50')
    .action(async (o: { since?: string; action?: string; outcome?: string; limit: string }) =>
      withAccess(globals(), async (s) => {
        const page = await s.call((c) =>
          c.audit({
            since: o.since,
            action: o.action,
            outcome: o.outcome as 'ok' | 'denied' | 'failed' | undefined,
            limit: Number(o.limit),
          }),
        )
        output(
          globals(),
          () =>
            printTable(
              page.events.map((e) => ({
                at: e.at,
                action: e.action,
                outcome: e.outcome + (e.reason ? ` ${e.reason}` : ''),
                actor: e.actorToken ?? e.actorUser ?? '-',
                target: e.target ?? '-',
                ip: e.ip ?? '-',
              })),
            ),
          page,
        )
      }),
    )
}
