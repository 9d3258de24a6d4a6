import type { FastifyInstance } from 'fastify'
import { buildHubApp, type HubAppOptions } from './http/app'
import { HubService, type OpenHubOptions } from './service'

export interface ServeHubOptions extends OpenHubOptions, HubAppOptions {
  port?: number
  host?: string
}

export interface RunningHub {
  hub: HubService
  app: FastifyInstance
  /** The base URL clients use, e.g. http://127.0.0.1:7700. */
  url: string
  close(): Promise<void>
}

/** Opens the hub in its data directory and serves its HTTP API (`ahub hub serve`). */
export async function serveHub(options: ServeHubOptions): Promise<RunningHub> {
  const hub = await HubService.open(options)
  let app: FastifyInstance
  try {
    app = await buildHubApp(hub, options)
    await app.listen({ port: options.port ?? 7700, host: options.host ?? '127.0.0.1' })
  } catch (e) {
    await hub.close()
    throw e
  }
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const host = options.host ?? '127.0.0.1'
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  return {
    hub,
    app,
    url,
    async close() {
      await app.close()
      await hub.close()
    },
  }
}
