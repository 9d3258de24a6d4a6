import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Store } from '@ahub/store'
import { buildApp } from './app'
import { DEMO_ORG, type DemoSize, seedDemo } from './demo'
import { TokenRepository } from './tokens'

export interface StartOptions {
  dataDir: string
  port: number
  host: string
  demo?: DemoSize | false
  log?: (line: string) => void
}

/** Where a running server announces itself, so the CLI talks to it instead of opening the file. */
export function serverFile(dataDir: string): string {
  return join(resolve(dataDir), 'server.json')
}

export function adminTokenFile(dataDir: string): string {
  return join(resolve(dataDir), 'admin-token')
}

/**
 * Starts the server on the embedded engine: opens (and owns) the data directory, loads the demo
 * organisation on first start, creates the first admin token, and shuts down cleanly on signals.
 */
export async function startServer(
  options: StartOptions,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`))
  const store = await Store.open({ dataDir: options.dataDir })
  if (options.demo !== false)
    await seedDemo(store, options.demo ?? { profiles: 100_000, purchases: 1_000_000 }, log)
  const tokenPath = adminTokenFile(options.dataDir)
  let token: string | undefined
  if (!existsSync(tokenPath) && (await store.orgs.find(DEMO_ORG))) {
    token = (await new TokenRepository(store.engine).create(DEMO_ORG, 'first admin', 'admin')).token
    writeFileSync(tokenPath, `${token}\n`, { mode: 0o600 })
    chmodSync(tokenPath, 0o600)
  }
  const app = await buildApp({ store, logger: { level: process.env.LOG_LEVEL ?? 'warn' } })
  await app.listen({ port: options.port, host: options.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const url = `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`
  writeFileSync(serverFile(options.dataDir), JSON.stringify({ url, pid: process.pid }))

  log(`Audience Hub is running at ${url}`)
  log(`  API reference: ${url}/docs`)
  if (existsSync(tokenPath)) {
    log(
      `  Sign in with the admin token of org "${DEMO_ORG}" kept in ${tokenPath}${token ? ' (created now)' : ''}:`,
    )
    log(`    curl -H "Authorization: Bearer $(cat ${tokenPath})" ${url}/v1/orgs/${DEMO_ORG}/datasets`)
  }
  log('  The CLI uses this server while it runs: npx ahub dataset list')

  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= (async () => {
      await app.close()
      await store.close()
      if (existsSync(serverFile(options.dataDir))) {
        const info = JSON.parse(readFileSync(serverFile(options.dataDir), 'utf8')) as { pid: number }
        if (info.pid === process.pid) rmSync(serverFile(options.dataDir), { force: true })
      }
    })()
    return stopping
  }
  return { url, stop }
}
