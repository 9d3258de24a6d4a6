import { CampaignService, migrateCampaigns } from '@ahub/campaigns'
import { AppError } from '@ahub/core'
import { codedFrameworkErrors } from '@ahub/hub'
import type { SharingService } from '@ahub/sharing'
import {
  AuditRepository,
  CredentialRepository,
  MembershipRepository,
  type Store,
  UserRepository,
} from '@ahub/store'
import fastifyCors from '@fastify/cors'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance } from 'fastify'
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import { AccessCache } from './auth/access'
import { AuditLog } from './auth/audit'
import type { BearerVerifier } from './auth/caller'
import { PasswordService } from './auth/oidc/passwords'
import type { SignIn } from './auth/oidc/sign-in'
import { type Permission, registerAuth } from './auth/route-auth'
import { collectRoutes, type RouteEntry } from './auth/route-table'
import { RunAuthority } from './auth/run-authority'
import { openChannels } from './channels'
import { toHttpError } from './http-errors'
import { documentRoute } from './openapi'
import { audienceRoutes } from './routes/audiences'
import { auditRoutes } from './routes/audit'
import { campaignRoutes } from './routes/campaigns'
import { channelDeliveryRoutes } from './routes/channel-deliveries'
import { channelProviderRoutes } from './routes/channel-providers'
import { datasetRoutes } from './routes/datasets'
import { healthRoutes } from './routes/health'
import { meRoutes } from './routes/me'
import { orgRoutes } from './routes/orgs'
import { ruleRoutes } from './routes/rules'
import { schemaRoutes } from './routes/schemas'
import { sharingRoutes } from './routes/sharing'
import { tokenRoutes } from './routes/tokens'
import { userRoutes } from './routes/users'
import { noHubSharing } from './sharing'
import { TokenRepository } from './tokens'
import { isAppPath, registerWebApp, WEB_APP_HEADERS } from './web-app'

export interface AppOptions {
  store: Store
  logger?: boolean | { level: string }
  /** Largest file accepted by an upload, in bytes. */
  maxUploadBytes?: number
  /** Bearer verifiers tried after API tokens (`ahub_...`), e.g. the OpenID Connect JWT verifier. */
  verifiers?: BearerVerifier[]
  /** Requests per caller (token or user, else ip) and window; `false` turns the limit off. */
  rateLimit?: { max: number; timeWindowMs: number } | false
  /** Origins allowed to call the API from a browser; none by default. */
  corsOrigins?: string[]
  /** OpenID Connect sign-in: serves /oidc and /auth; pass its `verifier` in `verifiers` too. */
  signIn?: SignIn
  /** The campaign service (see `openCampaigns`); without one the app opens its own, with no scheduling. */
  campaigns?: CampaignService
  /** Export to and import from the hub (see `openHubLink`); without one, sharing calls fail with SHARE_HUB_UNAVAILABLE. */
  sharing?: SharingService
  /** The built web app (packages/web/dist) to serve at `/`; without one `/` answers 404. */
  webApp?: string
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the caller must be allowed to do; routes without it are public (health, docs). */
    permission?: Permission
    /** A POST that only reads (rule tools): not a change, so not written to the audit log. */
    readOnly?: boolean
  }
  interface FastifyInstance {
    /** The audit log: `app.audit.record({ action, outcome, ... }, req)`. */
    audit: AuditLog
    /** Every route with its permission (null for public ones), for docs and tests. */
    routeTable: RouteEntry[]
  }
}

export type App = FastifyInstance

/** Builds the HTTP API: thin routes over the store, every one authenticated but health and docs. */
export async function buildApp(options: AppOptions): Promise<App> {
  const app = Fastify({
    logger:
      options.logger === false || options.logger === undefined
        ? false
        : {
            ...(typeof options.logger === 'object' ? options.logger : {}),
            redact: ['req.headers.authorization', 'req.headers.cookie'],
          },
    bodyLimit: 1_048_576,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    ...codedFrameworkErrors(toHttpError),
  }).withTypeProvider<ZodTypeProvider>()
  app.decorate('routeTable', collectRoutes(app))
  // Every documented operation gets its operationId and its coded 4xx responses (docs/errors.md).
  app.addHook('onRoute', documentRoute)
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)

  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toHttpError(err)
    req.auditDetails = { ...req.auditDetails, error: body.error.code }
    if (status >= 500) req.log.error({ err }, 'request failed')
    if (status === 401) reply.header('www-authenticate', 'Bearer')
    reply.status(status).header('x-request-id', req.id).send(body)
  })
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!
    // A path of the web app's router (a reload on /o/demo/audiences): the app's page takes it.
    if (options.webApp && (req.method === 'GET' || req.method === 'HEAD') && isAppPath(path)) {
      const last = path.split('/').pop() ?? ''
      if (!last.includes('.'))
        return reply.header('cache-control', 'no-cache').headers(WEB_APP_HEADERS).sendFile('index.html')
    }
    reply
      .status(404)
      .send({ error: { code: 'NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}` } })
  })
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id)
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'no-referrer')
    // Decided on the matched route (never the raw URL), as everything else here.
    if (!req.routeOptions.url?.startsWith('/docs')) {
      // The web app's files set their own caching (hashed assets for a year, pages revalidated).
      if (!reply.getHeader('cache-control')) reply.header('cache-control', 'no-store')
      reply.header('x-frame-options', 'DENY')
    }
  })
  // Uploads arrive as a raw stream; the route spools them to disk with its own size limit.
  for (const type of [
    'application/octet-stream',
    'text/csv',
    'application/x-ndjson',
    'application/gzip',
    'text/plain',
  ]) {
    app.addContentTypeParser(type, (_req, payload, done) => done(null, payload))
  }

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Audience Hub API',
        version: '0.1.0',
        description: 'Build audiences from a relational customer database and share them between systems.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      // Relative: the server that serves this document (a generated client sets its base URL).
      servers: [{ url: '/', description: 'This server' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas with an id (the shared Error) become components that operations refer to.
    transformObject: jsonSchemaTransformObject,
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  if (options.webApp) await registerWebApp(app, options.webApp)

  const engine = options.store.engine
  const tokens = new TokenRepository(engine)
  const access = new AccessCache(new UserRepository(engine), new MembershipRepository(engine), app.log)
  const audit = new AuditLog(new AuditRepository(engine))
  app.decorate('audit', audit)
  await app.register(fastifyCors, { origin: options.corsOrigins?.length ? options.corsOrigins : false })
  // Before the auth hook: the UI's session cookie becomes the bearer there.
  if (options.signIn) await app.register(options.signIn.routes)
  registerAuth(app, { tokens, access, audit, verifiers: options.verifiers ?? [] })
  if (options.rateLimit !== false) {
    const limit = options.rateLimit ?? { max: 3000, timeWindowMs: 60_000 }
    // Route-level hooks run after the auth hook, so the caller is known here.
    await app.register(fastifyRateLimit, {
      max: limit.max,
      timeWindow: limit.timeWindowMs,
      keyGenerator: (req) =>
        req.caller ? (req.caller.kind === 'token' ? req.caller.tokenId : req.caller.userId) : req.ip,
      errorResponseBuilder: (_req, ctx) =>
        new AppError('RATE_LIMITED', `Too many requests: at most ${ctx.max} per ${ctx.after}; retry later`, {
          details: { limit: ctx.max, retryAfterSeconds: Math.ceil(ctx.ttl / 1000) },
        }),
    })
  }
  const deps: RouteDeps = {
    store: options.store,
    maxUploadBytes: options.maxUploadBytes ?? 5 * 1024 ** 3,
    tokens,
    access,
    audit,
    auditRepo: new AuditRepository(engine),
    passwords:
      options.signIn?.passwords ??
      new PasswordService(new UserRepository(engine), new CredentialRepository(engine)),
  }
  await app.register(healthRoutes, deps)
  await app.register(schemaRoutes, deps)
  await app.register(datasetRoutes, deps)
  await app.register(orgRoutes, deps)
  await app.register(userRoutes, deps)
  await app.register(tokenRoutes, deps)
  await app.register(auditRoutes, deps)
  await app.register(meRoutes, deps)
  await app.register(ruleRoutes, deps)
  await app.register(audienceRoutes, deps)
  const sharing = options.sharing ?? noHubSharing(options.store)
  const campaigns = options.campaigns ?? (await openCampaigns(options.store, sharing))
  if (!options.campaigns) app.addHook('onClose', () => campaigns.close())
  await app.register(campaignRoutes, { campaigns })
  await app.register(sharingRoutes, { sharing })
  const channels = await openChannels(options.store)
  await app.register(channelProviderRoutes, { channels, engine })
  await app.register(channelDeliveryRoutes, { channels, engine, campaigns })
  return app
}

/**
 * The campaign service of a store: its tables migrated, and registered as a user of audiences so
 * that an audience a published campaign reads cannot be deleted. Scheduling and recovery of runs
 * interrupted by a restart are the caller's (`startServer`). `sharing` is the hub link Save
 * audience's "share" publishes through; without it such an activity fails (CAMPAIGN_SHARE_UNAVAILABLE).
 * Channel activities deliver through the store's channels (`openChannels`, opened here when not yet).
 * Runs answer to the server's permission rules: a campaign that shares (or sends) is published,
 * started and resumed only by callers with that permission, checked again at the effect.
 */
export async function openCampaigns(store: Store, sharing?: SharingService): Promise<CampaignService> {
  await migrateCampaigns(store.engine)
  const channels = await openChannels(store)
  const campaigns = new CampaignService(
    store.engine,
    store.catalog,
    store.audiences,
    undefined,
    sharing,
    new RunAuthority(store.engine),
    channels.delivery,
    store.logger.child({ component: 'campaigns' }),
  )
  store.audiences.registerUsageProvider((org, id) => campaigns.audienceUsers(org, id))
  return campaigns
}

export interface RouteDeps {
  store: Store
  maxUploadBytes: number
  tokens: TokenRepository
  access: AccessCache
  audit: AuditLog
  auditRepo: AuditRepository
  /** Passwords of the built-in provider. */
  passwords: PasswordService
}

/** Throws unless `org` is the caller's organisation; other orgs look like they do not exist. */
export function assertOrg(principalOrg: string | undefined, org: string): void {
  if (principalOrg !== org) throw new AppError('ORG_NOT_FOUND', `No organisation "${org}"`)
}
