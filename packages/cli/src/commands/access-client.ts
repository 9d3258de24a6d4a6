import { randomBytes } from 'node:crypto'
import { ApiError, AudienceHubClient } from '@ahub/client'
import { AppError } from '@ahub/core'
import { requireOrg } from '../backend'
import { onDemand } from '../on-demand'
import { resolveServer } from '../server-target'

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
  /** True when the session serves the data directory in-process (no server runs). */
  local: boolean
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
export async function openAccess(g: AccessGlobals, options: OpenAccessOptions = {}): Promise<AccessSession> {
  const target = await resolveServer(g)
  if (target)
    return session(new AudienceHubClient(target.url, target.token, g.org), target.url, false, async () => {})
  // Only a command on the data directory itself loads the server and the engine.
  const [{ bootstrapAdmin, buildApp, openHubLink }, { AuditRepository, Store }] = await Promise.all([
    onDemand(() => import('@ahub/server')),
    onDemand(() => import('@ahub/store')),
  ])
  const store = await Store.open({ dataDir: g.dataDir })
  try {
    if (options.createOrg && !(await store.orgs.find(g.org))) {
      // Whoever can open the file owns its data: creating an organisation here makes
      // admin@localhost its admin (bootstrapAdmin below), as the server's first start does.
      await store.createOrg(g.org, options.createOrg.name)
    } else if (options.createOrg) {
      throw new AppError('CONFLICT', `Organisation "${g.org}" already exists`, { details: { org: g.org } })
    } else {
      await requireOrg(store, g.org)
    }
    const { user } = await bootstrapAdmin(store, g.org, false)
    if (options.createOrg)
      await new AuditRepository(store.engine).append({
        org: g.org,
        actorUser: user.id,
        actorToken: null,
        action: 'org.create',
        target: g.org,
        outcome: 'ok',
        reason: null,
        ip: null,
        userAgent: 'ahub-cli:local',
        requestId: null,
        details: { name: options.createOrg.name },
      })
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
    return session(new AudienceHubClient(local, secret, g.org), local, true, async () => {
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

export interface OpenAccessOptions {
  /**
   * `ahub org create`: on the data directory itself, create `g.org` (named so) and act as its
   * first admin. Against a server the command creates it through the API instead.
   */
  createOrg?: { name: string }
}

function session(
  client: AudienceHubClient,
  where: string,
  local: boolean,
  close: () => Promise<void>,
): AccessSession {
  return {
    client,
    local,
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

/** Runs `fn` with an access session, closing it afterwards. */
export async function withAccess(
  g: AccessGlobals,
  fn: (s: AccessSession) => Promise<void>,
  options: OpenAccessOptions = {},
): Promise<void> {
  const s = await openAccess(g, options)
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
