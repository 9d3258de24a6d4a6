import { existsSync, readFileSync } from 'node:fs'
import { AppError } from '@ahub/core'
import { serverFile } from '@ahub/server/paths'
import type { Command } from 'commander'
import { type CliConfig, configPath, readConfig, removeConfig, writeConfig } from '../config-file'

/** The built-in provider's client for the CLI (device authorization grant). */
const CLI_CLIENT_ID = 'ahub-cli'
const CLI_SCOPES = 'openid email profile api'

export interface WhoAmI {
  user: { id: string; email: string }
  via: string
  memberships: { org: string; role: string }[]
}

export interface LoginIo {
  /** Where the config is written. */
  configPath: string
  /** Prints a line for the person at the terminal. */
  say: (line: string) => void
  /** Waits between polls (replaceable in tests). */
  sleep?: (ms: number) => Promise<void>
}

/** Asks the server who a credential belongs to; UNAUTHENTICATED when it is refused. */
export async function whoAmI(server: string, token: string): Promise<WhoAmI> {
  const res = await request(`${server}/v1/me`, { headers: { authorization: `Bearer ${token}` } })
  const body = (await res.json().catch(() => ({}))) as WhoAmI & { error?: { code: string; message: string } }
  if (!res.ok)
    throw new AppError(
      res.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL',
      body.error?.message ?? `HTTP ${res.status}`,
      {
        details: { code: body.error?.code },
      },
    )
  return body
}

/** `ahub login --token`: checks an API token against the server, then stores it. */
export async function loginWithToken(server: string, token: string, io: LoginIo): Promise<WhoAmI> {
  const me = await whoAmI(server, token)
  writeConfig({ server, token, via: 'token' }, io.configPath)
  return me
}

interface DeviceStart {
  device_code: string
  user_code: string
  verification_uri: string
  verification_uri_complete?: string
  expires_in: number
  interval?: number
}

/**
 * `ahub login`: the device authorization flow against the server's built-in provider. Prints the
 * page to open and the code to enter, polls until the person has signed in, stores the token.
 */
export async function loginWithDevice(server: string, io: LoginIo): Promise<WhoAmI> {
  const sleep = io.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)))
  const discovery = (await (await request(`${server}/oidc/.well-known/openid-configuration`)).json()) as {
    device_authorization_endpoint?: string
    token_endpoint: string
  }
  if (!discovery.device_authorization_endpoint)
    throw new AppError('OIDC_CONFIG_INVALID', `${server} offers no device sign-in; use ahub login --token`)
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLI_CLIENT_ID, ...fields }).toString(),
  })
  const startRes = await request(
    discovery.device_authorization_endpoint,
    form({ scope: CLI_SCOPES, resource: server }),
  )
  if (!startRes.ok)
    throw new AppError('OIDC_LOGIN_FAILED', `The server refused to start a sign-in (HTTP ${startRes.status})`)
  const start = (await startRes.json()) as DeviceStart
  io.say(`Open ${start.verification_uri_complete ?? start.verification_uri} in a browser`)
  io.say(`and check that it shows the code ${start.user_code}, then sign in.`)
  let interval = (start.interval ?? 5) * 1000
  const deadline = Date.now() + start.expires_in * 1000
  while (Date.now() < deadline) {
    await sleep(interval)
    const res = await request(
      discovery.token_endpoint,
      form({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: start.device_code }),
    )
    const body = (await res.json()) as { access_token?: string; expires_in?: number; error?: string }
    if (body.access_token) {
      const config: CliConfig = {
        server,
        token: body.access_token,
        via: 'device',
        expiresAt: body.expires_in ? new Date(Date.now() + body.expires_in * 1000).toISOString() : undefined,
      }
      const me = await whoAmI(server, body.access_token)
      writeConfig(config, io.configPath)
      return me
    }
    if (body.error === 'slow_down') interval += 5000
    else if (body.error !== 'authorization_pending')
      throw new AppError('OIDC_LOGIN_FAILED', `Sign-in ended: ${body.error ?? `HTTP ${res.status}`}`)
  }
  throw new AppError('OIDC_LOGIN_FAILED', 'The code expired before anyone signed in; run ahub login again')
}

async function request(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) })
  } catch (cause) {
    throw new AppError('STORE_ERROR', `Cannot reach ${url}: ${(cause as Error).message}`, { cause })
  }
}

interface LoginGlobals {
  dataDir: string
  server?: string
  token?: string
  json?: boolean
}

/** Adds `ahub login` and `ahub logout` to the program. */
export function loginCommands(program: Command, globals: () => LoginGlobals): void {
  const print = (human: string, json: unknown) =>
    process.stdout.write(globals().json ? `${JSON.stringify(json, null, 2)}\n` : `${human}\n`)
  program
    .command('login')
    .description('sign in to a server and remember it (device flow, or --token <api token>)')
    .action(async () => {
      const g = globals()
      const server = (g.server ?? announcedServer(g.dataDir))?.replace(/\/$/, '')
      if (!server)
        throw new AppError(
          'VALIDATION_FAILED',
          'Which server? Pass --server <url> or start one with ahub start',
        )
      const io: LoginIo = { configPath: configPath(), say: (line) => process.stderr.write(`${line}\n`) }
      const me = g.token ? await loginWithToken(server, g.token, io) : await loginWithDevice(server, io)
      print(`Signed in to ${server} as ${me.user.email} (config: ${io.configPath})`, { server, ...me })
    })
  program
    .command('logout')
    .description('end the signed-in session on the server, and forget the stored server and credential')
    .action(async () => {
      const path = configPath()
      const config = readConfig(path)
      // A device-flow session stays valid until it expires unless the server is told it is over.
      let ended = false
      if (config?.via === 'device')
        ended = await request(`${config.server}/auth/logout`, {
          method: 'POST',
          headers: { authorization: `Bearer ${config.token}` },
        })
          .then((r) => r.ok)
          .catch(() => false)
      const removed = removeConfig(path)
      print(
        removed
          ? `Signed out (removed ${path}${config?.via === 'device' ? (ended ? '; session ended on the server' : '; the server could not be reached, the session ends when it expires') : ''})`
          : 'Not signed in',
        { removed, path, sessionEnded: ended },
      )
    })
}

/** The URL of a server running on this data directory, if it announced itself. */
function announcedServer(dataDir: string): string | undefined {
  const file = serverFile(dataDir)
  if (!existsSync(file)) return undefined
  return (JSON.parse(readFileSync(file, 'utf8')) as { url: string }).url
}
