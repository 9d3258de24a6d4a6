import { AppError } from '@ahub/core'
import type { Store } from '@ahub/store'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance } from 'fastify'
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import { type Permission, registerAuth } from './auth'
import { toHttpError } from './http-errors'
import { datasetRoutes } from './routes/datasets'
import { healthRoutes } from './routes/health'
import { schemaRoutes } from './routes/schemas'
import { TokenRepository } from './tokens'

export interface AppOptions {
  store: Store
  logger?: boolean | { level: string }
  /** Largest file accepted by an upload, in bytes. */
  maxUploadBytes?: number
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the caller must be allowed to do; routes without it are public (health, docs). */
    permission?: Permission
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
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)

  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toHttpError(err)
    if (status >= 500) req.log.error({ err }, 'request failed')
    reply.status(status).header('x-request-id', req.id).send(body)
  })
  app.setNotFoundHandler((req, reply) => {
    reply
      .status(404)
      .send({ error: { code: 'NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}` } })
  })
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id)
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
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  const tokens = new TokenRepository(options.store.engine)
  registerAuth(app, tokens)
  const deps = { store: options.store, maxUploadBytes: options.maxUploadBytes ?? 5 * 1024 ** 3 }
  await app.register(healthRoutes, deps)
  await app.register(schemaRoutes, deps)
  await app.register(datasetRoutes, deps)
  return app
}

export interface RouteDeps {
  store: Store
  maxUploadBytes: number
}

/** Throws unless `org` is the caller's organisation; other orgs look like they do not exist. */
export function assertOrg(principalOrg: string | undefined, org: string): void {
  if (principalOrg !== org) throw new AppError('ORG_NOT_FOUND', `No organisation "${org}"`)
}
