import { AppError, SCOPES, type Scope } from '@ahub/core'
import type { Command } from 'commander'
import { printTable } from '../print'
import { type AccessGlobals, output, withAccess } from './access-client'

/** `ahub token create|list|revoke`: API tokens of the organisation. */
export function tokenCommands(program: Command, globals: () => AccessGlobals): void {
  const token = program.command('token').description('API tokens for automation (scoped, revocable)')
  token
    .command('create')
    .description('create an API token for yourself; the secret is printed once')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--scope <scope...>', `scopes: ${SCOPES.join(', ')} (default: read)`)
    .option('--expires-in-days <n>', 'days until it stops working')
    .option('--expires-at <time>', 'ISO time when it stops working')
    .action(async (o: { name: string; scope?: string[]; expiresInDays?: string; expiresAt?: string }) => {
      const scopes = o.scope?.map((s) => {
        if (!(SCOPES as readonly string[]).includes(s))
          throw new AppError('VALIDATION_FAILED', `Unknown scope "${s}": use ${SCOPES.join(', ')}`)
        return s as Scope
      })
      const days = o.expiresInDays === undefined ? undefined : Number(o.expiresInDays)
      if (days !== undefined && !Number.isInteger(days))
        throw new AppError(
          'VALIDATION_FAILED',
          `--expires-in-days must be a whole number, not "${o.expiresInDays}"`,
        )
      await withAccess(globals(), async (s) => {
        const created = await s.call((c) =>
          c.createToken({ name: o.name, scopes, expiresInDays: days, expiresAt: o.expiresAt }),
        )
        output(
          globals(),
          () => {
            process.stdout.write(`${created.secret}\n`)
            process.stderr.write(
              `token ${created.token.id} (${created.token.scopes.join(', ')}) for org ${created.token.org}` +
                `${created.token.expiresAt ? `, expires ${created.token.expiresAt}` : ''}; the secret is shown only now\n`,
            )
          },
          created,
        )
      })
    })
  token
    .command('list')
    .description("list tokens (yours; an admin sees the organisation's) without their secrets")
    .action(async () =>
      withAccess(globals(), async (s) => {
        const { tokens } = await s.call((c) => c.listTokens())
        output(
          globals(),
          () =>
            printTable(
              tokens.map((t) => ({
                id: t.id,
                name: t.name,
                prefix: `${t.prefix}…`,
                scopes: t.scopes.join(','),
                created: t.createdAt,
                expires: t.expiresAt ?? '-',
                'last used': t.lastUsedAt ?? '-',
                status: t.revokedAt
                  ? 'revoked'
                  : t.expiresAt && Date.parse(t.expiresAt) < Date.now()
                    ? 'expired'
                    : 'active',
              })),
            ),
          tokens,
        )
      }),
    )
  token
    .command('revoke <id>')
    .description('revoke a token; it stops working at once')
    .action(async (id: string) =>
      withAccess(globals(), async (s) => {
        const t = await s.call((c) => c.revokeToken(id))
        output(globals(), () => process.stdout.write(`revoked ${t.id} (${t.name})\n`), t)
      }),
    )
}
