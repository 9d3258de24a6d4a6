import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { HubClient } from './client'
import { buildHubApp } from './http/app'
import { HttpHubClient } from './http-client'
import { InProcessHubClient } from './in-process-client'
import { HubService } from './service'

/** A fixed master key for tests (never use it anywhere else). */
export const TEST_MASTER_KEY = 'a1'.repeat(32)

/** A hub under test with a client per org; `kind` says which implementation. */
export interface HubFixture {
  kind: 'in-process' | 'http'
  hub: HubService
  dir: string
  client(org: string): Promise<HubClient>
  close(): Promise<void>
}

/** Opens a hub in a fresh temp directory, used in process. */
export async function inProcessFixture(): Promise<HubFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'ahub-hub-'))
  const hub = await HubService.open({ dataDir: dir, env: { AHUB_HUB_MASTER_KEY: TEST_MASTER_KEY } })
  return {
    kind: 'in-process',
    hub,
    dir,
    client: async (org) => new InProcessHubClient(hub, org),
    async close() {
      await hub.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Opens a hub in a fresh temp directory and serves it on a loopback port, as `ahub hub serve` does. */
export async function httpFixture(
  options: { keepAliveMs?: number } = {},
): Promise<HubFixture & { url: string; restart(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ahub-hub-'))
  const hub = await HubService.open({ dataDir: dir, env: { AHUB_HUB_MASTER_KEY: TEST_MASTER_KEY } })
  let app = await buildHubApp(hub, { keepAliveMs: options.keepAliveMs })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const url = `http://127.0.0.1:${port}`
  return {
    kind: 'http',
    hub,
    dir,
    url,
    async client(org) {
      const { secret } = await hub.tokens.create(org, `test ${org}`)
      return HttpHubClient.connect({ url, token: secret, backoff: { initialMs: 50, maxMs: 500 } })
    },
    /** Stops serving (cutting open event streams) and serves the same hub again on the same port. */
    async restart() {
      await app.close()
      app = await buildHubApp(hub, { keepAliveMs: options.keepAliveMs })
      await app.listen({ port, host: '127.0.0.1' })
    },
    async close() {
      await app.close()
      await hub.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
