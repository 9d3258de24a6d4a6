import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ApiError, AudienceHubClient } from '@ahub/client'
import {
  type App,
  type BearerVerifier,
  BOOTSTRAP_ADMIN_EMAIL,
  bootstrapAdmin,
  buildApp,
  isPublicRoute,
  permissionTable,
  TokenRepository,
} from '@ahub/server'
import {
  AuditRepository,
  CredentialRepository,
  MembershipRepository,
  Store,
  UserRepository,
} from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

interface Answer {
  status: number
  headers: Headers
  text: string
  body: unknown
}

/** Users, organisations, API tokens, permissions, audit and hardening, on a real server. */
describe('access control on a real server', () => {
  let dir: string
  let store: Store
  let app: App
  let base: string
  let adminSecret: string
  let adminId: string
  /** Bearer secrets of people "signed in through OpenID Connect", by e-mail. */
  const people = new Map<string, string>()
  const personSecret = new Map<string, string>()
  const seenRoutes = new Set<string>()

  const client = (token: string, org = 'acme') => new AudienceHubClient(base, token, org)
  let admin: AudienceHubClient

  async function call(
    method: string,
    path: string,
    options: { token?: string; headers?: Record<string, string>; json?: unknown; body?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers }
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`
    let body = options.body
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.json)
    }
    const res = await fetch(`${base}${path}`, { method, headers, body })
    const text = await res.text()
    let parsed: unknown = null
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = null
    }
    return { status: res.status, headers: res.headers, text, body: parsed }
  }

  function expectError(answer: Answer, status: number, code: string) {
    expect(answer.status, answer.text).toBe(status)
    expect((answer.body as { error?: { code?: string } }).error?.code, answer.text).toBe(code)
  }

  async function apiError(promise: Promise<unknown>): Promise<ApiError> {
    try {
      await promise
    } catch (e) {
      if (e instanceof ApiError) return e
      throw e
    }
    throw new Error('expected the call to fail with an ApiError')
  }

  /** Adds a person to acme (as admin) and returns a bearer that signs them in. */
  async function person(email: string, role: 'viewer' | 'marketer' | 'admin', org = 'acme'): Promise<string> {
    const { user } = await client(adminSecret, org).addMember({ email, role })
    const secret = personSecret.get(user.id) ?? `person-${crypto.randomUUID()}`
    people.set(secret, user.id)
    personSecret.set(user.id, secret)
    return secret
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahub-access-'))
    store = await Store.open({ dataDir: join(dir, 'data') })
    await store.createOrg('acme', 'Acme')
    await store.createOrg('beta', 'Beta')
    const boot = await bootstrapAdmin(store, 'acme', true)
    adminSecret = boot.secret!
    adminId = boot.user.id
    // Stands in for the sign-in module's JWT verifier: a fixed secret per person.
    const verifier: BearerVerifier = async (bearer) => {
      const userId = people.get(bearer)
      return userId ? { kind: 'user', userId, via: 'oidc', issuer: 'http://test.invalid' } : null
    }
    app = await buildApp({ store, verifiers: [verifier], rateLimit: false })
    app.get(
      '/v1/probe/orgs/:org/share',
      { config: { permission: 'share' }, schema: { hide: true } },
      async () => ({ ok: true }),
    )
    app.addHook('onResponse', async (req) => {
      if (req.routeOptions.url)
        seenRoutes.add(`${req.method} ${req.routeOptions.url.replace(/:(\w+)/g, '{$1}')}`)
    })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    if (!address || typeof address === 'string') throw new Error('the server has no port')
    base = `http://127.0.0.1:${address.port}`
    admin = client(adminSecret)
  })

  afterAll(async () => {
    await app?.close()
    await store?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  describe('the first admin', () => {
    it('is admin@localhost, admin of the demo org, with a token holding every scope', async () => {
      const me = await admin.me()
      expect(me).toMatchObject({
        user: { email: BOOTSTRAP_ADMIN_EMAIL, disabled: false },
        via: 'token',
        token: { org: 'acme', scopes: ['read', 'write', 'share', 'send', 'admin'] },
        memberships: [{ org: 'acme', role: 'admin' }],
      })
      const again = await bootstrapAdmin(store, 'acme', false)
      expect(again).toEqual({ user: expect.objectContaining({ id: adminId }), secret: null })
      expect((await admin.listTokens()).tokens).toHaveLength(1)
    })
  })

  describe('API tokens', () => {
    it('are shown once, listed by prefix without the secret, and work at once', async () => {
      const created = await admin.createToken({ name: 'ci', scopes: ['read'], expiresInDays: 30 })
      expect(created.secret).toMatch(/^ahub_[A-Za-z0-9_-]{43}$/)
      expect(created.token).toMatchObject({ name: 'ci', org: 'acme', userId: adminId, scopes: ['read'] })
      expect(created.secret.startsWith(created.token.prefix)).toBe(true)
      const days = (Date.parse(created.token.expiresAt!) - Date.now()) / 86_400_000
      expect(days).toBeGreaterThan(29.9)
      expect(days).toBeLessThan(30.1)
      const listed = await call('GET', '/v1/orgs/acme/tokens', { token: adminSecret })
      expect(listed.text).toContain(created.token.id)
      expect(listed.text).not.toContain(created.secret)
      expect(listed.text).not.toContain(created.secret.slice(12))
      expect((await client(created.secret).listDatasets()).datasets).toEqual([])
      expect(await apiError(client(created.secret).applySchema({ text: 'tables: {}' }))).toMatchObject({
        status: 403,
        code: 'FORBIDDEN',
      })
    })

    it('never exceed what their creator may do, and follow the creator role as it changes', async () => {
      const marketer = client(await person('mia@example.com', 'marketer'))
      expect(await apiError(marketer.createToken({ name: 'x', scopes: ['admin'] }))).toMatchObject({
        status: 403,
        code: 'FORBIDDEN',
      })
      const { secret } = await marketer.createToken({ name: 'loader', scopes: ['read', 'write'] })
      expect((await client(secret).me()).token?.scopes).toEqual(['read', 'write'])

      const second = client(await person('ada@example.com', 'admin'))
      const strong = await second.createToken({ name: 'ops', scopes: ['read', 'admin'] })
      expect((await client(strong.secret).listMembers()).members.length).toBeGreaterThan(1)
      await admin.setRole('ada@example.com', 'viewer')
      expect(await apiError(client(strong.secret).listMembers())).toMatchObject({
        status: 403,
        code: 'FORBIDDEN',
      })
      expect((await client(strong.secret).me()).token?.scopes).toEqual(['read'])
      await admin.setRole('ada@example.com', 'admin')
      expect((await client(strong.secret).listMembers()).members.length).toBeGreaterThan(1)
    })

    it('reject bad expiry input', async () => {
      const past = await call('POST', '/v1/orgs/acme/tokens', {
        token: adminSecret,
        json: { name: 'x', expiresAt: new Date(Date.now() - 1000).toISOString() },
      })
      expectError(past, 400, 'VALIDATION_FAILED')
      const both = await call('POST', '/v1/orgs/acme/tokens', {
        token: adminSecret,
        json: { name: 'x', expiresInDays: 1, expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
      })
      expectError(both, 400, 'VALIDATION_FAILED')
      const unknown = await call('POST', '/v1/orgs/acme/tokens', {
        token: adminSecret,
        json: { name: 'x', scopes: ['root'] },
      })
      expectError(unknown, 400, 'VALIDATION_FAILED')
    })

    it('stop working the moment they are revoked, even when just used', async () => {
      const { token, secret } = await admin.createToken({ name: 'short-lived', scopes: ['read'] })
      for (let i = 0; i < 3; i++) await client(secret).listDatasets()
      const revoked = await admin.revokeToken(token.id)
      expect(revoked.revokedAt).not.toBeNull()
      expectError(await call('GET', '/v1/orgs/acme/datasets', { token: secret }), 401, 'TOKEN_REVOKED')
      expect((await admin.revokeToken(token.id)).revokedAt).toBe(revoked.revokedAt)
    })

    it('record their last use at most once a minute', async () => {
      const { token, secret } = await admin.createToken({ name: 'polled', scopes: ['read'] })
      expect(token.lastUsedAt).toBeNull()
      for (let i = 0; i < 5; i++) await client(secret).listDatasets()
      const listed = (await admin.listTokens()).tokens.find((t) => t.id === token.id)!
      expect(Date.parse(listed.lastUsedAt!)).toBeGreaterThan(Date.now() - 60_000)
      const uses = (await admin.audit({ action: 'token.use' })).events.filter((e) => e.target === token.id)
      expect(uses).toHaveLength(1)
    })

    it('are listed and revoked by their owner; only an admin sees and revokes everyone’s', async () => {
      const viewerBearer = await person('vic@example.com', 'viewer')
      const viewer = client(viewerBearer)
      const own = await viewer.createToken({ name: 'mine' })
      expect(own.token.scopes).toEqual(['read'])
      expect((await viewer.listTokens()).tokens.map((t) => t.id)).toEqual([own.token.id])
      const adminTokens = (await admin.listTokens()).tokens
      expect(adminTokens.map((t) => t.id)).toContain(own.token.id)
      const others = adminTokens.find((t) => t.userId === adminId)!
      expect(await apiError(viewer.revokeToken(others.id))).toMatchObject({
        status: 404,
        code: 'TOKEN_NOT_FOUND',
      })
      expect((await viewer.revokeToken(own.token.id)).revokedAt).not.toBeNull()
    })
  })

  describe('members and organisations', () => {
    it('adds, re-roles and removes members; removing revokes their tokens', async () => {
      const bearer = await person('rob@example.com', 'marketer')
      const { secret } = await client(bearer).createToken({ name: 'rob', scopes: ['read'] })
      const members = (await admin.listMembers()).members
      expect(members.find((m) => m.user.email === 'rob@example.com')?.role).toBe('marketer')
      expect((await admin.setRole('rob@example.com', 'viewer')).role).toBe('viewer')
      expect(await admin.removeMember('rob@example.com')).toMatchObject({ tokensRevoked: 1 })
      expectError(await call('GET', '/v1/orgs/acme/datasets', { token: secret }), 401, 'TOKEN_REVOKED')
      expectError(await call('GET', '/v1/orgs/acme/datasets', { token: bearer }), 404, 'ORG_NOT_FOUND')
      expect(await apiError(admin.removeMember('rob@example.com'))).toMatchObject({ code: 'USER_NOT_FOUND' })
      expect(await apiError(admin.addMember({ email: 'not-an-email', role: 'viewer' }))).toMatchObject({
        status: 400,
      })
    })

    it('creates organisations for admins, who become their admin and cannot leave it without one', async () => {
      const viewer = client(await person('val@example.com', 'viewer'))
      expect(await apiError(viewer.createOrg('gamma', 'Gamma'))).toMatchObject({
        status: 403,
        code: 'FORBIDDEN',
      })
      const created = await admin.createOrg('gamma', 'Gamma')
      expect(created).toMatchObject({ id: 'gamma', name: 'Gamma', role: 'admin' })
      expect((await admin.listOrgs()).orgs.map((o) => o.id)).toEqual(['acme'])
      const ada = client(
        personSecret.get(
          (
            await store.engine.query<{ id: string }>(
              "SELECT id FROM meta.users WHERE email = 'ada@example.com'",
            )
          )[0]!.id,
        )!,
      )
      await ada.createOrg('delta', 'Delta')
      expect((await ada.listOrgs()).orgs.map((o) => [o.id, o.role])).toEqual([
        ['acme', 'admin'],
        ['delta', 'admin'],
      ])
      const delta = client(personSecret.get((await ada.me()).user.id)!, 'delta')
      expect(await apiError(delta.setRole((await ada.me()).user.id, 'viewer'))).toMatchObject({
        status: 409,
        code: 'LAST_ADMIN',
      })
      expect(await apiError(delta.removeMember('ada@example.com'))).toMatchObject({ code: 'LAST_ADMIN' })
      expect(await apiError(admin.createOrg('Bad Id', 'x'))).toMatchObject({ code: 'INVALID_IDENTIFIER' })
      expect(await apiError(admin.createOrg('gamma', 'again'))).toMatchObject({
        status: 409,
        code: 'CONFLICT',
      })
    })

    it('disables a membership in one organisation only, never the person', async () => {
      const bearer = await person('dan@example.com', 'marketer')
      const danId = (await client(bearer).me()).user.id
      await store.createOrg('dano', 'Dan and co')
      await new MembershipRepository(store.engine).set('dano', danId, 'admin')
      const { secret } = await client(bearer).createToken({ name: 'dan', scopes: ['read'] })
      const disabled = await admin.setDisabled('dan@example.com', true)
      expect(disabled).toMatchObject({ status: 'disabled', user: { disabled: false } })
      expectError(await call('GET', '/v1/orgs/acme/datasets', { token: secret }), 403, 'MEMBERSHIP_DISABLED')
      expectError(await call('GET', '/v1/orgs/acme/datasets', { token: bearer }), 403, 'MEMBERSHIP_DISABLED')
      // Dan's own organisation, and Dan himself, are untouched.
      expect((await client(bearer, 'dano').listDatasets()).datasets).toEqual([])
      expect((await client(bearer).me()).memberships).toEqual([{ org: 'dano', role: 'admin' }])
      await admin.setDisabled('dan@example.com', false)
      expect((await client(secret).listDatasets()).datasets).toEqual([])
      expect(await apiError(admin.setDisabled(adminId, true))).toMatchObject({
        status: 403,
        code: 'FORBIDDEN',
      })
    })

    describe('a person who belongs to several organisations', () => {
      // Tom is a marketer of acme who signs in only through an external provider (no password).
      // Bea is the admin of beta. Nothing Bea does may reach Tom's account or his acme membership.
      let tom: string
      let tomId: string
      let tomToken: string
      let bea: AudienceHubClient
      let beaSecret: string
      const passwords = {
        has: async (userId: string) =>
          (await new CredentialRepository(store.engine).passwordHash(userId)) !== undefined,
      }

      beforeAll(async () => {
        tom = await person('tom@example.com', 'marketer')
        tomId = (await client(tom).me()).user.id
        tomToken = (await client(tom).createToken({ name: 'tom', scopes: ['read'] })).secret
        const beaUser = await new UserRepository(store.engine).create({ email: 'bea@example.com' })
        await new MembershipRepository(store.engine).set('beta', beaUser.id, 'admin')
        beaSecret = `person-${crypto.randomUUID()}`
        people.set(beaSecret, beaUser.id)
        bea = client(beaSecret, 'beta')
      })

      const tomStillWorksInAcme = async () => {
        expect((await client(tom).listDatasets()).datasets).toEqual([])
        expect((await client(tomToken).listDatasets()).datasets).toEqual([])
        expect((await admin.listMembers()).members.find((m) => m.user.id === tomId)).toMatchObject({
          role: 'marketer',
          status: 'active',
          user: { disabled: false },
        })
      }

      it('is invited, not enrolled, when another org adds an e-mail that has an account', async () => {
        const added = await bea.addMember({ email: 'TOM@example.com', role: 'viewer' })
        expect(added).toMatchObject({ status: 'invited', role: 'viewer', user: { id: tomId } })
        expectError(await call('GET', '/v1/orgs/beta/datasets', { token: tom }), 404, 'ORG_NOT_FOUND')
        expect((await bea.setRole('tom@example.com', 'marketer')).status).toBe('invited')
        expect(await apiError(bea.setDisabled('tom@example.com', true))).toMatchObject({
          status: 409,
          code: 'INVITATION_PENDING',
        })
        expect(await apiError(bea.setFirstPassword('tom@example.com', 'bea-knows-this'))).toMatchObject({
          status: 403,
          code: 'USER_NOT_MANAGED',
        })
        expect(await passwords.has(tomId)).toBe(false)
        await tomStillWorksInAcme()
      })

      it('is answered by the person only, signed in as themselves', async () => {
        expect(await client(tom).listInvitations()).toEqual({
          invitations: [{ org: 'beta', orgName: 'Beta', role: 'marketer', invitedBy: 'bea@example.com' }],
        })
        expect(await apiError(client(tomToken).acceptInvitation('beta'))).toMatchObject({
          status: 403,
          code: 'FORBIDDEN',
        })
        expect(await apiError(bea.acceptInvitation('beta'))).toMatchObject({
          status: 404,
          code: 'INVITATION_NOT_FOUND',
        })
        expect(await client(tom).acceptInvitation('beta')).toEqual({ org: 'beta', role: 'marketer' })
        expect((await client(tom, 'beta').listDatasets()).datasets).toEqual([])
        expect(await apiError(client(tom).acceptInvitation('beta'))).toMatchObject({
          code: 'INVITATION_NOT_FOUND',
        })
      })

      it("cannot be disabled, given a password or removed from acme by beta's admin", async () => {
        const inBeta = await bea.setDisabled('tom@example.com', true)
        expect(inBeta).toMatchObject({ status: 'disabled', user: { disabled: false } })
        expectError(await call('GET', '/v1/orgs/beta/datasets', { token: tom }), 403, 'MEMBERSHIP_DISABLED')
        await tomStillWorksInAcme()
        expect((await client(tom).me()).user.disabled).toBe(false)
        expect(await apiError(bea.setFirstPassword('tom@example.com', 'bea-knows-this'))).toMatchObject({
          status: 403,
          code: 'USER_NOT_MANAGED',
        })
        expect(await passwords.has(tomId)).toBe(false)
        expect(await bea.removeMember('tom@example.com')).toMatchObject({ removed: tomId })
        await tomStillWorksInAcme()
        // Beta's view of people stops at beta: acme's members are not beta's to list or change.
        expect((await bea.listMembers()).members.map((m) => m.user.email)).toEqual(['bea@example.com'])
        for (const [method, path, json] of [
          ['PUT', '/v1/orgs/acme/members/tom@example.com/disabled', { disabled: true }],
          ['PUT', '/v1/orgs/acme/members/tom@example.com/password', { password: 'x' }],
          ['PUT', '/v1/orgs/acme/members/tom@example.com', { role: 'viewer' }],
          ['DELETE', '/v1/orgs/acme/members/tom@example.com', undefined],
          ['GET', '/v1/orgs/acme/members', undefined],
          ['POST', '/v1/orgs/acme/members', { email: 'x@example.com', role: 'admin' }],
        ] as const)
          expectError(await call(method, path, { token: beaSecret, json }), 404, 'ORG_NOT_FOUND')
        await tomStillWorksInAcme()
      })

      it('can decline an invitation, which withdraws it', async () => {
        await bea.addMember({ email: 'tom@example.com', role: 'viewer' })
        await client(tom).declineInvitation('beta')
        expect((await client(tom).listInvitations()).invitations).toEqual([])
        expect((await bea.listMembers()).members.map((m) => m.user.email)).toEqual(['bea@example.com'])
        expect(await apiError(client(tom).declineInvitation('beta'))).toMatchObject({
          status: 404,
          code: 'INVITATION_NOT_FOUND',
        })
      })

      it('gets a first password only from an admin of every organisation they belong to', async () => {
        // A new address gets an account and an active membership at once; acme is all Pat has.
        const pat = await admin.addMember({ email: 'pat@example.com', role: 'viewer' })
        expect(pat.status).toBe('active')
        await admin.setFirstPassword('pat@example.com', 'correct horse battery staple')
        expect(await passwords.has(pat.user.id)).toBe(true)
        // Once Pat also belongs to beta, acme's admin no longer administers all of Pat's organisations.
        await new MembershipRepository(store.engine).set('beta', pat.user.id, 'viewer')
        await new CredentialRepository(store.engine).removePassword(pat.user.id)
        expect(await apiError(admin.setFirstPassword('pat@example.com', 'another one'))).toMatchObject({
          status: 403,
          code: 'USER_NOT_MANAGED',
        })
      })

      it('refuses member e-mails with controls, invisible characters or markup', async () => {
        for (const email of [
          'a\u0000b@example.com',
          'evil\u202egro@example.com',
          '<b>x</b>@example.com',
          'x@exa mple.com',
        ])
          expect(
            await apiError(admin.addMember({ email, role: 'viewer' })),
            JSON.stringify(email),
          ).toMatchObject({
            status: 400,
            code: 'VALIDATION_FAILED',
          })
        expect(
          (await admin.listMembers()).members.some((m) =>
            ['<', '\u0000', '\u202e'].some((c) => m.user.email.includes(c)),
          ),
        ).toBe(false)
      })
    })
  })

  describe('permissions', () => {
    it('give share to marketers and admins signed in, and to tokens only with the share scope', async () => {
      const probe = (token: string) => call('GET', '/v1/probe/orgs/acme/share', { token })
      expectError(await probe(await person('sv@example.com', 'viewer')), 403, 'FORBIDDEN')
      expect((await probe(await person('sm@example.com', 'marketer'))).status).toBe(200)
      const noShare = await admin.createToken({ name: 'no-share', scopes: ['read', 'write', 'admin'] })
      expectError(await probe(noShare.secret), 403, 'FORBIDDEN')
      const share = await admin.createToken({ name: 'share', scopes: ['read', 'share'] })
      expect((await probe(share.secret)).status).toBe(200)
    })

    it('are declared by every route but the listed public ones, and documented in docs/security.md', async () => {
      const routes = app.routeTable.filter((r) => !r.url.startsWith('/v1/probe/'))
      const undeclared = routes.filter((r) => r.permission === null && !isPublicRoute(r.url))
      expect(undeclared).toEqual([])
      const doc = readFileSync(new URL('../docs/security.md', import.meta.url), 'utf8')
      const table = permissionTable(routes)
      expect(doc.includes(table), `docs/security.md must contain this table:\n${table}`).toBe(true)
    })
  })

  describe('the audit log', () => {
    it('records changes and refusals, without secrets, for admins only', async () => {
      await call('GET', '/v1/orgs/acme/datasets')
      await call('GET', '/v1/orgs/acme/datasets', { token: `ahub_${'A'.repeat(43)}` })
      const expired = await new TokenRepository(store.engine).create({
        org: 'acme',
        userId: adminId,
        name: 'old',
        scopes: ['read'],
        expiresAt: new Date(Date.now() - 1000),
      })
      expectError(
        await call('GET', '/v1/orgs/acme/datasets', { token: expired.secret }),
        401,
        'TOKEN_EXPIRED',
      )
      await admin.applySchema({
        text: 'tables:\n  things:\n    primaryKey: [id]\n    fields:\n      id: { type: string, nullable: false }\n',
      })
      const { events } = await admin.audit({ limit: 1000 })
      const actions = new Set(events.map((e) => e.action))
      for (const action of [
        'token.create',
        'token.revoke',
        'token.use',
        'member.add',
        'member.role',
        'member.remove',
        'member.disable',
        'schema.apply',
        'auth.denied',
        'access.denied',
      ])
        expect(actions, action).toContain(action)
      const reasons = new Set(events.filter((e) => e.outcome === 'denied').map((e) => e.reason))
      for (const reason of [
        'UNAUTHENTICATED',
        'TOKEN_REVOKED',
        'FORBIDDEN',
        'MEMBERSHIP_DISABLED',
        'ORG_NOT_FOUND',
      ])
        expect(reasons, reason).toContain(reason)
      const applied = events.find((e) => e.action === 'schema.apply')!
      expect(applied).toMatchObject({ org: 'acme', actorUser: adminId, outcome: 'ok', ip: '127.0.0.1' })
      expect(applied.requestId).toMatch(/^[0-9a-f-]{36}$/)
      expect(JSON.stringify(events)).not.toMatch(/ahub_[A-Za-z0-9_-]{20,}/)
      expect(JSON.stringify(events)).not.toContain('person-')
      expect(events.filter((e) => e.org !== 'acme')).toEqual([])
      // A new org's creation is in its own log; acme's log keeps the refused attempts.
      const attempts = await admin.audit({ action: 'org.create' })
      expect(attempts.events.map((e) => e.outcome)).toEqual(['failed', 'failed'])
      const gamma = await new AuditRepository(store.engine).list({ org: 'gamma', action: 'org.create' })
      expect(gamma.events).toMatchObject([{ outcome: 'ok', actorUser: adminId, target: 'gamma' }])
    })

    it('pages with a cursor and filters by action and time', async () => {
      const first = await admin.audit({ limit: 2 })
      expect(first.events).toHaveLength(2)
      const second = await admin.audit({ limit: 2, cursor: first.nextCursor! })
      expect(second.events[0]!.id < first.events[1]!.id).toBe(true)
      expect(
        (await admin.audit({ action: 'token.*' })).events.every((e) => e.action.startsWith('token.')),
      ).toBe(true)
      expect((await admin.audit({ since: '1m' })).events.length).toBeGreaterThan(0)
      expect((await admin.audit({ since: new Date(Date.now() + 60_000).toISOString() })).events).toEqual([])
      expect(await apiError(admin.audit({ since: 'yesterday-ish' }))).toMatchObject({
        code: 'VALIDATION_FAILED',
      })
      const viewer = client(await person('aud@example.com', 'viewer'))
      expect(await apiError(viewer.audit())).toMatchObject({ status: 403, code: 'FORBIDDEN' })
    })
  })

  describe('attacks an admin can see', () => {
    it('caps recorded refusals per organisation: a flood on a made-up one hides none on a real one', async () => {
      // A fresh server, so the counts of the tests above do not mix in.
      const fresh = await buildApp({ store, rateLimit: false })
      try {
        const forged = `ahub_${'B'.repeat(43)}`
        const hit = (org: string) =>
          fresh.inject({
            method: 'GET',
            url: `/v1/orgs/${org}/datasets`,
            headers: { authorization: `Bearer ${forged}` },
          })
        const since = new Date()
        for (let i = 0; i < 30; i++) expect((await hit('no-such-org')).statusCode).toBe(401)
        for (let i = 0; i < 20; i++) expect((await hit('acme')).statusCode).toBe(401)
        const seen = await admin.audit({ since: since.toISOString(), outcome: 'denied', limit: 1000 })
        expect(
          seen.events.filter((e) => e.action === 'auth.denied' && e.reason === 'UNAUTHENTICATED'),
        ).toHaveLength(20)
        expect(seen.events.every((e) => e.outcome === 'denied')).toBe(true)
      } finally {
        await fresh.close()
      }
    })
  })

  describe('hardening', () => {
    it('limits each caller, not everyone, and says when to retry', async () => {
      const limited = await buildApp({ store, rateLimit: { max: 3, timeWindowMs: 60_000 } })
      try {
        const other = await admin.createToken({ name: 'neighbour', scopes: ['read'] })
        const get = (token: string) =>
          limited.inject({
            method: 'GET',
            url: '/v1/orgs/acme/datasets',
            headers: { authorization: `Bearer ${token}` },
          })
        for (let i = 0; i < 3; i++) expect((await get(adminSecret)).statusCode).toBe(200)
        const refused = await get(adminSecret)
        expect(refused.statusCode).toBe(429)
        expect(refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } })
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
        expect((await get(other.secret)).statusCode).toBe(200)
      } finally {
        await limited.close()
      }
    })

    it('sends security headers and keeps CORS closed unless origins are allowed', async () => {
      const answer = await call('GET', '/v1/orgs/acme/datasets', {
        token: adminSecret,
        headers: { origin: 'https://evil.example' },
      })
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff')
      expect(answer.headers.get('cache-control')).toBe('no-store')
      expect(answer.headers.get('access-control-allow-origin')).toBeNull()
      const preflight = await call('OPTIONS', '/v1/orgs/acme/datasets', {
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      })
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
      const open = await buildApp({ store, corsOrigins: ['https://ui.example'] })
      try {
        const ok = await open.inject({
          method: 'OPTIONS',
          url: '/v1/orgs/acme/datasets',
          headers: { origin: 'https://ui.example', 'access-control-request-method': 'GET' },
        })
        expect(ok.headers['access-control-allow-origin']).toBe('https://ui.example')
        const evil = await open.inject({
          method: 'OPTIONS',
          url: '/v1/orgs/acme/datasets',
          headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
        })
        expect(evil.headers['access-control-allow-origin']).toBeUndefined()
      } finally {
        await open.close()
      }
    })

    it('cannot be made to echo injected headers', async () => {
      const answer = await call('GET', '/health', { headers: { 'x-request-id': 'attacker-chosen' } })
      expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
      // CR/LF smuggled in a path parameter that ends up in content-disposition.
      const raw = await new Promise<{ status: number; headers: Record<string, unknown> }>(
        (resolve, reject) => {
          const req = httpRequest(
            `${base}/v1/orgs/acme/batches/x%0d%0aSet-Cookie:%20a=b/rejects`,
            { headers: { authorization: `Bearer ${adminSecret}` } },
            (res) => {
              res.resume()
              res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }))
            },
          )
          req.on('error', reject)
          req.end()
        },
      )
      expect(raw.status).toBe(404)
      expect(raw.headers['set-cookie']).toBeUndefined()
      expect(() => new Headers({ 'x-evil': 'a\r\nSet-Cookie: b=c' })).toThrow()
    })

    it('answers oversized and malformed JSON with their codes, and audits the refusal', async () => {
      const big = await call('POST', '/v1/orgs/acme/tokens', {
        token: adminSecret,
        json: { name: 'x'.repeat(1_100_000) },
      })
      expectError(big, 413, 'BODY_TOO_LARGE')
      const bad = await call('POST', '/v1/orgs/acme/tokens', {
        token: adminSecret,
        headers: { 'content-type': 'application/json' },
        body: '{"name":',
      })
      expectError(bad, 400, 'BAD_JSON')
      const failed = (await admin.audit({ action: 'token.create' })).events.filter(
        (e) => e.outcome === 'failed',
      )
      expect(failed.map((e) => e.details.error)).toEqual(
        expect.arrayContaining(['BODY_TOO_LARGE', 'BAD_JSON']),
      )
    })
  })

  describe('the CLI', () => {
    /** Runs `ahub` on its own data directory (no server runs there: it serves itself in-process). */
    function ahub(cliDir: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
      const r = spawnSync(
        process.execPath,
        ['packages/cli/bin/ahub.js', '--data-dir', join(cliDir, 'data'), ...args],
        {
          cwd: new URL('..', import.meta.url).pathname,
          encoding: 'utf8',
          env: {
            ...process.env,
            AHUB_CONFIG: join(cliDir, 'no-config.json'),
            AHUB_SERVER: '',
            AHUB_TOKEN: '',
          },
        },
      )
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
    }

    it('manages users, tokens, organisations and reads the audit log', () => {
      const cliDir = mkdtempSync(join(tmpdir(), 'ahub-cli-access-'))
      try {
        expect(ahub(cliDir, 'org', 'create', 'demo')).toMatchObject({ code: 0 })
        expect(ahub(cliDir, 'user', 'add', 'bob@example.com', '--role', 'marketer')).toMatchObject({
          code: 0,
        })
        const users = JSON.parse(ahub(cliDir, '--json', 'user', 'list').stdout) as {
          user: { email: string }
          role: string
        }[]
        expect(users.map((m) => [m.user.email, m.role])).toEqual([
          ['admin@localhost', 'admin'],
          ['bob@example.com', 'marketer'],
        ])
        const created = ahub(
          cliDir,
          'token',
          'create',
          '--name',
          'ci',
          '--scope',
          'read',
          'write',
          '--expires-in-days',
          '7',
        )
        expect(created.code).toBe(0)
        const secret = created.stdout.trim()
        expect(secret).toMatch(/^ahub_[A-Za-z0-9_-]{43}$/)
        const listed = ahub(cliDir, 'token', 'list')
        expect(listed.stdout).toContain('read,write')
        expect(listed.stdout).not.toContain(secret)
        const id = (JSON.parse(ahub(cliDir, '--json', 'token', 'list').stdout) as { id: string }[])[0]!.id
        expect(ahub(cliDir, 'token', 'revoke', id).stdout).toContain(`revoked ${id}`)
        expect(ahub(cliDir, 'org', 'create', 'beta', '--name', 'Beta')).toMatchObject({ code: 0 })
        expect(ahub(cliDir, 'org', 'list').stdout).toMatch(/beta\s+Beta\s+admin/)
        const last = ahub(cliDir, 'user', 'remove', 'admin@localhost')
        expect(last.code).not.toBe(0)
        expect(last.stderr).toContain('LAST_ADMIN')
        const audit = JSON.parse(ahub(cliDir, '--json', 'audit', '--action', 'token.*').stdout) as {
          events: { action: string }[]
        }
        expect(audit.events.map((e) => e.action)).toEqual(['token.revoke', 'token.create'])
      } finally {
        rmSync(cliDir, { recursive: true, force: true })
      }
    }, 240_000)
  })

  describe('the typed client', () => {
    it('calls only routes of the OpenAPI document, and has a method for every non-public route', async () => {
      const csv = join(dir, 'tiny.csv')
      writeFileSync(csv, 'id\n1\n')
      const c = client(adminSecret)
      const calls: Record<string, () => Promise<unknown>> = {
        health: () => c.health(),
        ready: () => c.ready(),
        me: () => c.me(),
        listOrgs: () => c.listOrgs(),
        createOrg: () => c.createOrg('epsilon', 'Epsilon'),
        getOrg: () => c.getOrg(),
        listMembers: () => c.listMembers(),
        addMember: () => c.addMember({ email: 'cov@example.com', role: 'viewer' }),
        setRole: () => c.setRole('cov@example.com', 'marketer'),
        setDisabled: () => c.setDisabled('cov@example.com', false),
        setFirstPassword: () => c.setFirstPassword('cov@example.com', 'x'),
        listInvitations: () => c.listInvitations(),
        acceptInvitation: () => c.acceptInvitation('beta'),
        declineInvitation: () => c.declineInvitation('beta'),
        setMyPassword: () => c.setMyPassword('x'),
        removeMember: () => c.removeMember('cov@example.com'),
        createToken: () => c.createToken({ name: 'cov' }),
        listTokens: () => c.listTokens(),
        revokeToken: () => c.revokeToken('t_none'),
        audit: () => c.audit({ limit: 1 }),
        listSchemas: () => c.listSchemas(),
        getSchema: () => c.getSchema('things'),
        applySchema: () => c.applySchema({ text: 'tables: {}', dryRun: true }),
        inferSchema: () => c.inferSchema(csv, 'tiny'),
        listDatasets: () => c.listDatasets(),
        showDataset: () => c.showDataset('things'),
        ingest: () => c.ingest('things', csv),
        listBatches: () => c.listBatches(),
        getBatch: () => c.getBatch('b_none'),
        downloadRejects: () => c.downloadRejects('b_none'),
        validateRule: () => c.validateRule({ rule: { kind: 'condition', field: 'id', op: '=', value: 'x' } }),
        countRule: () => c.countRule({ rule: { kind: 'condition', field: 'id', op: '=', value: 'x' } }),
        validateExpression: () => c.validateExpression({ expression: 'upper(id)' }),
        ruleSql: () =>
          c.ruleSql({ rule: { kind: 'condition', field: 'id', op: '=', value: 'x' }, dialect: 'postgres' }),
        explainRule: () => c.explainRule({ rule: { kind: 'condition', field: 'id', op: '=', value: 'x' } }),
        previewRule: () =>
          c.previewRule({ rule: { kind: 'condition', field: 'id', op: '=', value: 'x' }, limit: 1 }),
        distribution: () => c.distribution({ field: 'id' }),
        listAudiences: () => c.listAudiences(),
        createAudience: () =>
          c.createAudience({ type: 'list', label: 'cov', dimension: 'things', members: ['1'] }),
        uploadAudience: () => c.uploadAudience(csv, { label: 'cov-upload', namespace: 'email' }),
        getAudience: () => c.getAudience('aud_none'),
        updateAudience: () => c.updateAudience('aud_none', { label: 'x' }),
        audienceVersions: () => c.audienceVersions('aud_none'),
        refreshAudience: () => c.refreshAudience('aud_none'),
        audienceSchedule: () => c.audienceSchedule('aud_none'),
        scheduleAudience: () => c.scheduleAudience('aud_none', { cron: '0 6 * * *' }),
        unscheduleAudience: () => c.unscheduleAudience('aud_none'),
        deleteAudience: () => c.deleteAudience('aud_none'),
        audienceMembers: () => c.audienceMembers('aud_none'),
        audienceChanges: () => c.audienceChanges('aud_none', { since: 0 }),
        audienceOverlap: () => c.audienceOverlap(['aud_none', 'aud_other']),
        profileAudiences: () => c.profileAudiences('p1'),
        exportAudience: () => c.exportAudience('aud_none', { format: 'csv' }),
        listDataSources: () => c.listDataSources(),
        createDataSource: () =>
          c.createDataSource({ label: 'cov', alias: 'cov', idType: 'declared', namespace: 'email' }),
        listSharedAudiences: () => c.listSharedAudiences(),
        shareExport: () =>
          c.shareExport({
            audience: 'aud_none',
            dataSource: 'ds_none',
            target: { sharedAudience: 'sa_none' },
          }),
        shareImport: () => c.shareImport({ sharedAudience: 'sa_none', label: 'cov' }),
        listImports: () => c.listImports(),
        syncImport: () => c.syncImport('aud_none'),
        listSyncJobs: () => c.listSyncJobs(),
        getSyncJob: () => c.getSyncJob('job_none'),
        syncJobReport: () => c.syncJobReport('job_none'),
        campaignActivities: () => c.campaignActivities(),
        validateCampaign: () => c.validateCampaign({ label: 'cov', activities: [] }),
        previewSchedule: () =>
          c.previewSchedule({
            schedule: { kind: 'cron', expression: '0 9 * * *' },
            timeZone: 'Europe/Paris',
          }),
        listCampaigns: () => c.listCampaigns(),
        createCampaign: () => c.createCampaign({ label: 'cov', activities: [] }),
        getCampaign: () => c.getCampaign('cmp_none'),
        updateCampaign: () => c.updateCampaign('cmp_none', { label: 'cov', activities: [] }),
        publishCampaign: () => c.publishCampaign('cmp_none'),
        archiveCampaign: () => c.archiveCampaign('cmp_none'),
        startRun: () => c.startRun('cmp_none', { mode: 'test' }),
        signalCampaign: () => c.signalCampaign('cmp_none', { parameters: { x: 1 } }),
        restartCampaign: () => c.restartCampaign('cmp_none'),
        listRuns: () => c.listRuns('cmp_none'),
        getRun: () => c.getRun('cmp_none', 'run_none'),
        findRun: () => c.findRun('run_none'),
        pauseRun: () => c.pauseRun('cmp_none', 'run_none'),
        resumeRun: () => c.resumeRun('cmp_none', 'run_none'),
        stopRun: () => c.stopRun('cmp_none', 'run_none'),
        runLogs: () => c.runLogs('cmp_none', 'run_none'),
        runEvents: async () => {
          for await (const _ of c.runEvents('cmp_none', 'run_none')) break
        },
        previewTransition: () => c.previewTransition('cmp_none', 'run_none', 't1'),
        listChannelProviders: () => c.listChannelProviders(),
        getChannelProvider: () => c.getChannelProvider('none'),
        putChannelProvider: () => c.putChannelProvider('cov', { kind: 'email', host: '127.0.0.1' }),
        deleteChannelProvider: () => c.deleteChannelProvider('none'),
        previewChannel: () => c.previewChannel('cmp_none', 'mail', 'p1'),
        proofChannel: () => c.proofChannel('cmp_none', 'mail', { to: ['qa@example.com'] }),
        deliveryLog: () => c.deliveryLog('cmp_none', 'run_none', 'mail', { limit: 10 }),
        deliveryReport: () => c.deliveryReport('cmp_none', 'run_none', 'mail'),
        confirmSend: () => c.confirmSend('cmp_none', 'run_none', 'mail', 3),
      }
      const methods = Object.getOwnPropertyNames(AudienceHubClient.prototype).filter(
        (m) => m !== 'constructor' && !['orgPath', 'upload', 'request', 'fail'].includes(m),
      )
      expect(
        methods.filter((m) => !(m in calls)),
        'client methods missing from this table',
      ).toEqual([])
      const spec = (await call('GET', '/openapi.json')).body as {
        paths: Record<string, Record<string, unknown>>
      }
      seenRoutes.clear()
      for (const m of methods) await calls[m]!().catch((e) => expect(e).toBeInstanceOf(ApiError))
      const documented = new Set(
        Object.entries(spec.paths).flatMap(([path, ops]) =>
          Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
        ),
      )
      expect([...seenRoutes].filter((r) => !documented.has(r))).toEqual([])
      const nonPublic = [...documented].filter((r) => !isPublicRoute(r.split(' ')[1]!))
      expect(
        nonPublic.filter((r) => !seenRoutes.has(r)),
        'routes without a client method',
      ).toEqual([])
    })
  })
})
