import type { FastifyInstance } from 'fastify'
import type { Permission } from './permissions'

/** Routes anyone may call, each with the reason; every other route must declare a permission. */
export const PUBLIC_ROUTES: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /^\/health$/, why: 'liveness probe' },
  { pattern: /^\/ready$/, why: 'readiness probe (store reachable)' },
  { pattern: /^\/openapi\.json$/, why: 'the API description' },
  { pattern: /^\/docs(\/|$)/, why: 'the API reference UI' },
  { pattern: /^\/auth(\/|$)/, why: 'sign-in (OpenID Connect); each route checks its own credentials' },
  { pattern: /^\/oidc(\/|$)/, why: 'the built-in OpenID provider (its own protocol checks)' },
  { pattern: /^\/\.well-known\//, why: 'OpenID Connect discovery' },
  {
    pattern: /^\/($|index\.html$|favicon\.svg$|assets\/)/,
    why: "the web app's static files (the app signs in through /auth and calls the API)",
  },
]

export interface RouteEntry {
  method: string
  url: string
  permission: Permission | null
}

/** Records every route as it is registered (call before registering any). */
export function collectRoutes(app: FastifyInstance): RouteEntry[] {
  const routes: RouteEntry[] = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue
      routes.push({ method, url: route.url, permission: route.config?.permission ?? null })
    }
  })
  return routes
}

/** True when a route without a permission is listed as public. */
export function isPublicRoute(url: string): boolean {
  return PUBLIC_ROUTES.some((p) => p.pattern.test(url))
}

/** The route → permission table of docs/security.md, generated from the routes themselves. */
export function permissionTable(routes: readonly RouteEntry[]): string {
  const rows = routes
    .filter((r) => r.permission !== null)
    .map((r) => [`\`${r.method} ${r.url}\``, `\`${r.permission}\``])
    .sort((a, b) => a[0]!.localeCompare(b[0]!))
  const width = [
    Math.max(5, ...rows.map((r) => r[0]!.length)),
    Math.max(10, ...rows.map((r) => r[1]!.length)),
  ]
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(width[i]!)).join(' | ')} |`
  return [line(['route', 'permission']), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}
