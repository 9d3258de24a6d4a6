import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Logger, Store } from '@ahub/store'
import { pino } from 'pino'
import { buildApp, openCampaigns } from './app'
import { BOOTSTRAP_ADMIN_EMAIL, bootstrapAdmin } from './auth/bootstrap'
import { externalProviderFromEnv } from './auth/oidc/config'
import { randomPassword } from './auth/oidc/passwords'
import { SignIn } from './auth/oidc/sign-in'
import { DEMO_ORG, type DemoSize, seedDemo } from './demo'
import { buildLivingDemo, PARTNER_ORG } from './demo-objects'
import { adminPasswordFile, adminTokenFile, serverFile } from './paths'
import { openHubLink } from './sharing'
import { TokenRepository } from './tokens'
import { webDistDir } from './web-app'

export interface StartOptions {
  dataDir: string
  port: number
  host: string
  demo?: DemoSize | false
  /**
   * Without the demo: the organisation to create on a data directory that has none, whose admin
   * (admin@localhost) gets the admin token and password printed at start (issue 17 item 11).
   */
  firstOrg?: { id: string; name: string }
  log?: (line: string) => void
  /** The services' structured logger (default: pino on stderr at LOG_LEVEL, else warn). */
  logger?: Logger
  /** The built web app to serve at `/` (default: packages/web/dist when built); false for none. */
  webApp?: string | false
}

/**
 * Starts the server on the embedded engine: opens (and owns) the data directory, loads the demo
 * organisation on first start, creates the first admin token, and shuts down cleanly on signals.
 */
export async function startServer(
  options: StartOptions,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`))
  // Services log their background failures (schedules, hub pushes, timers) as JSON lines on stderr.
  const logger = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2))
  const store = await Store.open({ dataDir: options.dataDir, logger })
  for (const m of store.dataMigrations)
    if (m.changed > 0) log(`data migration ${m.name}: ${m.changed} stored values rewritten`)
  if (options.demo !== false)
    await seedDemo(store, options.demo ?? { profiles: 100_000, purchases: 1_000_000 }, log)
  const adminOrg = options.demo === false && options.firstOrg ? options.firstOrg.id : DEMO_ORG
  if (options.demo === false && options.firstOrg && (await store.orgs.list()).length === 0) {
    await store.createOrg(options.firstOrg.id, options.firstOrg.name)
    log(
      `Created organisation "${options.firstOrg.id}" (${options.firstOrg.name}) on this empty data directory`,
    )
  }
  const tokenPath = adminTokenFile(options.dataDir)
  let token: string | undefined
  if (await store.orgs.find(adminOrg)) {
    // Tokens live at most AHUB_MAX_TOKEN_DAYS: a first admin token past its time is replaced.
    const stale = existsSync(tokenPath) && !(await tokenIsLive(store, readFileSync(tokenPath, 'utf8').trim()))
    if (stale) log(`The admin token in ${tokenPath} has expired or was revoked: writing a new one`)
    token = (await bootstrapAdmin(store, adminOrg, stale || !existsSync(tokenPath))).secret ?? undefined
  }
  if (token) {
    writeFileSync(tokenPath, `${token}\n`, { mode: 0o600 })
    chmodSync(tokenPath, 0o600)
  }
  const signIn = await SignIn.create({
    store,
    log,
    publicUrl: process.env.AHUB_PUBLIC_URL || undefined,
    external: externalProviderFromEnv(),
  })
  const password = await firstAdminPassword(signIn, adminPasswordFile(options.dataDir))
  const hub = await openHubLink(store, process.env, log)
  const campaigns = await openCampaigns(store, hub.sharing)
  const resumed = await campaigns.recover()
  campaigns.startScheduling()
  store.audienceSchedules.start()
  await hub.sharing.startFollowing()
  if (options.demo !== false)
    await buildLivingDemo({
      store,
      campaigns,
      sharing: hub.sharing,
      log,
      demoDir: join(store.dataDir, 'demo'),
      partner: hub.mode === 'embedded',
    })
  // The first admin sees the partner organisation too (the web app's org switcher), to read its import.
  if (options.demo !== false && (await store.orgs.find(PARTNER_ORG)))
    await bootstrapAdmin(store, PARTNER_ORG, false)
  const webDir = options.webApp ?? webDistDir()
  const webApp = webDir && existsSync(join(webDir, 'index.html')) ? webDir : undefined
  const app = await buildApp({
    webApp,
    campaigns,
    sharing: hub.sharing,
    store,
    logger: { level: process.env.LOG_LEVEL ?? 'warn' },
    signIn,
    verifiers: [signIn.verifier],
  })
  await app.listen({ port: options.port, host: options.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const url = `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`
  writeFileSync(serverFile(options.dataDir), JSON.stringify({ url, pid: process.pid }))

  log(`Audience Hub is running at ${url}`)
  log(
    webApp
      ? `  Web app: ${url}/ (sign in as below)`
      : '  Web app: not built (npm run build -w packages/web, or npm start builds it)',
  )
  log(`  API reference: ${url}/docs`)
  if (existsSync(tokenPath)) {
    log(
      `  Sign in with the admin token of org "${adminOrg}" kept in ${tokenPath}${token ? ' (created now)' : ''}:`,
    )
    log(`    curl -H "Authorization: Bearer $(cat ${tokenPath})" ${url}/v1/orgs/${adminOrg}/datasets`)
  }
  log(`  Sign in: ${url}/auth/login (or from a terminal: npx ahub login)`)
  if (password)
    log(
      `    ${BOOTSTRAP_ADMIN_EMAIL} / ${password}   (shown once; also in ${adminPasswordFile(options.dataDir)})`,
    )
  log('  The CLI uses this server while it runs: npx ahub dataset list')
  log(
    hub.mode === 'embedded'
      ? `  Shared audience hub: embedded (${join(store.dataDir, 'hub')}); set AHUB_HUB_URL and AHUB_HUB_TOKEN to use \`ahub hub serve\``
      : `  Shared audience hub: ${hub.url}`,
  )
  if (resumed.length) log(`  Resumed ${resumed.length} campaign run(s) interrupted by the last stop`)

  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= (async () => {
      await app.close()
      await campaigns.close()
      await hub.close()
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

/** True when `secret` is an API token that is neither expired nor revoked. */
async function tokenIsLive(store: Store, secret: string): Promise<boolean> {
  try {
    return (await new TokenRepository(store.engine).verify(secret)) !== null
  } catch {
    return false
  }
}

/**
 * On first start the admin (admin@localhost) gets a random password for the built-in provider,
 * written to `data/admin-password` (0600) and returned once to be printed; later starts return null.
 */
async function firstAdminPassword(signIn: SignIn, file: string): Promise<string | null> {
  if (existsSync(file)) return null
  const admin =
    (await signIn.users.findByEmail(BOOTSTRAP_ADMIN_EMAIL)) ??
    (await signIn.users.create({ email: BOOTSTRAP_ADMIN_EMAIL, name: 'Admin' }))
  if (await signIn.passwords.has(admin.id)) return null
  const password = randomPassword()
  await signIn.passwords.set(admin.id, password)
  writeFileSync(file, `${password}\n`, { mode: 0o600 })
  chmodSync(file, 0o600)
  return password
}
