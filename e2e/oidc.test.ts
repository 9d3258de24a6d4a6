import { createHmac } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loginWithDevice, loginWithToken, readConfig } from '@ahub/cli'
import { ApiError, AudienceHubClient } from '@ahub/client'
import {
  type App,
  adminPasswordFile,
  bootstrapAdmin,
  buildApp,
  SESSION_COOKIE,
  SignIn,
  startServer,
  TokenRepository,
} from '@ahub/server'
import { AuditRepository, MembershipRepository, Store } from '@ahub/store'
import { base64url, exportSPKI, generateKeyPair, importJWK, type JWTPayload, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, formsIn, type Page } from './fixtures/oidc-browser'
import { startTestIdp, type TestIdp } from './fixtures/oidc-idp'

const AUDIENCE = 'https://api.audience-hub.test'
const CLIENT_ID = 'audience-hub'
const CLIENT_SECRET = 'a-test-client-secret-of-some-length'

interface Running {
  store: Store
  app: App
  url: string
  signIn: SignIn
}

async function startHub(external?: TestIdp): Promise<Running> {
  const store = await Store.open({ dataDir: ':memory:' })
  await store.createOrg('demo', 'Demo')
  const signIn = await SignIn.create({
    store,
    external: external && {
      issuer: external.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      audience: AUDIENCE,
      scopes: 'openid email profile api',
    },
  })
  const app = await buildApp({ store, signIn, verifiers: [signIn.verifier], rateLimit: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { store, app, url: signIn.baseUrl(), signIn }
}

async function stopHub(h: Running | undefined): Promise<void> {
  await h?.app.close()
  await h?.store.close()
}

interface MeBody {
  user: { email: string }
  via: string
  issuer: string | null
  memberships: { org: string; role: string }[]
  error: { code: string; details?: Record<string, unknown> }
}

async function me(url: string, token?: string): Promise<{ status: number; body: MeBody }> {
  const res = await fetch(`${url}/v1/me`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
  return { status: res.status, body: (await res.json()) as MeBody }
}

/** The error a client call fails with. */
async function apiError(p: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await p
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, code: e.code }
    throw e
  }
  throw new Error('the call succeeded')
}

/** A JSON answer of the provider, typed as the test reads it. */
async function json<T>(res: Response | Promise<Response>): Promise<T> {
  return (await (await res).json()) as T
}

describe('sign-in through an external OpenID provider', () => {
  let idp: TestIdp
  let hub: Running

  beforeAll(async () => {
    idp = await startTestIdp()
    hub = await startHub(idp)
    idp.configure({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: `${hub.url}/auth/callback`,
      audience: AUDIENCE,
    })
    const ann = await hub.signIn.users.create({ email: 'ann@example.com', name: 'Ann' })
    await new MembershipRepository(hub.store.engine).set('demo', ann.id, 'marketer')
  })
  afterAll(async () => {
    await stopHub(hub)
    await idp?.stop()
  })

  /** Runs the UI flow in a fresh browser up to the provider's login form, signs in as `login`. */
  async function uiSignIn(
    login: string,
  ): Promise<{ browser: Browser; page: Awaited<ReturnType<Browser['follow']>> }> {
    const browser = new Browser()
    let page = await browser.follow(`${hub.url}/auth/login?redirect=/audiences`)
    const [loginForm] = formsIn(page.html, page.url)
    expect(loginForm?.fields).toHaveProperty('login')
    page = await browser.submit(loginForm!, { login, password: 'anything' })
    // The development consent page, then back to the hub's callback.
    const consent = formsIn(page.html, page.url)[0]
    if (consent && page.url.startsWith(idp.issuer)) page = await browser.submit(consent)
    return { browser, page }
  }

  it('signs in with authorization code + PKCE and calls the API with the issued token', async () => {
    const { browser, page } = await uiSignIn('ann')
    expect(page.url).toBe(`${hub.url}/audiences`)
    const session = browser.cookies(hub.url).get(SESSION_COOKIE)
    expect(session).toMatch(/^ey/)
    const answer = await me(hub.url, session)
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ user: { email: 'ann@example.com' }, via: 'oidc', issuer: idp.issuer })
    expect(answer.body.memberships).toEqual([{ org: 'demo', role: 'marketer' }])
    // The browser itself: the session cookie is the credential.
    const viaCookie = await browser.request(`${hub.url}/v1/me`)
    expect(viaCookie.status).toBe(200)
    const linked = await hub.signIn.identities.find(idp.issuer, 'ann')
    expect(linked?.email).toBe('ann@example.com')
  })

  it('refuses an invited-nowhere person at the callback with OIDC_NOT_INVITED', async () => {
    const { page } = await uiSignIn('mallory')
    expect(page.status).toBe(401)
    expect(JSON.parse(page.html).error.code).toBe('OIDC_NOT_INVITED')
  })

  it('does not link an e-mail the provider did not verify', async () => {
    const { page } = await uiSignIn('unverified')
    expect(page.status).toBe(401)
    expect(JSON.parse(page.html).error).toMatchObject({
      code: 'OIDC_NOT_INVITED',
      details: { reason: 'no_verified_email' },
    })
  })

  it('refuses a callback whose state was not issued to this browser', async () => {
    const browser = new Browser()
    const page = await browser.request(`${hub.url}/auth/callback?code=abc&state=forged`)
    expect(page.status).toBe(400)
    expect(JSON.parse(page.html).error.code).toBe('OIDC_LOGIN_FAILED')
  })

  describe('JWT attacks on the API', () => {
    const now = () => Math.floor(Date.now() / 1000)
    const valid = (): JWTPayload => ({
      iss: idp.issuer,
      sub: 'ann',
      aud: AUDIENCE,
      iat: now(),
      exp: now() + 300,
    })
    const idpSign = async (claims: JWTPayload, header: Record<string, unknown> = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: idp.privateJwk.kid, ...header })
        .sign(await importJWK(idp.privateJwk, 'RS256'))

    const attacks: [string, string, () => Promise<string | undefined>][] = [
      ['missing', 'UNAUTHENTICATED', async () => undefined],
      ['expired', 'TOKEN_EXPIRED', () => idpSign({ ...valid(), iat: now() - 7200, exp: now() - 3600 })],
      ['wrong issuer', 'UNAUTHENTICATED', () => idpSign({ ...valid(), iss: 'https://evil.example' })],
      [
        'the local issuer, signed by another key',
        'UNAUTHENTICATED',
        () => idpSign({ ...valid(), iss: `${hub.url}/oidc`, aud: hub.url }),
      ],
      ['wrong audience', 'UNAUTHENTICATED', () => idpSign({ ...valid(), aud: 'https://other-api.test' })],
      [
        'alg none',
        'UNAUTHENTICATED',
        async () =>
          `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify(valid()))}.`,
      ],
      [
        'HS256 signed with the public key',
        'UNAUTHENTICATED',
        async () => {
          const pem = await exportSPKI(
            (await importJWK(idp.publicJwk, 'RS256')) as Parameters<typeof exportSPKI>[0],
          )
          const header = base64url.encode(JSON.stringify({ alg: 'HS256', kid: idp.publicJwk.kid }))
          const body = base64url.encode(JSON.stringify(valid()))
          const mac = createHmac('sha256', pem).update(`${header}.${body}`).digest('base64url')
          return `${header}.${body}.${mac}`
        },
      ],
      [
        'tampered payload',
        'UNAUTHENTICATED',
        async () => {
          const [h, , sig] = (await idpSign({ ...valid(), sub: 'mallory' })).split('.')
          return `${h}.${base64url.encode(JSON.stringify({ ...valid(), sub: 'ann' }))}.${sig}`
        },
      ],
      [
        'unknown kid',
        'UNAUTHENTICATED',
        async () => {
          const { privateKey } = await generateKeyPair('RS256')
          return new SignJWT(valid())
            .setProtectedHeader({ alg: 'RS256', kid: 'not-a-known-kid' })
            .sign(privateKey)
        },
      ],
      [
        'a token for an un-invited e-mail',
        'OIDC_NOT_INVITED',
        () => idpSign({ ...valid(), sub: 'mallory', email: 'mallory@example.com', email_verified: true }),
      ],
    ]

    it('accepts a well-formed token of the provider (the baseline the attacks alter)', async () => {
      expect((await me(hub.url, await idpSign(valid()))).status).toBe(200)
    })

    it.each(attacks)('%s: 401 %s', async (_name, code, make) => {
      const answer = await me(hub.url, await make())
      expect(answer.status).toBe(401)
      expect(answer.body.error.code).toBe(code)
    })

    it('audits every refusal with its code', async () => {
      const rows = await hub.store.engine.query<{ reason: string }>(
        `SELECT reason FROM meta.audit WHERE outcome = 'denied' AND action = 'auth.denied'`,
      )
      const reasons = rows.map((r) => r.reason)
      for (const code of ['UNAUTHENTICATED', 'TOKEN_EXPIRED', 'OIDC_NOT_INVITED'])
        expect(reasons).toContain(code)
      expect(reasons.length).toBeGreaterThanOrEqual(attacks.length)
    })
  })
})

describe('the built-in local provider', () => {
  let hub: Running
  const PASSWORD = 'correct horse battery staple'

  beforeAll(async () => {
    hub = await startHub()
    const bo = await hub.signIn.users.create({ email: 'bo@example.com', name: 'Bo' })
    await new MembershipRepository(hub.store.engine).set('demo', bo.id, 'admin')
    await hub.signIn.passwords.set(bo.id, PASSWORD)
  })
  afterAll(() => stopHub(hub))

  /** Starts the UI flow and returns the browser on the login form. */
  async function loginForm(): Promise<{
    browser: Browser
    form: ReturnType<typeof formsIn>[number]
    page: Page
  }> {
    const browser = new Browser()
    const page = await browser.follow(`${hub.url}/auth/login`)
    expect(page.url).toMatch(new RegExp(`^${hub.url}/oidc/interaction/`))
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    const form = formsIn(page.html, page.url)[0]!
    expect(Object.keys(form.fields).sort()).toEqual(['csrf', 'email', 'password'])
    return { browser, form, page }
  }

  it('serves discovery with PKCE S256 and the device flow, and keys without private parts', async () => {
    const d = await json<Record<string, string & string[]>>(
      fetch(`${hub.url}/oidc/.well-known/openid-configuration`),
    )
    expect(d.issuer).toBe(`${hub.url}/oidc`)
    expect(d.code_challenge_methods_supported).toEqual(['S256'])
    expect(d.device_authorization_endpoint).toBe(`${hub.url}/oidc/device/auth`)
    const jwks = await json<{ keys: object[] }>(fetch(d.jwks_uri!))
    expect(jwks.keys.length).toBeGreaterThan(0)
    for (const k of jwks.keys) expect(k).not.toHaveProperty('d')
  })

  it('signs in with the right password and the session cookie works for the API', async () => {
    const { browser, form } = await loginForm()
    const page = await browser.submit(form, { email: 'Bo@Example.com', password: PASSWORD })
    expect(page.url).toBe(`${hub.url}/`)
    const session = browser.cookies(hub.url).get(SESSION_COOKIE)!
    const answer = await me(hub.url, session)
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      user: { email: 'bo@example.com' },
      via: 'oidc',
      issuer: `${hub.url}/oidc`,
    })
    // A cross-site POST with the cookie does not authenticate (no Origin of this site).
    const csrf = await browser.request(`${hub.url}/v1/orgs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ id: 'evil', name: 'Evil' }),
    })
    expect(csrf.status).toBe(401)
    const out = await browser.request(`${hub.url}/auth/logout`, {
      method: 'POST',
      headers: { origin: hub.url },
    })
    expect(out.status).toBe(204)
    expect(browser.cookies(hub.url).has(SESSION_COOKIE)).toBe(false)
    // The access token the cookie held is over too, for reads and writes, not only forgotten.
    expect(await me(hub.url, session)).toMatchObject({ status: 401 })
    const write = await fetch(`${hub.url}/v1/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'after-logout', name: 'After logout' }),
    })
    expect(write.status).toBe(401)
    expect(((await write.json()) as { error: { code: string } }).error.code).toBe('TOKEN_REVOKED')
    // A fresh sign-in works again.
    const again = await loginForm()
    await again.browser.submit(again.form, { email: 'bo@example.com', password: PASSWORD })
    expect((await me(hub.url, again.browser.cookies(hub.url).get(SESSION_COOKIE)!)).status).toBe(200)
  })

  it('answers a wrong password and an unknown user the same way, in similar time', async () => {
    const attempt = async (email: string, password: string) => {
      const { browser, form } = await loginForm()
      const t = performance.now()
      const page = await browser.submit(form, { email, password })
      return { page, ms: performance.now() - t }
    }
    const wrong = await attempt('bo@example.com', 'not the password at all')
    const unknown = await attempt('nobody@example.com', 'not the password at all')
    for (const r of [wrong, unknown]) {
      expect(r.page.status).toBe(401)
      expect(r.page.html).toContain('Wrong e-mail or password.')
    }
    // Both pay for one argon2id verification: neither is more than 3x the other.
    expect(Math.max(wrong.ms, unknown.ms) / Math.min(wrong.ms, unknown.ms)).toBeLessThan(3)
    const audited = await hub.store.engine.query<{ reason: string }>(
      `SELECT reason FROM meta.audit WHERE action = 'signin.password' AND outcome = 'denied'`,
    )
    expect(audited.filter((r) => r.reason === 'INVALID_CREDENTIALS').length).toBeGreaterThanOrEqual(2)
  })

  it('counts concurrent wrong passwords before checking them: 20 at once, 5 checked, 15 refused', async () => {
    const kit = await hub.signIn.users.create({ email: 'kit@example.com', name: 'Kit' })
    await hub.signIn.passwords.set(kit.id, PASSWORD)
    const forms = await Promise.all(Array.from({ length: 20 }, () => loginForm()))
    const pages = await Promise.all(
      forms.map(({ browser, form }, i) =>
        browser.submit(form, { email: 'kit@example.com', password: `guess ${i}` }),
      ),
    )
    const statuses = pages.map((p) => p.status).sort()
    expect(statuses.filter((s) => s === 401)).toHaveLength(5)
    expect(statuses.filter((s) => s === 429)).toHaveLength(15)
  })

  it("shows failed and throttled sign-ins on an account in that account's organisations", async () => {
    const max = await hub.signIn.users.create({ email: 'max@example.com', name: 'Max' })
    await new MembershipRepository(hub.store.engine).set('demo', max.id, 'viewer')
    await hub.signIn.passwords.set(max.id, PASSWORD)
    for (let i = 0; i < 6; i++) {
      const { browser, form } = await loginForm()
      await browser.submit(form, { email: 'max@example.com', password: `guess ${i}` })
    }
    const denied = await new AuditRepository(hub.store.engine).list({
      org: 'demo',
      action: 'signin.password',
      outcome: 'denied',
      limit: 1000,
    })
    const mine = denied.events.filter((e) => String(e.details.email).toLowerCase() === 'max@example.com')
    expect(mine.map((e) => e.reason).sort()).toEqual([
      ...Array(5).fill('INVALID_CREDENTIALS'),
      'RATE_LIMITED',
    ])
    expect(mine.every((e) => e.target === max.id)).toBe(true)
  })

  it('changes a password only from a sign-in, never with an API token, under the sign-in throttle', async () => {
    const joe = await hub.signIn.users.create({ email: 'joe@example.com', name: 'Joe' })
    await new MembershipRepository(hub.store.engine).set('demo', joe.id, 'viewer')
    await hub.signIn.passwords.set(joe.id, PASSWORD)
    const { browser, form } = await loginForm()
    await browser.submit(form, { email: 'joe@example.com', password: PASSWORD })
    const session = browser.cookies(hub.url).get(SESSION_COOKIE)!
    const change = (bearer: string, current: string) =>
      fetch(`${hub.url}/v1/me/password`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ current, password: 'a brand new password' }),
      })
    // A read-only API token of Joe's cannot change (or guess) his password.
    const token = await new TokenRepository(hub.store.engine).create({
      org: 'demo',
      userId: joe.id,
      name: 'read',
      scopes: ['read'],
    })
    const byToken = await change(token.secret, PASSWORD)
    expect(byToken.status).toBe(403)
    expect(((await byToken.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN')
    // Signed in, five wrong guesses, then refused with the right one too...
    for (let i = 0; i < 5; i++) expect((await change(session, `guess ${i}`)).status).toBe(403)
    const locked = await change(session, PASSWORD)
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
    // ...and the sign-in form is locked for that e-mail as well: one throttle.
    const again = await loginForm()
    expect(
      (await again.browser.submit(again.form, { email: 'joe@example.com', password: PASSWORD })).status,
    ).toBe(429)
    expect(await hub.signIn.passwords.check('joe@example.com', PASSWORD)).not.toBeNull()
  })

  it('refuses further attempts on an e-mail after 5 wrong passwords, even with the right one', async () => {
    const lee = await hub.signIn.users.create({ email: 'lee@example.com', name: 'Lee' })
    await hub.signIn.passwords.set(lee.id, PASSWORD)
    for (let i = 0; i < 5; i++) {
      const { browser, form } = await loginForm()
      expect((await browser.submit(form, { email: 'lee@example.com', password: `guess ${i}` })).status).toBe(
        401,
      )
    }
    const { browser, form } = await loginForm()
    const locked = await browser.submit(form, { email: 'LEE@example.com', password: PASSWORD })
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(browser.cookies(hub.url).has(SESSION_COOKIE)).toBe(false)
    // Another account from the same address is not locked by Lee's failures.
    const other = await loginForm()
    const page = await other.browser.submit(other.form, { email: 'bo@example.com', password: PASSWORD })
    expect(page.url).toBe(`${hub.url}/`)
    const audited = await hub.store.engine.query<{ reason: string }>(
      `SELECT reason FROM meta.audit WHERE action = 'signin.password' AND reason = 'RATE_LIMITED' AND lower(details) LIKE '%lee@example.com%'`,
    )
    expect(audited.length).toBe(1)
  })

  it('lets an admin give an invited member a first password, which only the member can change', async () => {
    const { secret } = await bootstrapAdmin(hub.store, 'demo', true)
    const admin = new AudienceHubClient(hub.url, secret!, 'demo')
    await admin.addMember({ email: 'kim@example.com', role: 'marketer' })
    await admin.setFirstPassword('kim@example.com', 'first password of kim')
    expect(await apiError(admin.setFirstPassword('kim@example.com', 'an admin takes over'))).toMatchObject({
      status: 409,
      code: 'PASSWORD_ALREADY_SET',
    })
    await admin.addMember({ email: 'sam@example.com', role: 'viewer' })
    expect(await apiError(admin.setFirstPassword('sam@example.com', 'short'))).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    })
    expect(
      await apiError(admin.setFirstPassword('nobody@example.com', 'long enough password')),
    ).toMatchObject({
      status: 404,
      code: 'USER_NOT_FOUND',
    })
    const signIn = async (password: string) => {
      const { browser, form } = await loginForm()
      const page = await browser.submit(form, { email: 'kim@example.com', password })
      return { page, session: browser.cookies(hub.url).get(SESSION_COOKIE) }
    }
    const first = await signIn('first password of kim')
    expect(first.page.url).toBe(`${hub.url}/`)
    const kim = new AudienceHubClient(hub.url, first.session!, 'demo')
    expect(await apiError(kim.setMyPassword('kim chose this one', 'not the current one'))).toMatchObject({
      status: 403,
      code: 'PASSWORD_MISMATCH',
    })
    expect(await apiError(kim.setMyPassword('short', 'first password of kim'))).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    })
    await kim.setMyPassword('kim chose this one', 'first password of kim')
    expect((await signIn('first password of kim')).page.status).toBe(401)
    expect((await signIn('kim chose this one')).page.url).toBe(`${hub.url}/`)
    const audited = await hub.store.engine.query<{ action: string; outcome: string }>(
      `SELECT action, outcome FROM meta.audit WHERE action LIKE '%password%' AND action <> 'signin.password' ORDER BY id`,
    )
    const outcomes = audited.map((a) => `${a.action} ${a.outcome}`)
    for (const o of ['user.password ok', 'user.password failed', 'me.password failed', 'me.password ok'])
      expect(outcomes).toContain(o)
    expect(JSON.stringify(await hub.store.engine.query('SELECT * FROM meta.audit'))).not.toContain(
      'kim chose',
    )
  })

  it('refuses a login form posted without its CSRF token', async () => {
    const { browser, form } = await loginForm()
    const page = await browser.submit(form, { email: 'bo@example.com', password: PASSWORD, csrf: 'forged' })
    expect(page.status).toBe(403)
    expect(browser.cookies(hub.url).has(SESSION_COOKIE)).toBe(false)
  })

  it('signs the CLI in with the device flow', async () => {
    const start = await fetch(`${hub.url}/oidc/device/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: 'ahub-cli',
        scope: 'openid email profile api',
        resource: hub.url,
      }),
    })
    const device = await json<{ device_code: string; user_code: string; verification_uri: string }>(start)
    expect(device.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/)
    const poll = () =>
      fetch(`${hub.url}/oidc/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
          device_code: device.device_code,
          client_id: 'ahub-cli',
        }),
      })
    expect((await json<{ error: string }>(poll())).error).toBe('authorization_pending')
    // The person opens the verification page, enters the code, confirms and signs in.
    const browser = new Browser()
    let page = await browser.follow(device.verification_uri)
    page = await browser.submit(formsIn(page.html, page.url)[0]!, { user_code: device.user_code })
    expect(page.html).toContain(device.user_code)
    page = await browser.submit(formsIn(page.html, page.url)[0]!)
    page = await browser.submit(formsIn(page.html, page.url)[0]!, {
      email: 'bo@example.com',
      password: PASSWORD,
    })
    expect(page.html).toContain('The CLI is signed in')
    const token = await json<{ access_token: string }>(poll())
    expect(token.access_token).toMatch(/^ey/)
    const answer = await me(hub.url, token.access_token)
    expect(answer.status).toBe(200)
    expect(answer.body.user.email).toBe('bo@example.com')
  })

  describe('ahub login', () => {
    let dir: string
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'ahub-login-'))
    })
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it('signs in with the device flow and stores the token readable by its owner only', async () => {
      const path = join(dir, 'device', 'config.json')
      const lines: string[] = []
      let opened: Promise<void> | undefined
      const said = (line: string) => {
        lines.push(line)
        const url = /^Open (\S+) in a browser/.exec(line)?.[1]
        if (!url) return
        // The person at the browser: the complete URL carries the code, so confirm and sign in.
        opened = (async () => {
          const browser = new Browser()
          let page = await browser.follow(url)
          // The code page (filled in from the URL), the confirmation, then the sign-in form.
          for (let step = 0; step < 4 && !page.html.includes('The CLI is signed in'); step++) {
            const form = formsIn(page.html, page.url)[0]!
            page = await browser.submit(
              form,
              'password' in form.fields ? { email: 'bo@example.com', password: PASSWORD } : {},
            )
          }
          expect(page.html).toContain('The CLI is signed in')
        })()
      }
      const who = await loginWithDevice(hub.url, {
        configPath: path,
        say: said,
        sleep: () => new Promise((r) => setTimeout(r, 200)),
      })
      await opened
      expect(who.user.email).toBe('bo@example.com')
      expect(lines[1]).toMatch(/code [A-Z]{4}-[A-Z]{4}/)
      expect(statSync(path).mode & 0o777).toBe(0o600)
      const config = readConfig(path)!
      expect(config).toMatchObject({ server: hub.url, via: 'device' })
      expect((await me(hub.url, config.token)).status).toBe(200)
    })

    it('stores an API token only after the server accepts it', async () => {
      const path = join(dir, 'token', 'config.json')
      const io = { configPath: path, say: () => {} }
      await expect(loginWithToken(hub.url, 'ahub_not-a-real-token', io)).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      })
      expect(readConfig(path)).toBeUndefined()
      const bo = (await hub.signIn.users.findByEmail('bo@example.com'))!
      const { secret } = await new TokenRepository(hub.store.engine).create({
        org: 'demo',
        userId: bo.id,
        name: 'ci',
        scopes: ['read'],
      })
      const who = await loginWithToken(hub.url, secret, io)
      expect(who.via).toBe('token')
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({
        server: hub.url,
        token: secret,
        via: 'token',
      })
    })
  })
})

describe('first start', () => {
  it('gives admin@localhost a random password, printed once and kept 0600 in the data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ahub-first-start-'))
    try {
      const lines: string[] = []
      const server = await startServer({
        dataDir,
        port: 0,
        host: '127.0.0.1',
        demo: false,
        log: (l) => lines.push(l),
      })
      const password = readFileSync(adminPasswordFile(dataDir), 'utf8').trim()
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/)
      expect(statSync(adminPasswordFile(dataDir)).mode & 0o777).toBe(0o600)
      expect(lines.join('\n')).toContain(`admin@localhost / ${password}`)
      expect(lines.join('\n')).toContain(`${server.url}/auth/login`)
      const browser = new Browser()
      const page = await browser.follow(`${server.url}/auth/login`)
      await browser.submit(formsIn(page.html, page.url)[0]!, { email: 'admin@localhost', password })
      expect((await me(server.url, browser.cookies(server.url).get(SESSION_COOKIE))).body.user.email).toBe(
        'admin@localhost',
      )
      await server.stop()
      const again: string[] = []
      const restarted = await startServer({
        dataDir,
        port: 0,
        host: '127.0.0.1',
        demo: false,
        log: (l) => again.push(l),
      })
      expect(again.join('\n')).not.toContain(password)
      await restarted.stop()
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
