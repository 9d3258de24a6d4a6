import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Scope, sha256Hex } from '@ahub/core'
import { adminToken, buildHubApp, HubService, loadMasterKey, TEST_MASTER_KEY } from '@ahub/hub'
import {
  type App,
  type BearerVerifier,
  bootstrapAdmin,
  buildApp,
  type HubLink,
  openHubLink,
  type Permission,
  TokenRepository,
} from '@ahub/server'
import { MembershipRepository, Store, UserRepository } from '@ahub/store'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pool, type RawAnswer, rawRequest } from './support/raw-http'

/**
 * Every route of the server and of the hub, taken from their OpenAPI documents, called by every
 * kind of caller (no credential, forged, revoked, expired, each role and token scope, another
 * organisation) on its plain path and on encoded variants of it. Each outcome is asserted against
 * the tables below; a route missing from a table fails the suite.
 */

/** What each server route needs, as docs/security.md states it. `public` routes need nothing. */
const SERVER_ROUTES: Record<string, Permission | 'public'> = {
  'GET /health': 'public',
  'GET /ready': 'public',
  'GET /v1/orgs/{org}/schemas': 'read',
  'POST /v1/orgs/{org}/schemas': 'admin',
  'GET /v1/orgs/{org}/schemas/{table}': 'read',
  'POST /v1/orgs/{org}/schemas/infer': 'write',
  'GET /v1/orgs/{org}/datasets': 'read',
  'GET /v1/orgs/{org}/datasets/{table}': 'read',
  'POST /v1/orgs/{org}/datasets/{table}/batches': 'write',
  'GET /v1/orgs/{org}/batches': 'read',
  'GET /v1/orgs/{org}/batches/{id}': 'read',
  'GET /v1/orgs/{org}/batches/{id}/rejects': 'read',
  'GET /v1/orgs': 'signed-in',
  'POST /v1/orgs': 'admin',
  'GET /v1/orgs/{org}': 'read',
  'GET /v1/orgs/{org}/members': 'admin',
  'POST /v1/orgs/{org}/members': 'admin',
  'PUT /v1/orgs/{org}/members/{user}': 'admin',
  'DELETE /v1/orgs/{org}/members/{user}': 'admin',
  'PUT /v1/orgs/{org}/members/{user}/disabled': 'admin',
  'PUT /v1/orgs/{org}/members/{user}/password': 'admin',
  'POST /v1/orgs/{org}/tokens': 'read',
  'GET /v1/orgs/{org}/tokens': 'read',
  'DELETE /v1/orgs/{org}/tokens/{id}': 'read',
  'GET /v1/orgs/{org}/audit': 'admin',
  'GET /v1/me': 'signed-in',
  'PUT /v1/me/password': 'person',
  'GET /v1/me/invitations': 'person',
  'POST /v1/me/invitations/{invitation}/accept': 'person',
  'DELETE /v1/me/invitations/{invitation}': 'person',
  'POST /v1/orgs/{org}/rules/validate': 'read',
  'POST /v1/orgs/{org}/rules/count': 'read',
  'POST /v1/orgs/{org}/expressions/validate': 'read',
  'POST /v1/orgs/{org}/rules/sql': 'read',
  'POST /v1/orgs/{org}/rules/explain': 'read',
  'POST /v1/orgs/{org}/rules/preview': 'read',
  'POST /v1/orgs/{org}/rules/distribution': 'read',
  'GET /v1/orgs/{org}/audiences': 'read',
  'POST /v1/orgs/{org}/audiences': 'write',
  'POST /v1/orgs/{org}/audiences/upload': 'write',
  'GET /v1/orgs/{org}/audiences/overlap': 'read',
  'GET /v1/orgs/{org}/audiences/{id}': 'read',
  'PATCH /v1/orgs/{org}/audiences/{id}': 'write',
  'DELETE /v1/orgs/{org}/audiences/{id}': 'write',
  'POST /v1/orgs/{org}/audiences/{id}/refresh': 'write',
  'GET /v1/orgs/{org}/audiences/{id}/schedule': 'read',
  'PUT /v1/orgs/{org}/audiences/{id}/schedule': 'write',
  'DELETE /v1/orgs/{org}/audiences/{id}/schedule': 'write',
  'GET /v1/orgs/{org}/audiences/{id}/versions': 'read',
  'GET /v1/orgs/{org}/audiences/{id}/members': 'read',
  'GET /v1/orgs/{org}/audiences/{id}/changes': 'read',
  'GET /v1/orgs/{org}/audiences/{id}/export': 'read',
  'GET /v1/orgs/{org}/profiles/{id}/audiences': 'read',
  'POST /v1/orgs/{org}/campaigns/validate': 'read',
  'POST /v1/orgs/{org}/campaigns/schedule-preview': 'read',
  'GET /v1/orgs/{org}/campaign-activities': 'read',
  'GET /v1/orgs/{org}/campaigns': 'read',
  'POST /v1/orgs/{org}/campaigns': 'write',
  'GET /v1/orgs/{org}/campaigns/{id}': 'read',
  'PUT /v1/orgs/{org}/campaigns/{id}': 'write',
  'POST /v1/orgs/{org}/campaigns/{id}/publish': 'write',
  'POST /v1/orgs/{org}/campaigns/{id}/archive': 'write',
  'POST /v1/orgs/{org}/campaigns/{id}/runs': 'write',
  'GET /v1/orgs/{org}/campaigns/{id}/runs': 'read',
  'POST /v1/orgs/{org}/campaigns/{id}/signal': 'write',
  'GET /v1/orgs/{org}/campaign-runs/{run}': 'read',
  'GET /v1/orgs/{org}/campaigns/{id}/runs/{run}/events': 'read',
  'POST /v1/orgs/{org}/campaigns/{id}/restart': 'write',
  'GET /v1/orgs/{org}/campaigns/{id}/runs/{run}': 'read',
  'POST /v1/orgs/{org}/campaigns/{id}/runs/{run}/pause': 'write',
  'POST /v1/orgs/{org}/campaigns/{id}/runs/{run}/resume': 'write',
  'POST /v1/orgs/{org}/campaigns/{id}/runs/{run}/stop': 'write',
  'GET /v1/orgs/{org}/campaigns/{id}/runs/{run}/logs': 'read',
  'GET /v1/orgs/{org}/campaigns/{id}/runs/{run}/transitions/{transition}': 'read',
  'GET /v1/orgs/{org}/channel-providers': 'read',
  'GET /v1/orgs/{org}/channel-providers/{id}': 'read',
  'PUT /v1/orgs/{org}/channel-providers/{id}': 'admin',
  'DELETE /v1/orgs/{org}/channel-providers/{id}': 'admin',
  'POST /v1/orgs/{org}/campaigns/{id}/activities/{activity}/preview': 'read',
  'POST /v1/orgs/{org}/campaigns/{id}/activities/{activity}/proof': 'send',
  'GET /v1/orgs/{org}/campaigns/{id}/runs/{run}/activities/{activity}/deliveries': 'read',
  'GET /v1/orgs/{org}/campaigns/{id}/runs/{run}/activities/{activity}/delivery-report': 'read',
  'POST /v1/orgs/{org}/campaigns/{id}/runs/{run}/activities/{activity}/confirm-send': 'send',
  'GET /v1/orgs/{org}/sharing/data-sources': 'read',
  'POST /v1/orgs/{org}/sharing/data-sources': 'share',
  'GET /v1/orgs/{org}/sharing/shared-audiences': 'read',
  'POST /v1/orgs/{org}/sharing/exports': 'share',
  'POST /v1/orgs/{org}/sharing/imports': 'share',
  'GET /v1/orgs/{org}/sharing/imports': 'read',
  'POST /v1/orgs/{org}/sharing/imports/{id}/sync': 'share',
  'GET /v1/orgs/{org}/sharing/jobs': 'read',
  'GET /v1/orgs/{org}/sharing/jobs/{job}': 'read',
  'GET /v1/orgs/{org}/sharing/jobs/{job}/report': 'read',
}

/** Who may call each hub route: anyone, an org's hub token, or the admin credential. */
const HUB_ROUTES: Record<string, 'public' | 'org' | 'admin'> = {
  'GET /health': 'public',
  'GET /v1/me': 'org',
  'POST /v1/data-sources': 'org',
  'GET /v1/data-sources': 'org',
  'GET /v1/data-sources/{id}': 'org',
  'GET /v1/data-sources/{id}/key-material': 'org',
  'POST /v1/shared-audiences': 'org',
  'GET /v1/shared-audiences': 'org',
  'GET /v1/shared-audiences/{id}': 'org',
  'PUT /v1/shared-audiences/{id}/shared-with': 'org',
  'DELETE /v1/shared-audiences/{id}': 'org',
  'POST /v1/shared-audiences/{id}/versions': 'org',
  'GET /v1/shared-audiences/{id}/versions': 'org',
  'GET /v1/shared-audiences/{id}/members': 'org',
  'GET /v1/shared-audiences/{id}/changes': 'org',
  'POST /v1/admin/tokens': 'admin',
  'GET /v1/admin/tokens': 'admin',
  'DELETE /v1/admin/tokens/{id}': 'admin',
  'GET /v1/events': 'org',
}

/** Codes that mean "refused": the request had no effect. */
const REFUSALS = new Set([
  'UNAUTHENTICATED',
  'TOKEN_REVOKED',
  'TOKEN_EXPIRED',
  'FORBIDDEN',
  'ORG_NOT_FOUND',
  'NOT_FOUND',
  'HUB_TOKEN_INVALID',
  'HUB_NOT_FOUND',
  'BAD_URL',
  // A form that matched a route with an empty or malformed parameter.
  'VALIDATION_FAILED',
])

/** The routes of an OpenAPI document as `METHOD /path`. */
function openApiRoutes(doc: unknown): string[] {
  const paths = (doc as { paths: Record<string, Record<string, unknown>> }).paths
  return Object.entries(paths).flatMap(([path, methods]) =>
    Object.keys(methods)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  )
}

/** A request path with a form of attack applied; `same` ones still decode to the same route. */
interface Variant {
  name: string
  path: string
  same: boolean
}

/**
 * Encoded and odd forms of a path: percent-encoded letters (decoded by the router: the same
 * route), and forms that must match no route or another object: %2F for a slash, double slashes,
 * a trailing dot or slash, mixed case.
 */
function variants(segments: { text: string; param: boolean }[]): Variant[] {
  const join = (parts: string[]) => `/${parts.join('/')}`
  const texts = segments.map((s) => s.text)
  const out: Variant[] = []
  const encodeFirst = (t: string, upper: boolean) => {
    const hex = t.charCodeAt(0).toString(16)
    return `%${upper ? hex.toUpperCase() : hex}${t.slice(1)}`
  }
  const statics = segments.map((s, i) => (!s.param && /^[a-z]/.test(s.text) ? i : -1)).filter((i) => i >= 0)
  for (const i of new Set([statics[1] ?? statics[0], statics.at(-1)])) {
    if (i === undefined) continue
    out.push({
      name: `%xx in "${texts[i]}"`,
      path: join(texts.map((t, j) => (j === i ? encodeFirst(t, false) : t))),
      same: true,
    })
    out.push({
      name: `%XX in "${texts[i]}"`,
      path: join(texts.map((t, j) => (j === i ? encodeFirst(t, true) : t))),
      same: true,
    })
    out.push({
      name: `mixed case "${texts[i]}"`,
      path: join(texts.map((t, j) => (j === i ? t.toUpperCase() : t))),
      same: false,
    })
  }
  const org = segments.findIndex((s) => s.param && s.text === 'acme')
  if (org >= 0) {
    out.push({
      name: 'encoded org',
      path: join(texts.map((t, j) => (j === org ? encodeFirst(t, false) : t))),
      same: true,
    })
    out.push({
      name: 'org upper case',
      path: join(texts.map((t, j) => (j === org ? 'ACME' : t))),
      same: false,
    })
  }
  if (texts.length > 1) {
    out.push({ name: '%2F', path: `/${texts.slice(0, -1).join('/')}%2F${texts.at(-1)}`, same: false })
    out.push({ name: '%2f at the start', path: `/%2f${texts.join('/')}`, same: false })
    out.push({ name: 'inner double slash', path: `/${texts[0]}//${texts.slice(1).join('/')}`, same: false })
  }
  out.push({ name: 'leading double slash', path: `/${join(texts)}`, same: false })
  out.push({ name: 'trailing dot', path: `${join(texts)}.`, same: false })
  out.push({ name: 'trailing slash', path: `${join(texts)}/`, same: false })
  out.push({ name: 'dot segment', path: `/${texts[0]}/./${texts.slice(1).join('/')}`, same: false })
  return out
}

function split(path: string, fill: (param: string) => string): { text: string; param: boolean }[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((s) => {
      const m = /^\{(\w+)\}$/.exec(s)
      return m ? { text: fill(m[1] as string), param: true } : { text: s, param: false }
    })
}

function bodyFor(method: string): { headers: Record<string, string>; body?: string } {
  return ['POST', 'PUT', 'PATCH'].includes(method)
    ? { headers: { 'content-type': 'application/json' }, body: '{}' }
    : { headers: {} }
}

function describeAnswer(what: string, a: RawAnswer): string {
  return `${what} -> ${a.status} ${a.code ?? ''} ${a.text.slice(0, 200)}`
}

/** Counts for the closing note, printed once per suite. */
const tally = { server: { tried: 0, refused: 0 }, hub: { tried: 0, refused: 0 } }

describe('security: every server route x every caller', () => {
  let dir: string
  let store: Store
  let app: App
  let link: HubLink
  let base: string
  /** A caller: its Authorization header (or none) and what it may do per org. */
  interface Caller {
    name: string
    authorization?: string
    /** Scopes in each org; absent org: not a member. */
    scopes: Record<string, Scope[]>
    /** Set for credentials the server must refuse as such, with the code it answers. */
    invalid?: string
    /** An API token acts for one org only; a person for each org they belong to. */
    tokenOrg?: string
  }
  const callers: Caller[] = []
  const people = new Map<string, string>()

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahub-security-'))
    store = await Store.open({ dataDir: join(dir, 'data') })
    await store.createOrg('acme', 'Acme')
    await store.createOrg('beta', 'Beta')
    const acmeAdmin = await bootstrapAdmin(store, 'acme', false)
    const users = new UserRepository(store.engine)
    const memberships = new MembershipRepository(store.engine)
    const tokens = new TokenRepository(store.engine)
    const verifier: BearerVerifier = async (bearer) => {
      const userId = people.get(bearer)
      return userId ? { kind: 'user', userId, via: 'oidc', issuer: 'http://test.invalid' } : null
    }
    // The embedded hub, as `ahub start` has it, so the sharing routes reach their handlers.
    link = await openHubLink(store, { AHUB_HUB_MASTER_KEY: TEST_MASTER_KEY })
    app = await buildApp({ store, sharing: link.sharing, verifiers: [verifier], rateLimit: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    if (!address || typeof address === 'string') throw new Error('the server has no port')
    base = `http://127.0.0.1:${address.port}`

    const grants: Record<string, Scope[]> = {
      viewer: ['read'],
      marketer: ['read', 'write', 'share', 'send'],
      admin: ['read', 'write', 'share', 'send', 'admin'],
    }
    async function person(name: string, org: string, role: 'viewer' | 'marketer' | 'admin') {
      const user = await users.create({ email: `${name}@example.com`, name })
      await memberships.set(org, user.id, role)
      const bearer = `person-${crypto.randomUUID()}`
      people.set(bearer, user.id)
      callers.push({ name, authorization: `Bearer ${bearer}`, scopes: { [org]: grants[role] as Scope[] } })
      return user
    }
    async function token(name: string, org: string, userId: string, scopes: Scope[], effective: Scope[]) {
      const { secret } = await tokens.create({ org, userId, name, scopes })
      callers.push({ name, authorization: `Bearer ${secret}`, scopes: { [org]: effective }, tokenOrg: org })
    }
    const viewer = await person('acme-viewer', 'acme', 'viewer')
    await person('acme-marketer', 'acme', 'marketer')
    await person('acme-admin', 'acme', 'admin')
    const betaAdmin = await person('beta-admin', 'beta', 'admin')
    const adminId = acmeAdmin.user.id
    await token('token read', 'acme', adminId, ['read'], ['read'])
    await token('token write (no read)', 'acme', adminId, ['write'], ['write'])
    await token('token read write', 'acme', adminId, ['read', 'write'], ['read', 'write'])
    await token(
      'token read write share',
      'acme',
      adminId,
      ['read', 'write', 'share'],
      ['read', 'write', 'share'],
    )
    await token(
      'token admin',
      'acme',
      adminId,
      ['read', 'write', 'share', 'admin'],
      ['read', 'write', 'share', 'admin'],
    )
    await token('token read send', 'acme', adminId, ['read', 'send'], ['read', 'send'])
    // A viewer's token is bounded by the viewer's role, whatever scopes it was given.
    await token('viewer token read write', 'acme', viewer.id, ['read', 'write', 'admin'], ['read'])
    await token(
      'beta token admin',
      'beta',
      betaAdmin.id,
      ['read', 'write', 'share', 'send', 'admin'],
      grants.admin as Scope[],
    )
    const revoked = await tokens.create({ org: 'acme', userId: adminId, name: 'revoked', scopes: ['read'] })
    await tokens.revoke('acme', revoked.token.id)
    const expired = await tokens.create({
      org: 'acme',
      userId: adminId,
      name: 'expired',
      scopes: ['read'],
      expiresAt: new Date(Date.now() - 60_000),
    })
    callers.push(
      { name: 'no credential', scopes: {}, invalid: 'UNAUTHENTICATED' },
      {
        name: 'forged token',
        authorization: `Bearer ahub_${Buffer.alloc(32, 7).toString('base64url')}`,
        scopes: {},
        invalid: 'UNAUTHENTICATED',
      },
      { name: 'malformed token', authorization: 'Bearer ahub_short', scopes: {}, invalid: 'UNAUTHENTICATED' },
      { name: 'basic auth', authorization: 'Basic YWRtaW46YWRtaW4=', scopes: {}, invalid: 'UNAUTHENTICATED' },
      { name: 'unknown bearer', authorization: 'Bearer not-a-token', scopes: {}, invalid: 'UNAUTHENTICATED' },
      {
        name: 'revoked token',
        authorization: `Bearer ${revoked.secret}`,
        scopes: {},
        invalid: 'TOKEN_REVOKED',
      },
      {
        name: 'expired token',
        authorization: `Bearer ${expired.secret}`,
        scopes: {},
        invalid: 'TOKEN_EXPIRED',
      },
    )
  })

  afterAll(async () => {
    await app?.close()
    await link?.close()
    await store?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** What `caller` must get on a route needing `permission`, with `org` in its path (or none). */
  function expected(caller: Caller, permission: Permission | 'public', org: string | null) {
    if (permission === 'public') return { allowed: true as const }
    if (caller.invalid) return { status: 401, code: caller.invalid }
    if (permission === 'signed-in') return { allowed: true as const }
    if (permission === 'person')
      return caller.tokenOrg ? { status: 403, code: 'FORBIDDEN' } : { allowed: true as const }
    if (org !== null) {
      const scopes = caller.scopes[org]
      if (!scopes) return { status: 404, code: 'ORG_NOT_FOUND' }
      return scopes.includes(permission) ? { allowed: true as const } : { status: 403, code: 'FORBIDDEN' }
    }
    // An org-less route: a token acts with its own org's scopes, a person with those of any org.
    const all = Object.values(caller.scopes).flat()
    return all.includes(permission) ? { allowed: true as const } : { status: 403, code: 'FORBIDDEN' }
  }

  function assertOutcome(
    what: string,
    answer: RawAnswer,
    want: { allowed: true } | { status: number; code: string },
  ): boolean {
    expect(answer.status, describeAnswer(what, answer)).toBeLessThan(500)
    if ('allowed' in want) {
      // Let through: whatever the handler said (usually a validation error for `{}` or an
      // unknown id), it was not a refusal of the caller.
      expect(
        ['UNAUTHENTICATED', 'FORBIDDEN', 'ORG_NOT_FOUND', 'TOKEN_REVOKED', 'TOKEN_EXPIRED'],
        describeAnswer(what, answer),
      ).not.toContain(answer.code)
      return false
    }
    expect({ status: answer.status, code: answer.code }, describeAnswer(what, answer)).toEqual(want)
    return true
  }

  it('lists every route of the OpenAPI document in the table of expectations, with that permission', async () => {
    const doc = await (await fetch(`${base}/openapi.json`)).json()
    const routes = openApiRoutes(doc)
    expect(
      routes.filter((r) => !(r in SERVER_ROUTES)),
      'routes missing from SERVER_ROUTES',
    ).toEqual([])
    expect(
      Object.keys(SERVER_ROUTES).filter((r) => !routes.includes(r)),
      'routes that are gone',
    ).toEqual([])
    const declared = Object.fromEntries(
      app.routeTable.map((r) => [
        `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`,
        r.permission ?? 'public',
      ]),
    )
    for (const route of routes) expect(declared[route], route).toBe(SERVER_ROUTES[route])
  })

  it('answers each caller on each route as its role, scopes and org allow, and nothing else', async () => {
    const doc = await (await fetch(`${base}/openapi.json`)).json()
    const tasks: (() => Promise<void>)[] = []
    for (const route of openApiRoutes(doc)) {
      const [method, template] = route.split(' ') as [string, string]
      const permission = SERVER_ROUTES[route] as Permission | 'public'
      const hasOrg = template.includes('{org}')
      for (const org of hasOrg ? ['acme', 'beta'] : [null]) {
        const path = template
          .replace('{org}', org ?? '')
          .replace('{user}', 'nobody@example.com')
          .replace(/\{\w+\}/g, 'zz_missing')
        for (const caller of callers) {
          tasks.push(async () => {
            const { headers, body } = bodyFor(method)
            if (caller.authorization) headers.authorization = caller.authorization
            const answer = await rawRequest(base, method, path, { headers, body })
            const refused = assertOutcome(
              `${caller.name}: ${method} ${path}`,
              answer,
              expected(caller, permission, org),
            )
            tally.server.tried++
            if (refused) tally.server.refused++
          })
        }
      }
    }
    await pool(tasks, 6)
    expect(tally.server.tried).toBe(tasks.length)
  }, 600_000)

  it('refuses the same callers on encoded, doubled, dotted and mixed-case forms of every path', async () => {
    const doc = await (await fetch(`${base}/openapi.json`)).json()
    const tasks: (() => Promise<void>)[] = []
    let tried = 0
    for (const route of openApiRoutes(doc)) {
      const [method, template] = route.split(' ') as [string, string]
      const permission = SERVER_ROUTES[route] as Permission | 'public'
      if (permission === 'public') continue
      const segments = split(template, (p) =>
        p === 'org' ? 'acme' : p === 'user' ? 'nobody@example.com' : 'zz_missing',
      )
      const org = template.includes('{org}') ? 'acme' : null
      for (const variant of variants(segments)) {
        for (const caller of callers) {
          const want = expected(caller, permission, org)
          tasks.push(async () => {
            const { headers, body } = bodyFor(method)
            if (caller.authorization) headers.authorization = caller.authorization
            const answer = await rawRequest(base, method, variant.path, { headers, body })
            const what = `${caller.name}: ${method} ${variant.path} (${variant.name}, for ${route})`
            tried++
            if (variant.same) {
              // Decoded by the router to the very route: the same answer as the plain path.
              if (assertOutcome(what, answer, want)) tally.server.refused++
              tally.server.tried++
              return
            }
            // Any other form reaches no route, or another object: never a success, never a 5xx, and a
            // caller refused on the plain path is refused here too.
            expect(answer.status, describeAnswer(what, answer)).toBeGreaterThanOrEqual(400)
            expect(answer.status, describeAnswer(what, answer)).toBeLessThan(500)
            if (!('allowed' in want)) {
              expect(REFUSALS.has(answer.code ?? ''), describeAnswer(what, answer)).toBe(true)
            }
            tally.server.tried++
            tally.server.refused++
          })
        }
      }
    }
    await pool(tasks, 6)
    expect(tried).toBe(tasks.length)
  }, 600_000)
})

describe('security: every hub route x every caller', () => {
  let dir: string
  let hub: HubService
  let app: FastifyInstance
  let base: string
  const secrets: Record<string, string> = {}
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahub-security-hub-'))
    hub = await HubService.open({ dataDir: dir, env: { AHUB_HUB_MASTER_KEY: TEST_MASTER_KEY } })
    app = await buildHubApp(hub, { keepAliveMs: 60_000 })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    if (!address || typeof address === 'string') throw new Error('the hub has no port')
    base = `http://127.0.0.1:${address.port}`
    secrets.alpha = (await hub.tokens.create('alpha', 'alpha')).secret
    secrets.beta = (await hub.tokens.create('beta', 'beta')).secret
    const revoked = await hub.tokens.create('alpha', 'revoked')
    await hub.tokens.revoke(revoked.token.id)
    secrets.revoked = revoked.secret
    secrets.admin = adminToken(loadMasterKey(dir, { AHUB_HUB_MASTER_KEY: TEST_MASTER_KEY }))
    const ds = await hub.createDataSource('alpha', {
      label: 'emails',
      alias: 'emails',
      idType: 'declared',
      namespace: 'email_sha256',
      protection: { kind: 'sha256' },
    })
    ids.dataSource = ds.id
    ids.audience = (await hub.createSharedAudience('alpha', { name: 'kept', dataSource: ds.id })).id
    ids.doomed = (await hub.createSharedAudience('alpha', { name: 'doomed', dataSource: ds.id })).id
    ids.token = (await hub.tokens.create('alpha', 'doomed')).token.id
  })

  afterAll(async () => {
    await app?.close()
    await hub?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const CALLERS = ['none', 'forged', 'revoked', 'admin', 'beta', 'alpha'] as const
  type HubCaller = (typeof CALLERS)[number]

  function authorization(caller: HubCaller): string | undefined {
    if (caller === 'none') return undefined
    if (caller === 'forged') return `Bearer ahubhub_${Buffer.alloc(32, 9).toString('base64url')}`
    return `Bearer ${secrets[caller]}`
  }

  /** The answer a caller must get: alpha owns the objects; beta sees none of them. */
  function expected(caller: HubCaller, access: 'public' | 'org' | 'admin', template: string) {
    if (access === 'public') return { allowed: true as const }
    if (access === 'admin')
      return caller === 'admin' ? { allowed: true as const } : { status: 401, code: 'HUB_TOKEN_INVALID' }
    if (caller !== 'alpha' && caller !== 'beta') return { status: 401, code: 'HUB_TOKEN_INVALID' }
    if (caller === 'beta' && template.includes('{id}')) return { status: 404, code: 'HUB_NOT_FOUND' }
    return { allowed: true as const }
  }

  function pathOf(method: string, template: string): string {
    const id = template.startsWith('/v1/admin/')
      ? ids.token
      : template.startsWith('/v1/data-sources/')
        ? ids.dataSource
        : method === 'DELETE'
          ? ids.doomed
          : ids.audience
    return template.replace('{id}', id as string)
  }

  function assertHub(
    what: string,
    answer: RawAnswer,
    want: { allowed: true } | { status: number; code: string },
  ) {
    expect(answer.status, describeAnswer(what, answer)).toBeLessThan(500)
    if ('allowed' in want) {
      expect(['HUB_TOKEN_INVALID', 'HUB_NOT_FOUND'], describeAnswer(what, answer)).not.toContain(answer.code)
      return false
    }
    expect({ status: answer.status, code: answer.code }, describeAnswer(what, answer)).toEqual(want)
    return true
  }

  it('lists every route of its OpenAPI document in the table of expectations', async () => {
    const routes = openApiRoutes(await (await fetch(`${base}/openapi.json`)).json())
    expect(
      routes.filter((r) => !(r in HUB_ROUTES)),
      'routes missing from HUB_ROUTES',
    ).toEqual([])
    expect(
      Object.keys(HUB_ROUTES).filter((r) => !routes.includes(r)),
      'routes that are gone',
    ).toEqual([])
  })

  it('answers each caller on each route (and its encoded forms) as its access allows', async () => {
    const routes = openApiRoutes(await (await fetch(`${base}/openapi.json`)).json())
    // Deletions last, each caller in turn with the owner last, so the objects exist for every call.
    routes.sort((a, b) => Number(a.startsWith('DELETE')) - Number(b.startsWith('DELETE')))
    for (const route of routes) {
      const [method, template] = route.split(' ') as [string, string]
      const access = HUB_ROUTES[route] as 'public' | 'org' | 'admin'
      const path = pathOf(method, template)
      // Valid input where the service checks it before the object, so the object check is what answers.
      const query =
        route === 'POST /v1/shared-audiences/{id}/versions'
          ? '?requestId=security-suite'
          : route === 'GET /v1/shared-audiences/{id}/changes'
            ? '?since=0'
            : ''
      const forms: Variant[] = [{ name: 'plain', path, same: true }, ...variants(split(path, (p) => p))].map(
        (v) => ({ ...v, path: v.path + query }),
      )
      const input =
        route === 'PUT /v1/shared-audiences/{id}/shared-with'
          ? { headers: { 'content-type': 'application/json' }, body: '{"orgs":[]}' }
          : route === 'POST /v1/shared-audiences/{id}/versions'
            ? // IDs of the data source's shape (SHA-256 hex), so access is what decides the answer.
              { headers: { 'content-type': 'text/plain' }, body: `${sha256Hex('a')}\n${sha256Hex('b')}\n` }
            : bodyFor(method)
      for (const form of forms) {
        for (const caller of CALLERS) {
          // A deletion happens once, by the plain path; its refusals are tried on every form.
          const want = expected(caller, access, template)
          if (method === 'DELETE' && 'allowed' in want && form.name !== 'plain') continue
          const headers = { ...input.headers }
          const body = input.body
          const auth = authorization(caller)
          if (auth) headers.authorization = auth
          const answer = await rawRequest(base, method, form.path, { headers, body })
          const what = `${caller}: ${method} ${form.path} (${form.name})`
          tally.hub.tried++
          if (form.same) {
            if (assertHub(what, answer, want)) tally.hub.refused++
            continue
          }
          expect(answer.status, describeAnswer(what, answer)).toBeGreaterThanOrEqual(400)
          expect(answer.status, describeAnswer(what, answer)).toBeLessThan(500)
          expect(REFUSALS.has(answer.code ?? ''), describeAnswer(what, answer)).toBe(true)
          tally.hub.refused++
        }
      }
    }
    // The admin credential's token list: no org's token appeared through an encoded admin path.
    const listed = await hub.tokens.list()
    expect(listed.map((t) => t.org).sort()).toEqual(['alpha', 'alpha', 'alpha', 'beta'])
    // For the closing note: routes x callers tried and refused, on both services.
    process.stdout.write(
      `security routes: server ${tally.server.tried} tried / ${tally.server.refused} refused; hub ${tally.hub.tried} tried / ${tally.hub.refused} refused\n`,
    )
  }, 600_000)

  it('gives org tokens no way into the admin routes through percent-encoding (issue 13 item 1)', async () => {
    const before = (await hub.tokens.list('beta')).length
    for (const path of [
      '/v1/%61dmin/tokens',
      '/v1/%61%64%6d%69%6e/tokens',
      '/v1/admi%6e/tokens',
      '/v1/admin/%74okens',
    ]) {
      const created = await rawRequest(base, 'POST', path, {
        headers: { authorization: `Bearer ${secrets.alpha}`, 'content-type': 'application/json' },
        body: JSON.stringify({ org: 'beta', name: 'stolen' }),
      })
      expect({ status: created.status, code: created.code }, path).toEqual({
        status: 401,
        code: 'HUB_TOKEN_INVALID',
      })
      const listed = await rawRequest(base, 'GET', path, {
        headers: { authorization: `Bearer ${secrets.alpha}` },
      })
      expect(listed.status, path).toBe(401)
      expect(listed.text).not.toContain('"org":"beta"')
    }
    const revoke = await rawRequest(base, 'DELETE', `/v1/%61dmin/tokens/${ids.token}`, {
      headers: { authorization: `Bearer ${secrets.beta}` },
    })
    expect(revoke.status).toBe(401)
    expect((await hub.tokens.list('beta')).length).toBe(before)
    // The admin credential still works through the same encoded path: the route, not the text, decides.
    const made = await rawRequest(base, 'POST', '/v1/%61dmin/tokens', {
      headers: { authorization: `Bearer ${secrets.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ org: 'gamma', name: 'by admin' }),
    })
    expect(made.status, made.text).toBe(201)
  })
})

describe("security: the framework's own refusals answer in the coded shape", () => {
  let dir: string
  let store: Store
  let app: App
  let hubApp: FastifyInstance
  let hub: HubService
  let token: string
  let hubToken: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahub-security-errors-'))
    store = await Store.open({ dataDir: join(dir, 'data') })
    await store.createOrg('acme', 'Acme')
    token = (await bootstrapAdmin(store, 'acme', true)).secret as string
    app = await buildApp({ store, rateLimit: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    hub = await HubService.open({ dataDir: join(dir, 'hub'), env: { AHUB_HUB_MASTER_KEY: TEST_MASTER_KEY } })
    hubApp = await buildHubApp(hub)
    await hubApp.listen({ port: 0, host: '127.0.0.1' })
    hubToken = (await hub.tokens.create('acme', 'errors')).secret
  })
  afterAll(async () => {
    await app?.close()
    await hubApp?.close()
    await hub?.close()
    await store?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const urlOf = (a: FastifyInstance) => `http://127.0.0.1:${(a.server.address() as { port: number }).port}`

  /** Writes bytes to a socket and reads the whole answer (for requests no HTTP client would send). */
  async function rawSocket(base: string, bytes: string): Promise<{ status: number; body: string }> {
    const { connect } = await import('node:net')
    const url = new URL(base)
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write(bytes))
      let text = ''
      socket.on('data', (c) => {
        text += c.toString('utf8')
      })
      socket.on('error', reject)
      socket.on('close', () => {
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)
        resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) })
      })
    })
  }

  it.each([
    ['server', () => urlOf(app), '/v1/orgs/acme/rules/count', () => token],
    ['hub', () => urlOf(hubApp), '/v1/data-sources', () => hubToken],
  ])(
    '%s: bad URL, bad JSON, 415, 413, 404 and malformed HTTP each get their code',
    async (_name, base, post, secret) => {
      const auth = { authorization: `Bearer ${secret()}` }
      const cases: [string, Promise<RawAnswer>, number, string][] = [
        ['bad URL', rawRequest(base(), 'GET', '/v1/%zz', { headers: auth }), 400, 'BAD_URL'],
        [
          'bad URL in a route',
          rawRequest(base(), 'GET', `${post}/%E0%A4%A`, { headers: auth }),
          400,
          'BAD_URL',
        ],
        [
          'bad JSON',
          rawRequest(base(), 'POST', post, {
            headers: { ...auth, 'content-type': 'application/json' },
            body: '{"a":',
          }),
          400,
          'BAD_JSON',
        ],
        [
          'unsupported media type',
          rawRequest(base(), 'POST', post, {
            headers: { ...auth, 'content-type': 'application/xml' },
            body: '<a/>',
          }),
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        ],
        [
          'body too large',
          rawRequest(base(), 'POST', post, {
            headers: { ...auth, 'content-type': 'application/json' },
            body: `{"x":"${'a'.repeat(1_100_000)}"}`,
          }),
          413,
          'BODY_TOO_LARGE',
        ],
        ['no route', rawRequest(base(), 'GET', '/v1/nothing-here', { headers: auth }), 404, 'NOT_FOUND'],
      ]
      for (const [what, pending, status, code] of cases) {
        const answer = await pending
        expect({ status: answer.status, code: answer.code }, `${what}: ${answer.text}`).toEqual({
          status,
          code,
        })
        const body = JSON.parse(answer.text) as { error: Record<string, unknown> }
        expect(Object.keys(body)).toEqual(['error'])
        expect(typeof body.error.message).toBe('string')
        expect(answer.text).not.toMatch(/FST_ERR|statusCode/)
      }
      const garbage = await rawSocket(base(), 'GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n')
      expect(garbage.status).toBe(400)
      expect(JSON.parse(garbage.body)).toEqual({
        error: { code: 'BAD_REQUEST', message: expect.any(String) },
      })
    },
  )
})
