import { createInterface } from 'node:readline'
import { AppError, ROLES, type Role } from '@ahub/core'
import type { Command } from 'commander'
import { printTable } from '../print'
import { type AccessGlobals, output, withAccess } from './access-client'

function role(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value))
    throw new AppError('VALIDATION_FAILED', `Unknown role "${value}": use ${ROLES.join(', ')}`)
  return value as Role
}

/** `ahub user list|add|role|remove|disable`: members of the organisation (admins). */
export function userCommands(program: Command, globals: () => AccessGlobals): void {
  const user = program.command('user').description('users and their roles in the organisation (admins)')
  user
    .command('list')
    .description('list the members with their roles')
    .action(async () =>
      withAccess(globals(), async (s) => {
        const { members } = await s.call((c) => c.listMembers())
        output(
          globals(),
          () =>
            printTable(
              members.map((m) => ({
                id: m.user.id,
                email: m.user.email,
                name: m.user.name ?? '',
                role: m.role,
                status: m.user.disabled ? 'account disabled' : m.status,
              })),
            ),
          members,
        )
      }),
    )
  user
    .command('add <email>')
    .description('add a user (created when new) with a role')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--name <name>', 'display name')
    .action(async (email: string, o: { role: string; name?: string }) =>
      withAccess(globals(), async (s) => {
        const m = await s.call((c) => c.addMember({ email, name: o.name, role: role(o.role) }))
        output(
          globals(),
          () =>
            process.stdout.write(
              m.status === 'invited'
                ? `${m.user.email} already has an account: invited as ${m.role} of ${globals().org} until they accept (ahub user invitations)\n`
                : `${m.user.email} is ${m.role} of ${globals().org}\n`,
            ),
          m,
        )
      }),
    )
  user
    .command('role <user> <role>')
    .description("change a member's role (user: id or e-mail)")
    .action(async (who: string, r: string) =>
      withAccess(globals(), async (s) => {
        const m = await s.call((c) => c.setRole(who, role(r)))
        output(globals(), () => process.stdout.write(`${m.user.email} is now ${m.role}\n`), m)
      }),
    )
  user
    .command('remove <user>')
    .description('remove a member from the organisation and revoke their tokens there')
    .action(async (who: string) =>
      withAccess(globals(), async (s) => {
        const r = await s.call((c) => c.removeMember(who))
        output(
          globals(),
          () => process.stdout.write(`removed ${r.removed}; ${r.tokensRevoked} token(s) revoked\n`),
          r,
        )
      }),
    )
  user
    .command('disable <user>')
    .description(
      'disable a membership: the member and their tokens are refused in this organisation only; --enable undoes it',
    )
    .option('--enable', 'enable the membership again')
    .action(async (who: string, o: { enable?: boolean }) =>
      withAccess(globals(), async (s) => {
        const m = await s.call((c) => c.setDisabled(who, !o.enable))
        output(
          globals(),
          () =>
            process.stdout.write(
              `${m.user.email}: membership of ${globals().org} ${m.status === 'disabled' ? 'disabled' : 'enabled'}\n`,
            ),
          m,
        )
      }),
    )
  user
    .command('invitations')
    .description('your pending invitations (organisations whose admin added you)')
    .action(async () =>
      withAccess(globals(), async (s) => {
        const { invitations } = await s.call((c) => c.listInvitations())
        output(
          globals(),
          () =>
            invitations.length === 0
              ? process.stdout.write('no pending invitation\n')
              : printTable(
                  invitations.map((i) => ({
                    org: i.org,
                    name: i.orgName,
                    role: i.role,
                    invitedBy: i.invitedBy ?? '',
                  })),
                ),
          { invitations },
        )
      }),
    )
  user
    .command('accept <org>')
    .description('accept an invitation: you become a member of that organisation')
    .action(async (org: string) =>
      withAccess(globals(), async (s) => {
        const r = await s.call((c) => c.acceptInvitation(org))
        output(globals(), () => process.stdout.write(`you are ${r.role} of ${r.org}\n`), r)
      }),
    )
  user
    .command('decline <org>')
    .description('decline an invitation')
    .action(async (org: string) =>
      withAccess(globals(), async (s) => {
        await s.call((c) => c.declineInvitation(org))
        output(globals(), () => process.stdout.write(`declined the invitation of ${org}\n`), {
          declined: org,
        })
      }),
    )
  user
    .command('password [user]')
    .description(
      'set your own password for the built-in sign-in, or (admins) a first password for a member who has none; reads the new password (and --current) from standard input or the prompt',
    )
    .option('--current', 'also read your current password first (needed when you have one)')
    .action(async (who: string | undefined, o: { current?: boolean }) => {
      const current = o.current ? await readSecret('current password: ') : undefined
      const password = await readSecret('new password: ')
      await withAccess(globals(), async (s) => {
        if (who) await s.call((c) => c.setFirstPassword(who, password))
        else await s.call((c) => c.setMyPassword(password, current))
        output(globals(), () => process.stdout.write(`password set${who ? ` for ${who}` : ''}\n`), {
          ok: true,
        })
      })
    })
}

/** One line from standard input: typed without echo on a terminal, or piped (`--current` reads the first line). */
async function readSecret(prompt: string): Promise<string> {
  const line = await nextLine(prompt)
  if (!line) throw new AppError('VALIDATION_FAILED', 'No password given on standard input')
  return line
}

let lines: AsyncIterator<string> | undefined
async function nextLine(prompt: string): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write(prompt)
    process.stdin.setRawMode(true)
    let typed = ''
    for await (const chunk of process.stdin) {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') {
          process.stdin.setRawMode(false)
          process.stdin.pause()
          process.stderr.write('\n')
          return typed
        }
        if (ch === '\u0003') process.exit(130)
        typed = ch === '\u007f' ? typed.slice(0, -1) : typed + ch
      }
    }
    return typed
  }
  lines ??= createInterface({ input: process.stdin })[Symbol.asyncIterator]()
  const next = await lines.next()
  return next.done ? '' : next.value
}
