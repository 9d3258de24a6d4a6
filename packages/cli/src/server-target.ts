import { existsSync, readFileSync } from 'node:fs'
import { AppError } from '@ahub/core'
import { adminTokenFile, serverFile } from '@ahub/server/paths'
import { readConfig } from './config-file'

/** A server the CLI talks to, with the credential it may send there. */
export interface ServerTarget {
  url: string
  token: string
}

export interface TargetOptions {
  dataDir: string
  /** --server / AHUB_SERVER. */
  server?: string
  /** --token / AHUB_TOKEN: given explicitly for --server, so sent to it. */
  token?: string
  /** Also ask the announced server's /health before using it (else a live pid is enough). */
  checkHealth?: boolean
}

/**
 * The server to talk to and its token, or null to open the data directory itself. The server is
 * --server, else the `ahub login` config's, else the one announced in the data directory. A token
 * goes only where it belongs: --token wherever the caller points it, the login config's token to
 * the server it signed in to, and the data directory's admin token only to the server started from
 * that directory at the address it announced (never to another --server).
 */
export async function resolveServer(o: TargetOptions): Promise<ServerTarget | null> {
  const config = readConfig()
  const announced = await announcedServer(o.dataDir, o.checkHealth === true)
  const url = o.server ?? config?.server ?? announced ?? undefined
  if (!url) return null
  let token = o.token
  if (!token && config?.token && sameServer(url, config.server)) token = config.token
  if (!token && existsSync(adminTokenFile(o.dataDir))) {
    if (announced && sameServer(url, announced))
      token = readFileSync(adminTokenFile(o.dataDir), 'utf8').trim()
    else
      throw new AppError(
        'UNAUTHENTICATED',
        `No token for ${origin(url)}: the data directory's admin token is only sent to the server started from it${
          announced ? ` (${announced})` : ' (none runs now)'
        }; pass --token, set AHUB_TOKEN or run ahub login`,
        { details: { server: origin(url) } },
      )
  }
  if (!token)
    throw new AppError('UNAUTHENTICATED', 'No token: run ahub login, pass --token or set AHUB_TOKEN')
  return { url: url.replace(/\/+$/, ''), token }
}

/** The URL a running server started from `dataDir` announced, or null when none runs. */
async function announcedServer(dataDir: string, checkHealth: boolean): Promise<string | null> {
  if (!existsSync(serverFile(dataDir))) return null
  let info: { url?: unknown; pid?: unknown }
  try {
    info = JSON.parse(readFileSync(serverFile(dataDir), 'utf8')) as typeof info
  } catch {
    return null
  }
  if (typeof info.url !== 'string' || typeof info.pid !== 'number' || !isAlive(info.pid)) return null
  if (checkHealth && !(await healthy(info.url))) return null
  return info.url
}

/** The origin of a URL (scheme, host, port), loopback names folded to 127.0.0.1. */
function origin(url: string): string {
  try {
    const u = new URL(url)
    const host = ['localhost', '[::1]', '127.0.0.1'].includes(u.hostname) ? '127.0.0.1' : u.hostname
    const port = u.port || (u.protocol === 'https:' ? '443' : '80')
    return `${u.protocol}//${host}:${port}`
  } catch {
    return url
  }
}

/** True when two URLs name the same server (scheme, host and port). */
export function sameServer(a: string, b: string): boolean {
  return origin(a) === origin(b)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })
    return res.ok
  } catch {
    return false
  }
}
