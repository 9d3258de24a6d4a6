import { createReadStream, createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import {
  AppError,
  DataSource,
  DataSourceInput,
  Protection,
  SharedAudience,
  SharedAudienceEvent,
  SharedVersion,
  SyncMode,
} from '@ahub/core'
import fastifySwagger from '@fastify/swagger'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { HubService } from '../service'
import { codedFrameworkErrors, toHubHttpError } from './errors'

export interface HubAppOptions {
  logger?: boolean | { level: string }
  /** Largest publish body accepted, in bytes (after gzip decoding too). Default 4 GiB. */
  maxPublishBytes?: number
  /** Interval of SSE keep-alive comments. Default 15 s. */
  keepAliveMs?: number
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Who may call a hub route: anyone (`public`), an org's hub token (`org`, the default) or the
     * admin credential derived from the master key (`admin`). Read from the matched route, never
     * from the raw URL, so `/v1/%61dmin/...` is the admin route it decodes to.
     */
    hubAccess?: HubAccess
  }
  interface FastifyRequest {
    /** The org the request's hub token acts for. */
    hubOrg: string
  }
}

const Id = z.object({ id: z.string().min(1).max(100) })
const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
})
const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse }

/** Who may call a hub route (see `FastifyContextConfig.hubAccess`). */
export type HubAccess = 'public' | 'org' | 'admin'

/**
 * The hub's HTTP API (`ahub hub serve`): bearer hub tokens on every route but /health and the
 * OpenAPI document; IDs travel as text bodies of one ID per line; new versions are pushed as
 * server-sent events on /v1/events.
 */
export async function buildHubApp(hub: HubService, options: HubAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logger === false || options.logger === undefined
        ? false
        : {
            ...(typeof options.logger === 'object' ? options.logger : {}),
            redact: ['req.headers.authorization'],
          },
    bodyLimit: 1_048_576,
    genReqId: () => crypto.randomUUID(),
    ...codedFrameworkErrors(toHubHttpError),
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.decorateRequest('hubOrg', '')

  // Admin routes must say so in their config: the auth hook reads nothing else.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/v1/admin/') && route.config?.hubAccess !== 'admin')
      throw new Error(`${route.method} ${route.url} must declare config.hubAccess 'admin'`)
  })
  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toHubHttpError(err)
    if (status >= 500) req.log.error({ err }, 'request failed')
    if (status === 401) reply.header('www-authenticate', 'Bearer')
    reply.status(status).send(body)
  })
  app.setNotFoundHandler((req, reply) => {
    reply
      .status(404)
      .send({ error: { code: 'NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}` } })
  })
  for (const type of ['text/plain', 'application/octet-stream', 'application/gzip']) {
    app.addContentTypeParser(type, (_req, payload, done) => done(null, payload))
  }
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Audience Hub: shared audience hub API',
        version: '0.1.0',
        description:
          'Data sources and shared audiences (versioned sets of protected IDs) exchanged between orgs.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  })
  app.get('/openapi.json', { schema: { hide: true }, config: { hubAccess: 'public' } }, async () =>
    app.swagger(),
  )

  // Authorised on the matched route's config (the router has decoded and normalised the path);
  // a request that matches no route still needs an org token, so unknown paths reveal nothing.
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.hubAccess ?? 'org'
    if (access === 'public') return
    const header = req.headers.authorization
    const secret = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined
    if (access === 'admin') {
      if (!hub.isAdmin(secret))
        throw new AppError('HUB_TOKEN_INVALID', 'The hub admin credential is required')
      return
    }
    req.hubOrg = await hub.tokens.verify(secret)
  })

  const r = app.withTypeProvider<ZodTypeProvider>()
  r.get(
    '/health',
    {
      schema: { tags: ['health'], security: [], response: { 200: z.object({ status: z.literal('ok') }) } },
      config: { hubAccess: 'public' },
    },
    async () => ({ status: 'ok' as const }),
  )
  r.get(
    '/v1/me',
    { schema: { tags: ['access'], response: { 200: z.object({ org: z.string() }), 401: ErrorResponse } } },
    async (req) => ({ org: req.hubOrg }),
  )

  // ---- data sources ----
  r.post(
    '/v1/data-sources',
    {
      schema: {
        tags: ['data sources'],
        description:
          'Creates a data source; keys and IVs are write-only (stored encrypted, never returned here).',
        body: DataSourceInput,
        response: { 201: DataSource, ...errors, 409: ErrorResponse },
      },
    },
    async (req, reply) => reply.status(201).send(await hub.createDataSource(req.hubOrg, req.body)),
  )
  r.get(
    '/v1/data-sources',
    { schema: { tags: ['data sources'], response: { 200: z.object({ dataSources: z.array(DataSource) }) } } },
    async (req) => ({ dataSources: await hub.listDataSources(req.hubOrg) }),
  )
  r.get(
    '/v1/data-sources/:id',
    { schema: { tags: ['data sources'], params: Id, response: { 200: DataSource, ...errors } } },
    async (req) => hub.getDataSource(req.hubOrg, req.params.id),
  )
  r.get(
    '/v1/data-sources/:id/key-material',
    {
      schema: {
        tags: ['data sources'],
        description:
          'The protection with key and IV (hex), for installations of orgs that own the data source or import under it. Never show it to users.',
        params: Id,
        response: { 200: Protection, ...errors },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store')
      return hub.keyMaterial(req.hubOrg, req.params.id)
    },
  )

  // ---- shared audiences ----
  const CreateBody = z
    .object({
      name: z.string().min(1).max(200),
      dataSource: z.string().min(1).max(100),
      sharedWith: z.array(z.string()).max(1000).optional(),
    })
    .strict()
  r.post(
    '/v1/shared-audiences',
    {
      schema: {
        tags: ['shared audiences'],
        body: CreateBody,
        response: { 201: SharedAudience, ...errors, 409: ErrorResponse },
      },
    },
    async (req, reply) => reply.status(201).send(await hub.createSharedAudience(req.hubOrg, req.body)),
  )
  r.get(
    '/v1/shared-audiences',
    {
      schema: {
        tags: ['shared audiences'],
        description: 'Shared audiences the org owns or that are shared with it.',
        response: { 200: z.object({ sharedAudiences: z.array(SharedAudience) }) },
      },
    },
    async (req) => ({ sharedAudiences: await hub.listSharedAudiences(req.hubOrg) }),
  )
  r.get(
    '/v1/shared-audiences/:id',
    {
      schema: {
        tags: ['shared audiences'],
        params: Id,
        response: { 200: SharedAudience, ...errors, 410: ErrorResponse },
      },
    },
    async (req) => hub.getSharedAudience(req.hubOrg, req.params.id),
  )
  r.put(
    '/v1/shared-audiences/:id/shared-with',
    {
      schema: {
        tags: ['shared audiences'],
        description: 'Replaces the orgs the shared audience is shared with (owner only).',
        params: Id,
        body: z.object({ orgs: z.array(z.string()).max(1000) }).strict(),
        response: { 200: SharedAudience, ...errors, 403: ErrorResponse, 410: ErrorResponse },
      },
    },
    async (req) => hub.setSharedWith(req.hubOrg, req.params.id, req.body.orgs),
  )
  r.delete(
    '/v1/shared-audiences/:id',
    {
      schema: {
        tags: ['shared audiences'],
        params: Id,
        response: { 204: z.null(), ...errors, 403: ErrorResponse, 410: ErrorResponse },
      },
    },
    async (req, reply) => {
      await hub.deleteSharedAudience(req.hubOrg, req.params.id)
      return reply.status(204).send(null)
    },
  )

  // ---- versions ----
  const maxBytes = options.maxPublishBytes ?? 4 * 1024 ** 3
  r.post(
    '/v1/shared-audiences/:id/versions',
    {
      schema: {
        tags: ['versions'],
        description:
          'Publishes a version from the body: one protected ID per line (text/plain; gzip with Content-Encoding: gzip or Content-Type: application/gzip). mode=add adds new IDs, mode=mirror also removes the others; a retried requestId returns the version it made.',
        params: Id,
        querystring: z
          .object({ mode: SyncMode.default('add'), requestId: z.string().min(1).max(200) })
          .strict(),
        response: {
          200: SharedVersion,
          ...errors,
          403: ErrorResponse,
          410: ErrorResponse,
          413: ErrorResponse,
        },
      },
    },
    async (req) => {
      const gzip =
        req.headers['content-encoding'] === 'gzip' ||
        req.headers['content-type']?.startsWith('application/gzip')
      const file = hub.tempPath('.txt')
      try {
        await spool(req.body, file, maxBytes, gzip === true)
        return await hub.publish(req.hubOrg, req.params.id, file, {
          mode: req.query.mode,
          requestId: req.query.requestId,
        })
      } finally {
        await rm(file, { force: true })
      }
    },
  )
  r.get(
    '/v1/shared-audiences/:id/versions',
    {
      schema: {
        tags: ['versions'],
        params: Id,
        response: { 200: z.object({ versions: z.array(SharedVersion) }), ...errors, 410: ErrorResponse },
      },
    },
    async (req) => ({ versions: await hub.versions(req.hubOrg, req.params.id) }),
  )
  r.get(
    '/v1/shared-audiences/:id/members',
    {
      schema: {
        tags: ['versions'],
        description:
          'The IDs of a version (default: current), one per line; headers x-hub-version and x-hub-count give the version and how many.',
        params: Id,
        querystring: z.object({ version: z.coerce.number().int().min(0).optional() }).strict(),
        produces: ['text/plain'],
      },
    },
    async (req, reply) => {
      const file = hub.tempPath('.txt')
      try {
        const { version, count } = await hub.writeMembers(req.hubOrg, req.params.id, file, req.query.version)
        reply.header('x-hub-version', String(version)).header('x-hub-count', String(count))
        return sendFiles(reply, [file])
      } catch (e) {
        await rm(file, { force: true })
        throw e
      }
    },
  )
  r.get(
    '/v1/shared-audiences/:id/changes',
    {
      schema: {
        tags: ['versions'],
        description:
          'The net change from version `since` to the current one: lines `+<id>` (added) then `-<id>` (removed); headers x-hub-version, x-hub-added, x-hub-removed.',
        params: Id,
        querystring: z.object({ since: z.coerce.number().int().min(0) }).strict(),
        produces: ['text/plain'],
      },
    },
    async (req, reply) => {
      const files = { added: hub.tempPath('.add'), removed: hub.tempPath('.rem') }
      try {
        const c = await hub.writeChanges(req.hubOrg, req.params.id, req.query.since, files, { prefix: true })
        reply
          .header('x-hub-version', String(c.version))
          .header('x-hub-added', String(c.added))
          .header('x-hub-removed', String(c.removed))
        return sendFiles(reply, [files.added, files.removed])
      } catch (e) {
        await Promise.all([rm(files.added, { force: true }), rm(files.removed, { force: true })])
        throw e
      }
    },
  )

  // ---- admin: hub tokens of a running hub (credential derived from the master key) ----
  const TokenInfo = z.object({
    id: z.string(),
    org: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  r.post(
    '/v1/admin/tokens',
    {
      config: { hubAccess: 'admin' },
      schema: {
        tags: ['admin'],
        description: 'Creates a hub token for an org; the secret is in this answer only.',
        body: z
          .object({ org: z.string().min(1).max(63), name: z.string().min(1).max(200).optional() })
          .strict(),
        response: {
          201: z.object({ token: TokenInfo, secret: z.string() }),
          400: ErrorResponse,
          401: ErrorResponse,
        },
      },
    },
    async (req, reply) => reply.status(201).send(await hub.tokens.create(req.body.org, req.body.name)),
  )
  r.get(
    '/v1/admin/tokens',
    {
      config: { hubAccess: 'admin' },
      schema: {
        tags: ['admin'],
        querystring: z.object({ org: z.string().max(63).optional() }).strict(),
        response: { 200: z.object({ tokens: z.array(TokenInfo) }), 401: ErrorResponse },
      },
    },
    async (req) => ({ tokens: await hub.tokens.list(req.query.org) }),
  )
  r.delete(
    '/v1/admin/tokens/:id',
    {
      config: { hubAccess: 'admin' },
      schema: { tags: ['admin'], params: Id, response: { 200: TokenInfo, ...errors } },
    },
    async (req) => hub.tokens.revoke(req.params.id),
  )

  // ---- push ----
  const open = new Set<FastifyReply>()
  r.get(
    '/v1/events',
    {
      schema: {
        tags: ['push'],
        description:
          'Server-sent events: `event: version` with a SharedAudienceEvent as data for every new version (or deletion) of a shared audience the org can see; comment lines keep the connection alive. Send Last-Event-ID to get what was missed since.',
        produces: ['text/event-stream'],
      },
    },
    (req, reply) => streamEvents(hub, req, reply, open, options.keepAliveMs ?? 15_000),
  )
  app.addHook('preClose', async () => {
    for (const reply of open) reply.raw.end()
    open.clear()
  })
  return app
}

/** Writes a request body to `file`, gunzipping when asked, refusing more than `maxBytes`. */
async function spool(body: unknown, file: string, maxBytes: number, gzip: boolean): Promise<void> {
  if (!body || typeof (body as Readable).pipe !== 'function') {
    throw new AppError(
      'HUB_PUBLISH_INVALID',
      'Send the IDs as the request body, Content-Type: text/plain, one per line',
    )
  }
  let bytes = 0
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length
      if (bytes > maxBytes) cb(new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${maxBytes} bytes`))
      else cb(null, chunk)
    },
  })
  try {
    if (gzip) await pipeline(body as Readable, createGunzip(), limit, createWriteStream(file))
    else await pipeline(body as Readable, limit, createWriteStream(file))
  } catch (e) {
    if (e instanceof AppError) throw e
    const code = (e as { code?: string }).code ?? ''
    if (code.startsWith('Z_')) {
      throw new AppError('HUB_PUBLISH_INVALID', 'The body is not valid gzip', { cause: e })
    }
    throw e
  }
}

/** Streams files one after the other as text, deleting them once sent (or on abort). */
function sendFiles(reply: FastifyReply, files: string[]): FastifyReply {
  reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store')
  const cleanup = () => Promise.all(files.map((f) => rm(f, { force: true })))
  if (files.length === 1) {
    const stream = createReadStream(files[0] as string, { highWaterMark: 1 << 20 })
    stream.on('close', () => void cleanup())
    return reply.send(stream)
  }
  async function* concat() {
    try {
      for (const f of files)
        for await (const chunk of createReadStream(f, { highWaterMark: 1 << 20 })) yield chunk
    } finally {
      await cleanup()
    }
  }
  reply.raw.on('close', () => void cleanup())
  return reply.send(Readable.from(concat()))
}

function streamEvents(
  hub: HubService,
  req: FastifyRequest,
  reply: FastifyReply,
  open: Set<FastifyReply>,
  keepAliveMs: number,
): void {
  reply.hijack()
  const res = reply.raw
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  })
  res.write(`retry: 1000\n: connected as ${req.hubOrg}\n\n`)
  open.add(reply)
  const lastId = req.headers['last-event-id']
  const stop = hub.events.subscribeSequenced(
    req.hubOrg,
    (e) => {
      res.write(
        `id: ${e.id}\nevent: version\ndata: ${JSON.stringify(SharedAudienceEvent.parse(e.event))}\n\n`,
      )
    },
    typeof lastId === 'string' ? lastId : undefined,
  )
  const timer = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs)
  timer.unref()
  res.on('close', () => {
    clearInterval(timer)
    stop()
    open.delete(reply)
  })
}
