import { type App, buildApp, SESSION_COOKIE, SignIn } from '@ahub/server'
import { MembershipRepository, Store } from '@ahub/store'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { Browser, type Page } from './fixtures/oidc-browser'
import { type ScriptedIdp, startScriptedIdp } from './fixtures/oidc-scripted-idp'

// What a maintained OpenID client checks on the relying party's side (openid-client in
// packages/server/src/auth/oidc/sign-in.ts), each against a provider that gets it wrong on purpose.

const AUDIENCE = 'https://api.audience-hub.test'
const CLIENT_ID = 'audience-hub'
const CLIENT_SECRET = 'a-test-client-secret-of-some-length'

let idp: ScriptedIdp
let store: Store
let app: App
let url: string

beforeAll(async () => {
  idp = await startScriptedIdp({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    audience: AUDIENCE,
    account: { sub: 'ann-at-idp', email: 'ann@example.com' },
  })
  store = await Store.open({ dataDir: ':memory:' })
  await store.createOrg('demo', 'Demo')
  const signIn = await SignIn.create({
    store,
    external: {
      issuer: idp.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      audience: AUDIENCE,
      scopes: 'openid email',
    },
  })
  app = await buildApp({ store, signIn, verifiers: [signIn.verifier], rateLimit: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  url = signIn.baseUrl()
  const ann = await signIn.users.create({ email: 'ann@example.com', name: 'Ann' })
  await new MembershipRepository(store.engine).set('demo', ann.id, 'marketer')
})
afterAll(async () => {
  await app?.close()
  await store?.close()
  await idp?.stop()
})
afterEach(() => {
  idp.reset()
  vi.restoreAllMocks()
})

/** The whole UI sign-in in a fresh browser: login, the provider, the callback, the redirect. */
async function signInVia(
  path = '/auth/login?redirect=/audiences',
): Promise<{ browser: Browser; page: Page }> {
  const browser = new Browser()
  return { browser, page: await browser.follow(`${url}${path}`) }
}

function refusal(page: Page): { code: string; details?: Record<string, unknown> } {
  return (JSON.parse(page.html) as { error: { code: string; details?: Record<string, unknown> } }).error
}

async function meWith(browser: Browser): Promise<number> {
  return (await browser.request(`${url}/v1/me`)).status
}

describe('the sign-in client against a scripted provider', () => {
  it('signs in when the provider behaves (the baseline the cases below bend)', async () => {
    const { browser, page } = await signInVia()
    expect(page.url).toBe(`${url}/audiences`)
    expect(browser.cookies(url).get(SESSION_COOKIE)).toMatch(/^ey/)
    expect(await meWith(browser)).toBe(200)
  })

  describe('issuer mix-up', () => {
    it('refuses an authorization response whose `iss` names another issuer', async () => {
      idp.script.issParam = 'https://evil.example'
      const { browser, page } = await signInVia()
      expect(page.status).toBe(400)
      expect(refusal(page)).toMatchObject({
        code: 'OIDC_LOGIN_FAILED',
        details: { check: expect.stringMatching(/iss/) },
      })
      expect(browser.cookies(url).has(SESSION_COOKIE)).toBe(false)
    })

    it('refuses an ID token issued by another issuer, even signed by the right key', async () => {
      idp.script.idToken = { iss: 'https://evil.example' }
      const { page } = await signInVia()
      expect(page.status).toBe(400)
      expect(refusal(page).code).toBe('OIDC_LOGIN_FAILED')
    })

    it('refuses an ID token for another client, and one with another nonce', async () => {
      idp.script.idToken = { aud: 'some-other-client' }
      expect(refusal((await signInVia()).page).code).toBe('OIDC_LOGIN_FAILED')
      idp.script.idToken = { nonce: 'replayed-nonce' }
      expect(refusal((await signInVia()).page).code).toBe('OIDC_LOGIN_FAILED')
    })
  })

  describe('`iss` in the authorization response (RFC 9207)', () => {
    it('refuses a response without `iss` from a provider that says it sends one', async () => {
      idp.script.issParam = 'omit'
      const { page } = await signInVia()
      expect(page.status).toBe(400)
      expect(refusal(page)).toMatchObject({
        code: 'OIDC_LOGIN_FAILED',
        details: { check: expect.stringMatching(/"iss".*missing/) },
      })
    })

    it('accepts the response with the provider’s own `iss`', async () => {
      idp.script.issParam = 'issuer'
      expect((await signInVia()).page.url).toBe(`${url}/audiences`)
    })
  })

  describe('clock skew', () => {
    it('accepts a provider whose clock is 20 s off either way', async () => {
      idp.script.sendNbf = true
      idp.script.clockOffset = 20
      expect((await signInVia()).page.url).toBe(`${url}/audiences`)
      // Behind, with short-lived tokens: they look expired by 10 s, within the 30 s tolerance.
      idp.script.clockOffset = -20
      idp.script.tokenTtl = 10
      expect((await signInVia()).page.url).toBe(`${url}/audiences`)
    })

    it('refuses tokens not yet valid or already expired by more than the tolerance', async () => {
      idp.script.sendNbf = true
      idp.script.clockOffset = 120
      expect(refusal((await signInVia()).page)).toMatchObject({
        code: 'OIDC_LOGIN_FAILED',
        details: { check: expect.stringMatching(/nbf/) },
      })
      idp.script.clockOffset = -120
      idp.script.tokenTtl = 60
      expect(refusal((await signInVia()).page)).toMatchObject({
        code: 'OIDC_LOGIN_FAILED',
        details: { check: expect.stringMatching(/exp/) },
      })
    })
  })

  describe('key rotation at the provider', () => {
    it('follows a new signing key once the cached key set is a minute old', async () => {
      expect((await signInVia()).page.url).toBe(`${url}/audiences`)
      const oldKid = idp.kid()
      await idp.rotateKey()
      expect(idp.kid()).not.toBe(oldKid)
      // Key sets are cached; an unknown kid refetches them no more than once a minute.
      const realNow = Date.now.bind(Date)
      vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 61_000)
      const { browser, page } = await signInVia()
      expect(page.url).toBe(`${url}/audiences`)
      expect(await meWith(browser)).toBe(200)
    })

    it('refuses an ID token signed by a key the provider does not publish', async () => {
      idp.script.forgeIdToken = true
      const { browser, page } = await signInVia()
      expect(page.status).toBe(400)
      expect(refusal(page).code).toBe('OIDC_LOGIN_FAILED')
      expect(browser.cookies(url).has(SESSION_COOKIE)).toBe(false)
    })
  })
})

describe('the redirect after sign-in', () => {
  it('ends on this server for /%09/evil.example/x (a tab browsers drop, making //evil.example)', async () => {
    const { page } = await signInVia('/auth/login?redirect=/%09/evil.example/x')
    expect(new URL(page.url).origin).toBe(url)
    expect(page.url).toBe(`${url}/`)
  })

  it.each(['/%0A/evil.example/x', '/a%0D%0ASet-Cookie:%20x=1', '/%5Cevil.example', '/x/..//evil.example'])(
    'ends on this server for %s, never with a 500',
    async (redirect) => {
      const browser = new Browser()
      const login = await browser.request(`${url}/auth/login?redirect=${redirect}`)
      expect(login.status).toBe(302)
      const page = await browser.follow(login.headers.get('location')!)
      expect(page.status).toBeLessThan(500)
      expect(page.url).toBe(`${url}/`)
    },
  )

  it('keeps a path of this server', async () => {
    const { page } = await signInVia('/auth/login?redirect=%2Fcampaigns%3Fstatus%3Ddraft')
    expect(page.url).toBe(`${url}/campaigns?status=draft`)
  })
})
