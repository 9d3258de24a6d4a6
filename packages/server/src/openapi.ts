import type { RouteOptions } from 'fastify'
import { z } from 'zod'

/**
 * The coded error every failing request answers with (docs/errors.md), one component of the
 * OpenAPI document (`#/components/schemas/Error`) that every operation's 4xx responses point to.
 */
export const ErrorResponse = z
  .object({
    error: z.looseObject({
      code: z.string().describe('A stable code of docs/errors.md, e.g. AUDIENCE_NOT_FOUND'),
      message: z.string().describe('What went wrong, for a person'),
      details: z.record(z.string(), z.unknown()).optional().describe('Facts about the error (per code)'),
    }),
  })
  .meta({ id: 'Error', description: 'A coded error (docs/errors.md)' })

/**
 * A stable, unique operationId from the method and the path (what a generated client names its
 * functions): `GET /v1/orgs/:org/audiences/:id` is `getAudiencesById`. The `/v1` prefix and the
 * organisation every org route starts with are left out; a parameter becomes `By<Name>`.
 */
export function operationId(method: string, url: string): string {
  const segments = url
    .replace(/^\/v1/, '')
    .replace(/^\/orgs\/:org(?=\/)/, '')
    .split('/')
    .filter(Boolean)
  const words = segments.map((s) => (s.startsWith(':') ? `By${pascal(s.slice(1))}` : pascal(s)))
  return `${method.toLowerCase()}${words.join('')}`
}

function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')
}

/**
 * The 4xx statuses a route can answer, from its shape: every route can be rate-limited; one with a
 * permission can refuse the caller (401, 403); input (path, query, body) can be invalid (400); a
 * path parameter names an object that may not exist (404); a write can conflict (409) and a body
 * can be too large (413). A route declares more (or other) statuses in its own `response`.
 */
export function errorStatuses(route: RouteOptions): number[] {
  const schema = route.schema ?? {}
  const method = (Array.isArray(route.method) ? route.method[0]! : route.method).toUpperCase()
  const statuses = new Set<number>([429])
  if (route.config && 'permission' in route.config && route.config.permission) {
    statuses.add(401)
    statuses.add(403)
  }
  const hasParams = route.url.includes(':')
  if (hasParams || schema.querystring || schema.body) statuses.add(400)
  if (hasParams) statuses.add(404)
  if (method !== 'GET' && method !== 'HEAD') {
    statuses.add(409)
    statuses.add(413)
  }
  return [...statuses].sort()
}

/**
 * Completes a documented route's OpenAPI entry as it is registered (an `onRoute` hook): its
 * operationId and its error responses, each with the shared error schema. What the route declares
 * itself wins.
 */
export function documentRoute(route: RouteOptions): void {
  const schema = route.schema
  if (!schema || schema.hide) return
  const method = Array.isArray(route.method) ? route.method[0]! : route.method
  const doc = schema as { operationId?: string }
  doc.operationId ??= operationId(method, route.url)
  const response = (schema.response ?? {}) as Record<string, unknown>
  for (const status of errorStatuses(route)) response[status] ??= ErrorResponse
  schema.response = response
}
