import { AppError, isAppError, type Role, type Scope } from '@ahub/core'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TokenRepository } from '../tokens'
import type { AccessCache } from './access'
import type { AuditLog } from './audit'
import type { BearerVerifier, Caller } from './caller'
import { allows, effectiveScopes, type Permission } from './permissions'

export type { Permission } from './permissions'

/** What the caller may do in the org of the route (or, for org-less routes, where they belong). */
export interface Access {
  org: string | null
  role: Role | null
  scopes: Scope[]
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller
    access?: Access
    /** Set by a route to name what a change was done to, for the audit log. */
    auditTarget?: string
    /** Set by a route to add facts (no secrets) to the audit event of a change. */
    auditDetails?: Record<string, unknown>
    /** Set by a route whose change belongs to an org not in its path (creating one). */
    auditOrg?: string
    /** Set once the request has been audited (a refusal), so it is not recorded twice. */
    audited?: boolean
  }
}

export interface AuthDeps {
  tokens: TokenRepository
  access: AccessCache
  audit: AuditLog
  /** Tried in order after API tokens (e.g. the OpenID Connect JWT verifier). */
  verifiers: BearerVerifier[]
}

/** Audit action names of the changes routes make; other routes are named `METHOD /path`. */
const ACTIONS: Record<string, string> = {
  'POST /v1/orgs/:org/schemas': 'schema.apply',
  'POST /v1/orgs/:org/schemas/infer': 'schema.infer',
  'POST /v1/orgs/:org/datasets/:table/batches': 'dataset.ingest',
  'POST /v1/orgs/:org/tokens': 'token.create',
  'DELETE /v1/orgs/:org/tokens/:id': 'token.revoke',
  'POST /v1/orgs': 'org.create',
  'POST /v1/orgs/:org/members': 'member.add',
  'PUT /v1/orgs/:org/members/:user': 'member.role',
  'DELETE /v1/orgs/:org/members/:user': 'member.remove',
  'PUT /v1/orgs/:org/members/:user/disabled': 'member.disable',
  'POST /v1/me/invitations/:invitation/accept': 'member.accept',
  'DELETE /v1/me/invitations/:invitation': 'member.decline',
  'PUT /v1/orgs/:org/members/:user/password': 'user.password',
  'PUT /v1/me/password': 'me.password',
  'PUT /v1/orgs/:org/audiences/:id/schedule': 'audience.schedule',
  'DELETE /v1/orgs/:org/audiences/:id/schedule': 'audience.unschedule',
  'POST /v1/orgs/:org/sharing/data-sources': 'share.data_source.create',
  'POST /v1/orgs/:org/sharing/exports': 'share.export',
  'POST /v1/orgs/:org/sharing/imports': 'share.import',
  'POST /v1/orgs/:org/sharing/imports/:id/sync': 'share.sync',
  'PUT /v1/orgs/:org/channel-providers/:id': 'channel.provider.put',
  'DELETE /v1/orgs/:org/channel-providers/:id': 'channel.provider.delete',
  'POST /v1/orgs/:org/campaigns/:id/activities/:activity/proof': 'channel.proof',
  'POST /v1/orgs/:org/campaigns/:id/runs/:run/activities/:activity/confirm-send': 'channel.confirm_send',
}

/** The audit action of a route, as recorded for changes. */
export function auditAction(method: string, url: string): string {
  return ACTIONS[`${method} ${url}`] ?? `${method} ${url}`
}

/**
 * Refusals recorded per client address, reason, organisation and minute, and per address and
 * minute overall; more are not written, against floods. Counting per organisation keeps refusals
 * on a made-up organisation from hiding those on a real one.
 */
const DENIALS_PER_MINUTE = 30
const DENIALS_PER_ADDRESS_PER_MINUTE = 300

/**
 * Every route that declares a permission requires a bearer credential (API token or a verifier's),
 * and a route with an `:org` parameter answers only members of that organisation (others get a
 * 404, not a hint that it exists) whose role (and token scopes) grant the permission. Refusals and
 * the first use of a token each minute are audited, and so is every change.
 */
export function registerAuth(app: FastifyInstance, deps: AuthDeps): void {
  const denials = new Map<string, { count: number; until: number }>()

  async function deny(req: FastifyRequest, err: AppError, org: string | null): Promise<void> {
    req.audited = true
    const now = Date.now()
    const over = (key: string, max: number) => {
      const seen = denials.get(key)
      if (!seen || seen.until < now) denials.set(key, { count: 1, until: now + 60_000 })
      else if (++seen.count > max) return true
      return false
    }
    if (over(`${req.ip}`, DENIALS_PER_ADDRESS_PER_MINUTE)) return
    if (over(`${req.ip} ${err.code} ${org ?? '-'}`, DENIALS_PER_MINUTE)) return
    if (denials.size > 10_000) for (const [k, d] of denials) if (d.until < now) denials.delete(k)
    await deps.audit.record(
      {
        action: req.caller ? 'access.denied' : 'auth.denied',
        outcome: 'denied',
        org,
        target: `${req.method} ${req.routeOptions.url}`,
        reason: err.code,
      },
      req,
    )
  }

  async function resolveCaller(req: FastifyRequest): Promise<Caller> {
    const header = req.headers.authorization
    const match = typeof header === 'string' ? /^Bearer ([^\s]+)$/i.exec(header) : null
    if (!match) throw new AppError('UNAUTHENTICATED', 'Sign in: send Authorization: Bearer <token>')
    const bearer = match[1]!
    const token = await deps.tokens.verify(bearer)
    if (token) {
      req.caller = token.caller
      if (token.firstUseThisMinute) {
        const caller = token.caller as Extract<Caller, { kind: 'token' }>
        await deps.audit.record({ action: 'token.use', org: caller.org, target: caller.tokenId }, req)
      }
      return token.caller
    }
    for (const verify of deps.verifiers) {
      const caller = await verify(bearer, { ip: req.ip })
      if (caller) return caller
    }
    throw new AppError('UNAUTHENTICATED', 'Unknown credential')
  }

  async function resolveAccess(
    caller: Caller,
    org: string | undefined,
    permission: Permission,
  ): Promise<Access> {
    if (await deps.access.isDisabled(caller.userId))
      throw new AppError('USER_DISABLED', 'This user is disabled')
    if (org !== undefined) {
      if (caller.kind === 'token' && caller.org !== org)
        throw new AppError('ORG_NOT_FOUND', 'No such organisation')
      const role = await deps.access.roleIn(caller.userId, org)
      if (!role && (await deps.access.membershipIn(caller.userId, org))?.status === 'disabled')
        throw new AppError('MEMBERSHIP_DISABLED', 'Your membership of this organisation is disabled')
      if (!role) {
        if (caller.kind === 'token')
          throw new AppError(
            'FORBIDDEN',
            'The creator of this token is no longer a member of the organisation',
          )
        throw new AppError('ORG_NOT_FOUND', 'No such organisation')
      }
      return { org, role, scopes: effectiveScopes(caller, role) }
    }
    if (permission === 'person' && caller.kind === 'token')
      throw new AppError(
        'FORBIDDEN',
        'Sign in as yourself (the web app or `ahub login`) for this, not with an API token',
      )
    if (permission === 'signed-in' || permission === 'person' || caller.kind === 'token') {
      const home = caller.kind === 'token' ? caller.org : null
      const role = home ? await deps.access.roleIn(caller.userId, home) : null
      return { org: home, role, scopes: role ? effectiveScopes(caller, role) : [] }
    }
    // An org-less action by a person (creating an organisation): what they may do anywhere.
    const scopes = new Set<Scope>()
    for (const m of await deps.access.membershipsOf(caller.userId))
      for (const s of effectiveScopes(caller, m.role)) scopes.add(s)
    return { org: null, role: null, scopes: [...scopes] }
  }

  app.addHook('onRequest', async (req: FastifyRequest) => {
    const permission = req.routeOptions.config?.permission
    if (!permission) return
    // Checked before the body is read: a refused caller gets nothing buffered.
    const org = (req.params as Record<string, string> | undefined)?.org
    try {
      const caller = await resolveCaller(req)
      req.caller = caller
      const access = await resolveAccess(caller, org, permission)
      if (!allows(access.scopes, permission)) {
        throw new AppError('FORBIDDEN', `Not allowed to ${permission} here`, {
          details: { role: access.role, scopes: access.scopes, needs: permission },
        })
      }
      req.access = access
    } catch (err) {
      if (isAppError(err)) await deny(req, err, org ?? (req.caller?.kind === 'token' ? req.caller.org : null))
      throw err
    }
  })

  // Recorded before the answer leaves, so a caller who reads the log next finds the event.
  app.addHook('onSend', async (req, reply) => {
    const { permission, readOnly } = req.routeOptions.config ?? {}
    if (!permission || readOnly || req.audited || req.method === 'GET' || req.method === 'HEAD') return
    const status = reply.statusCode
    const { org, ...params } = (req.params as Record<string, string> | undefined) ?? {}
    const target = req.auditTarget ?? (Object.values(params).join('/') || null)
    await deps.audit.record(
      {
        action: auditAction(req.method, req.routeOptions.url ?? req.url),
        outcome: status < 400 ? 'ok' : status === 401 || status === 403 ? 'denied' : 'failed',
        org: org ?? req.auditOrg ?? req.access?.org ?? null,
        target,
        details: { status, ...req.auditDetails },
      },
      req,
    )
  })
}
