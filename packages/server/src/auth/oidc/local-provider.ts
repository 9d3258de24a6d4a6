import { createHmac, timingSafeEqual } from 'node:crypto'
import { isAppError } from '@ahub/core'
import type { UserRepository } from '@ahub/store'
import type { FastifyInstance } from 'fastify'
import type Provider from 'oidc-provider'
import type { SignInAudit } from './audit'
import type { LocalKeys } from './keys'
import { escapeHtml, loginPage, PAGE_SECURITY_HEADERS, page } from './pages'
import type { PasswordService } from './passwords'

/** The web UI's client at the built-in provider: authorization code + PKCE, no secret. */
export const UI_CLIENT_ID = 'ahub-ui'
/** The CLI's client at the built-in provider: device authorization grant, no secret. */
export const CLI_CLIENT_ID = 'ahub-cli'
/** Scope that asks for an access token to the Audience Hub API. */
export const API_SCOPE = 'api'
/** Scopes Audience Hub's own clients ask for. */
export const CLIENT_SCOPES = `openid email profile ${API_SCOPE}`

const UI_TOKEN_TTL = 3600
const CLI_TOKEN_TTL = 12 * 3600

export interface LocalProviderOptions {
  /** `<server URL>/oidc` */
  issuer: string
  /** The API's resource identifier: the `aud` of access tokens (the server URL). */
  audience: string
  /** Where the UI client receives its code (`<server URL>/auth/callback`). */
  uiRedirectUri: string
  keys: LocalKeys
  cookieKeys: string[]
  users: UserRepository
}

/** Configures oidc-provider as the built-in provider: no dev pages, PKCE, device flow, JWT access tokens. */
export async function createLocalProvider(o: LocalProviderOptions): Promise<Provider> {
  // Loaded on first sign-in only: the library warns on Node 20 at load time, and most commands never need it.
  const { default: OidcProvider } = await import('oidc-provider')
  const provider = new OidcProvider(o.issuer, {
    clients: [
      {
        client_id: UI_CLIENT_ID,
        client_name: 'Audience Hub',
        token_endpoint_auth_method: 'none',
        id_token_signed_response_alg: 'ES256',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [o.uiRedirectUri],
      },
      {
        client_id: CLI_CLIENT_ID,
        client_name: 'Audience Hub CLI',
        token_endpoint_auth_method: 'none',
        id_token_signed_response_alg: 'ES256',
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    jwks: o.keys.privateJwks,
    cookies: { keys: o.cookieKeys },
    scopes: ['openid', 'email', 'profile', API_SCOPE],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    async findAccount(_ctx: unknown, id: string) {
      const user = await o.users.find(id)
      if (!user || user.disabled) return undefined
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: user.email,
          email_verified: true,
          name: user.name ?? undefined,
        }),
      }
    },
    features: {
      devInteractions: { enabled: false },
      deviceFlow: {
        enabled: true,
        userCodeInputSource,
        userCodeConfirmSource,
        successSource,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => o.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string, client: { clientId: string }) => {
          if (resource !== o.audience) throw new Error('unknown resource')
          return {
            scope: API_SCOPE,
            audience: o.audience,
            accessTokenTTL: client.clientId === CLI_CLIENT_ID ? CLI_TOKEN_TTL : UI_TOKEN_TTL,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          }
        },
      },
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/oidc/interaction/${interaction.uid}`,
    },
    async renderError(ctx: KoaLike & { type?: string }, out: { error: string; error_description?: string }) {
      ctx.type = 'html'
      respond(ctx, page('Sign-in failed', `<p>${escapeHtml(out.error_description ?? out.error)}</p>`))
    },
    ttl: {
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
      DeviceCode: 600,
      IdToken: 3600,
      AuthorizationCode: 60,
    },
  })
  return provider
}

interface KoaLike {
  body: string
  set?: (headers: Record<string, string>) => void
}

function respond(ctx: KoaLike, html: string): void {
  ctx.set?.({ ...PAGE_SECURITY_HEADERS })
  ctx.body = html
}

async function userCodeInputSource(
  ctx: KoaLike,
  form: string,
  _out: unknown,
  err?: { name?: string; userCode?: string },
) {
  const msg = err
    ? '<p class="error" role="alert">That code is not valid or has expired. Try again.</p>'
    : '<p>Enter the code that <code>ahub login</code> printed.</p>'
  respond(
    ctx,
    page('Sign in the CLI', `${msg}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`),
  )
}

async function userCodeConfirmSource(
  ctx: KoaLike,
  form: string,
  _client: unknown,
  _info: unknown,
  userCode: string,
) {
  respond(
    ctx,
    page(
      'Confirm the CLI sign-in',
      `<p>Check that your terminal shows this code:</p><p><code>${escapeHtml(userCode)}</code></p>${form}` +
        '<button type="submit" form="op.deviceConfirmForm">Continue</button>' +
        '<button type="submit" form="op.deviceConfirmForm" value="yes" name="abort">Abort</button>',
    ),
  )
}

async function successSource(ctx: KoaLike) {
  respond(ctx, page('Signed in', '<p>The CLI is signed in. You can close this page.</p>'))
}

export interface LocalProviderRouteDeps {
  provider: () => Promise<Provider>
  passwords: PasswordService
  audit: SignInAudit
  /** Secret for the login form's CSRF token (HMAC of the interaction id). */
  csrfSecret: string
}

/**
 * Serves the built-in provider under /oidc: its own endpoints through the raw request (the
 * provider reads its bodies itself), and the login interaction checked against argon2 passwords.
 */
export async function localProviderRoutes(app: FastifyInstance, deps: LocalProviderRouteDeps): Promise<void> {
  const csrfFor = (uid: string) =>
    createHmac('sha256', deps.csrfSecret).update(`login:${uid}`).digest('base64url')
  const action = (uid: string) => `/oidc/interaction/${encodeURIComponent(uid)}/login`

  await app.register(async (raw) => {
    // Leave every body unread: oidc-provider parses its own.
    raw.removeAllContentTypeParsers()
    raw.addContentTypeParser('*', (_req, _payload, done) => done(null))
    raw.all('/oidc/*', { schema: { hide: true } }, async (req, reply) => {
      const provider = await deps.provider()
      reply.hijack()
      const r = req.raw as typeof req.raw & { originalUrl?: string }
      r.originalUrl = r.url
      r.url = (r.url ?? '/').slice('/oidc'.length) || '/'
      provider.callback()(r, reply.raw)
    })
  })

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 16_384 },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  )

  app.get<{ Params: { uid: string } }>(
    '/oidc/interaction/:uid',
    { schema: { hide: true } },
    async (req, reply) => {
      const provider = await deps.provider()
      const details = await provider.interactionDetails(req.raw, reply.raw)
      if (details.prompt.name === 'login')
        return reply
          .headers(PAGE_SECURITY_HEADERS)
          .type('text/html; charset=utf-8')
          .send(loginPage({ action: action(details.uid), csrf: csrfFor(details.uid) }))
      // Consent: Audience Hub's clients are first-party, so signing in is consenting; grant what they asked.
      const missing = details.prompt.details as {
        missingOIDCScope?: string[]
        missingOIDCClaims?: string[]
        missingResourceScopes?: Record<string, string[]>
      }
      const accountId = details.session?.accountId
      const clientId = String(details.params.client_id)
      if (!accountId) return reply.redirect(`/oidc/interaction/${encodeURIComponent(details.uid)}`, 303)
      const grant =
        (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
        new provider.Grant({ accountId, clientId })
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '))
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
        grant.addResourceScope(resource, scopes.join(' '))
      const grantId = await grant.save()
      const to = await provider.interactionResult(
        req.raw,
        reply.raw,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      )
      return reply.redirect(to, 303)
    },
  )

  app.post<{ Params: { uid: string }; Body: Record<string, string> }>(
    '/oidc/interaction/:uid/login',
    { schema: { hide: true } },
    async (req, reply) => {
      const provider = await deps.provider()
      const details = await provider.interactionDetails(req.raw, reply.raw)
      const body = (req.body ?? {}) as Record<string, string | undefined>
      const expected = Buffer.from(csrfFor(details.uid))
      const given = Buffer.from(String(body.csrf ?? ''))
      if (
        details.uid !== req.params.uid ||
        given.length !== expected.length ||
        !timingSafeEqual(given, expected)
      ) {
        await deps.audit({ action: 'signin.password', outcome: 'denied', reason: 'CSRF' }, req)
        return reply
          .status(403)
          .headers(PAGE_SECURITY_HEADERS)
          .type('text/html; charset=utf-8')
          .send(page('Sign-in refused', '<p>The form expired. Start again.</p>'))
      }
      const email = String(body.email ?? '').slice(0, 254)
      let user: Awaited<ReturnType<PasswordService['attempt']>>
      try {
        // Counted before the check, so concurrent guesses cannot all slip under the limit.
        user = await deps.passwords.attempt(email, String(body.password ?? ''), req.ip)
      } catch (e) {
        if (!isAppError(e) || (e.code !== 'RATE_LIMITED' && e.code !== 'SIGNIN_BUSY')) throw e
        const wait = Number(e.details?.retryAfterSeconds ?? 1)
        await deps.audit(
          { action: 'signin.password', outcome: 'denied', reason: e.code, details: { email } },
          req,
        )
        return reply
          .status(e.code === 'RATE_LIMITED' ? 429 : 503)
          .header('retry-after', String(wait))
          .headers(PAGE_SECURITY_HEADERS)
          .type('text/html; charset=utf-8')
          .send(
            e.code === 'RATE_LIMITED'
              ? page(
                  'Too many attempts',
                  `<p>Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute(s).</p>`,
                )
              : page('Busy', '<p>Too many sign-ins at once. Try again in a moment.</p>'),
          )
      }
      if (!user) {
        await deps.audit(
          { action: 'signin.password', outcome: 'denied', reason: 'INVALID_CREDENTIALS', details: { email } },
          req,
        )
        return reply
          .status(401)
          .headers(PAGE_SECURITY_HEADERS)
          .type('text/html; charset=utf-8')
          .send(
            loginPage({
              action: action(details.uid),
              csrf: csrfFor(details.uid),
              email,
              error: 'Wrong e-mail or password.',
            }),
          )
      }
      await deps.audit({ action: 'signin.password', outcome: 'ok', actor: user.id }, req)
      const to = await provider.interactionResult(
        req.raw,
        reply.raw,
        { login: { accountId: user.id } },
        { mergeWithLastSubmission: false },
      )
      return reply.redirect(to, 303)
    },
  )
}
