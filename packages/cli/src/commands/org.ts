import type { Command } from 'commander'
import { printTable } from '../print'
import { type AccessGlobals, output, withAccess } from './access-client'

/** `ahub org list|create|show`: organisations. */
export function orgCommands(program: Command, globals: () => AccessGlobals): void {
  const org = program.command('org').description('organisations')
  org
    .command('list')
    .description('list the organisations you belong to')
    .action(async () =>
      withAccess(globals(), async (s) => {
        const { orgs } = await s.call((c) => c.listOrgs())
        output(
          globals(),
          () => printTable(orgs.map((o) => ({ id: o.id, name: o.name, role: o.role ?? '-' }))),
          orgs,
        )
      }),
    )
  org
    .command('create <id>')
    .description('create an organisation (admins); you become its admin')
    .option('--name <name>', 'display name (default: the id)')
    .action(async (id: string, o: { name?: string }) =>
      withAccess(
        { ...globals(), org: id },
        async (s) => {
          // On the data directory the session created it (you own the file); a server is asked.
          const created = s.local
            ? { ...(await s.call((c) => c.getOrg())), role: 'admin' }
            : await s.call((c) => c.createOrg(id, o.name ?? id))
          output(
            globals(),
            () => process.stdout.write(`created ${created.id} (${created.name}); you are its admin\n`),
            created,
          )
        },
        { createOrg: { name: o.name ?? id } },
      ),
    )
  org
    .command('show [id]')
    .description('show an organisation (default: --org)')
    .action(async (id: string | undefined) =>
      withAccess({ ...globals(), org: id ?? globals().org }, async (s) => {
        const o = await s.call((c) => c.getOrg())
        output(
          globals(),
          () => {
            process.stdout.write(`${o.id}: ${o.name}\ncreated: ${o.createdAt}\nyour role: ${o.role ?? '-'}\n`)
            process.stdout.write(`settings: ${JSON.stringify(o.settings)}\n`)
          },
          o,
        )
      }),
    )
}
