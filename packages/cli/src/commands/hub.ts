import { AppError, isAppError } from '@ahub/core'
import type { HubService, HubTokenInfo } from '@ahub/hub'
import type { Command } from 'commander'
import { onDemand } from '../on-demand'
import { printTable } from '../print'

const DEFAULT_DIR = './hub-data'
const DEFAULT_URL = process.env.AHUB_HUB_URL ?? 'http://127.0.0.1:7700'
const URL_HELP = 'the running hub, used when it holds the data directory (env AHUB_HUB_URL)'

interface HubGlobals {
  json?: boolean
}

/**
 * The hub's data directory: `--data-dir` given to the command (the program's option of the same
 * name takes it when it comes first), else AHUB_HUB_DATA_DIR, else ./hub-data. Never the
 * installation's data directory by default: the hub has its own store.
 */
function hubDir(cmd: Command, own: string | undefined): string {
  if (own !== undefined && own !== DEFAULT_DIR) return own
  let root: Command = cmd
  while (root.parent) root = root.parent
  if (root.getOptionValueSource('dataDir') === 'cli') return root.opts<{ dataDir: string }>().dataDir
  return process.env.AHUB_HUB_DATA_DIR ?? DEFAULT_DIR
}

/**
 * The `--org` of a token command: the program's global `--org` takes the flag wherever it is
 * written, so it is read from there when given on the command line.
 */
function hubOrg(cmd: Command, own: string | undefined): string | undefined {
  if (own !== undefined) return own
  let root: Command = cmd
  while (root.parent) root = root.parent
  return root.getOptionValueSource('org') === 'cli' ? root.opts<{ org: string }>().org : undefined
}

interface TokenOps {
  create(org: string, name: string): Promise<{ token: HubTokenInfo; secret: string }>
  list(org?: string): Promise<HubTokenInfo[]>
  revoke(id: string): Promise<HubTokenInfo>
}

/**
 * Runs `fn` on the hub's tokens: through its data directory when no hub runs there, else (the
 * directory is locked by `hub serve`) through the running hub's admin API at `url`, with the admin
 * credential derived from the master key.
 */
async function withTokens<T>(dir: string, url: string, fn: (ops: TokenOps) => Promise<T>): Promise<T> {
  // The hub (its engine and HTTP stack) is loaded only by the hub commands.
  const { adminToken, HubService, loadMasterKey } = await onDemand(() => import('@ahub/hub'))
  let hub: HubService
  try {
    hub = await HubService.open({ dataDir: dir, log: (m) => process.stderr.write(`${m}\n`) })
  } catch (e) {
    if (!isAppError(e) || e.code !== 'STORE_LOCKED') throw e
    return fn(adminApi(url.replace(/\/+$/, ''), adminToken(loadMasterKey(dir))))
  }
  try {
    return await fn(hub.tokens)
  } finally {
    await hub.close()
  }
}

function adminApi(base: string, secret: string): TokenOps {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${secret}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      })
    } catch (cause) {
      throw new AppError(
        'HUB_UNAVAILABLE',
        `The hub data directory is in use and no hub answers at ${base} (use --url)`,
        {
          cause,
        },
      )
    }
    const payload = (await res.json().catch(() => ({}))) as T & { error?: { code: string; message: string } }
    if (!res.ok) {
      const err = payload.error
      throw new AppError(
        (err?.code ?? 'HUB_UNAVAILABLE') as 'HUB_UNAVAILABLE',
        err?.message ?? `The hub answered ${res.status}`,
      )
    }
    return payload
  }
  return {
    create: (org, name) => call('POST', '/v1/admin/tokens', { org, name }),
    list: async (org) =>
      (
        await call<{ tokens: HubTokenInfo[] }>(
          'GET',
          `/v1/admin/tokens${org ? `?org=${encodeURIComponent(org)}` : ''}`,
        )
      ).tokens,
    revoke: (id) => call('DELETE', `/v1/admin/tokens/${encodeURIComponent(id)}`),
  }
}

/** `ahub hub serve` and `ahub hub token create|list|revoke`: the shared audience hub as its own service. */
export function hubCommands(program: Command, globals: () => HubGlobals = () => ({})): void {
  const hub = program
    .command('hub')
    .description(
      'the shared audience hub: a service of its own that installations exchange audiences through',
    )
  const json = (value: unknown): void => {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
  }

  hub
    .command('serve')
    .description(
      'serve the hub over HTTP from its own data directory (keys at rest under AHUB_HUB_MASTER_KEY)',
    )
    .option('--data-dir <dir>', 'the hub data directory (env AHUB_HUB_DATA_DIR)', DEFAULT_DIR)
    .option('--port <port>', 'port to listen on', process.env.AHUB_HUB_PORT ?? '7700')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .action(async (o: { dataDir?: string; port: string; host: string }, cmd: Command) => {
      const dir = hubDir(cmd, o.dataDir)
      const { serveHub } = await onDemand(() => import('@ahub/hub'))
      const running = await serveHub({
        dataDir: dir,
        port: Number(o.port),
        host: o.host,
        logger: { level: 'warn' },
        log: (m) => process.stderr.write(`${m}\n`),
      })
      process.stdout.write(
        `hub listening on ${running.url} (data in ${dir})\n` +
          `create a token for an org (prints it once):  ahub hub token create --org <org> --data-dir ${dir} --url ${running.url}\n` +
          `then give the installation the URL and token; stop the hub with Ctrl-C\n`,
      )
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop)
          process.off('SIGTERM', stop)
          void running.close().then(resolve)
        }
        process.on('SIGINT', stop)
        process.on('SIGTERM', stop)
      })
    })

  const token = hub
    .command('token')
    .description('hub tokens: each acts for one org of a connected installation')
  token
    .command('create')
    .description('create a hub token for an org; the secret is printed once')
    .option('--org <org>', 'the org the token acts for (required)')
    .option('--name <name>', 'what the token is for', 'hub token')
    .option('--data-dir <dir>', 'the hub data directory', DEFAULT_DIR)
    .option('--url <url>', URL_HELP, DEFAULT_URL)
    .action(async (o: { org?: string; name: string; dataDir?: string; url: string }, cmd: Command) => {
      const org = hubOrg(cmd, o.org)
      if (!org) cmd.error("error: required option '--org <org>' not specified", { exitCode: 2 })
      return withTokens(hubDir(cmd, o.dataDir), o.url, async (h) => {
        const created = await h.create(org!, o.name)
        if (globals().json) return json(created)
        process.stdout.write(`${created.secret}\n`)
        process.stderr.write(
          `hub token ${created.token.id} for org ${created.token.org}; the secret is shown only now\n`,
        )
      })
    })
  token
    .command('list')
    .description('list hub tokens (never their secrets)')
    .option('--org <org>', 'only the tokens of this org')
    .option('--data-dir <dir>', 'the hub data directory', DEFAULT_DIR)
    .option('--url <url>', URL_HELP, DEFAULT_URL)
    .action(async (o: { org?: string; dataDir?: string; url: string }, cmd: Command) =>
      withTokens(hubDir(cmd, o.dataDir), o.url, async (h) => {
        const tokens = await h.list(hubOrg(cmd, o.org))
        if (globals().json) return json(tokens)
        printTable(
          tokens.map((t) => ({
            id: t.id,
            org: t.org,
            name: t.name,
            prefix: `${t.prefix}…`,
            created: t.createdAt,
            status: t.revokedAt ? `revoked ${t.revokedAt}` : 'active',
          })),
        )
      }),
    )
  token
    .command('revoke <id>')
    .description('revoke a hub token')
    .option('--data-dir <dir>', 'the hub data directory', DEFAULT_DIR)
    .option('--url <url>', URL_HELP, DEFAULT_URL)
    .action(async (id: string, o: { dataDir?: string; url: string }, cmd: Command) =>
      withTokens(hubDir(cmd, o.dataDir), o.url, async (h) => {
        const t = await h.revoke(id)
        if (globals().json) return json(t)
        process.stdout.write(`revoked hub token ${t.id} of org ${t.org}\n`)
      }),
    )
}
