import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { ApiError, AudienceHubClient } from '@ahub/client'
import { AppError } from '@ahub/core'
import { adminTokenFile, bootstrapAdmin, buildApp, openHubLink, serverFile } from '@ahub/server'
import { Store } from '@ahub/store'
import { readConfig } from '../config-file'

export interface AccessGlobals {
  dataDir: string
  server?: string
  token?: string
  org: string
  json?: boolean
}

/** A client for the access commands, and how to let go of what it holds. */
export interface AccessSession {
  client: AudienceHubClient
  /** Runs a call and turns a server error into an AppError, so the CLI reports it as usual. */
  call<T>(fn: (c: AudienceHubClient) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/**
 * Talks to the running server (--server, the `ahub login` config, or the one announced in the data
 * directory). When none runs, opens the data directory and serves the API in-process on a loopback
 * port, acting as its first admin (admin@localhost): whoever can open the file owns its data, and
 * the same rules and audit log apply as over the network.
 */
export async function openAccess(g: AccessGlobals): Promise<AccessSession> {
  const config = readConfig()
  let url = g.server ?? config?.server
  let token = g.token ?? (config && url === config.server ? config.token : undefined)
  if (!url && existsSync(serverFile(g.dataDir))) {
    const info = JSON.parse(readFileSync(serverFile(g.dataDir), 'utf8')) as { url: string; pid: number }
    if (isAlive(info.pid)) url = info.url
  }
  if (url) {
    if (!token && existsSync(adminTokenFile(g.dataDir)))
      token = readFileSync(adminTokenFile(g.dataDir), 'utf8').trim()
    if (!token)
      throw new AppError('UNAUTHENTICATED', 'No token: run ahub login, pass --token or set AHUB_TOKEN')
    return session(new AudienceHubClient(url.replace(/\/$/, ''), token, g.org), url, async () => {})
  }
  const store = await Store.open({ dataDir: g.dataDir })
  try {
    if (!(await store.orgs.find(g.org))) await store.createOrg(g.org, g.org)
    const { user } = await bootstrapAdmin(store, g.org, false)
    const secret = `local-${randomBytes(24).toString('base64url')}`
    // The same hub the server would use: embedded in <data-dir>/hub, or AHUB_HUB_URL.
    const hub = await openHubLink(store)
    const app = await buildApp({
      store,
      sharing: hub.sharing,
      rateLimit: false,
      verifiers: [
        async (bearer) =>
          bearer === secret ? { kind: 'user', userId: user.id, via: 'oidc', issuer: 'ahub-cli:local' } : null,
      ],
    })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const local = `http://127.0.0.1:${port}`
    return session(new AudienceHubClient(local, secret, g.org), local, async () => {
      await app.close()
      await hub.sharing.idle()
      await hub.close()
      await store.close()
    })
  } catch (e) {
    await store.close()
    throw e
  }
}

function session(client: AudienceHubClient, where: string, close: () => Promise<void>): AccessSession {
  return {
    client,
    close,
    async call(fn) {
      try {
        return await fn(client)
      } catch (e) {
        if (e instanceof ApiError) throw new AppError(e.code as never, e.message, { details: e.details })
        if (e instanceof TypeError)
          throw new AppError('STORE_ERROR', `Cannot reach the server at ${where}: ${e.message}`)
        throw e
      }
    },
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Runs `fn` with an access session, closing it afterwards. */
export async function withAccess(g: AccessGlobals, fn: (s: AccessSession) => Promise<void>): Promise<void> {
  const s = await openAccess(g)
  try {
    await fn(s)
  } finally {
    await s.close()
  }
}

/** Prints JSON with --json, else the human form. */
export function output(g: AccessGlobals, human: () => void, json: unknown): void {
  if (g.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
  else human()
}
