import { createHash, randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { AppError } from '@ahub/core'
import {
  AuditRepository,
  CredentialRepository,
  IdentityRepository,
  MembershipRepository,
  SigningKeyRepository,
  type Store,
  UserRepository,
} from '@ahub/store'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { createLocalJWKSet, createRemoteJWKSet, type JWTPayload } from 'jose'
import type Provider from 'oidc-provider'
import { AuditLog } from '../audit'
import type { BearerVerifier } from '../caller'
import { auditSignIns, type SignInAudit } from './audit'
import type { ExternalProviderConfig } from './config'
import { readCookie, setCookie, sign, unsign } from './cookies'
import { loadOrCreateKeys } from './keys'
import { CLIENT_SCOPES, createLocalProvider, localProviderRoutes, UI_CLIENT_ID } from './local-provider'
import { PasswordService } from './passwords'
import { createJwtVerifier, resolveUser, type TrustedIssuer, verifyJwt } from './verifier'

/** The cookie that holds the UI's session: the API access token itself (httpOnly, SameSite=Lax). */
export const SESSION_COOKIE = 'ahub_session'
const LOGIN_COOKIE = 'ahub_login'
const LOGIN_TTL = 600

interface Discovery {
  issuer: string
  authorization_endpoint: string
  token_endpoint: string
  jwks_uri: string
  userinfo_endpoint?: string
  device_authorization_endpoint?: string
}

interface LoginState {
  state: string
  nonce: string
  verifier: string
  redirect: string
  exp: number
}

export interface SignInOptions {
  store: Store
  /** The server's public URL; by default http://<listening address>. */
  publicUrl?: string
  /** Sign in through this provider in the UI, and accept its tokens. */
  external?: ExternalProviderConfig
  /** Audit log to write sign-ins to; one over the store's audit table by default. */
  audit?: AuditLog
}

const b64 = (bytes: number) => randomBytes(bytes).toString('base64url')

/**
 * Sign-in with OpenID Connect: the built-in provider under /oidc, an optional external provider,
 * the UI's login flow under /auth, and the bearer verifier for JWT access tokens of both.
 */
export class SignIn {
  readonly passwords: PasswordService
  readonly users: UserRepository
  readonly identities: IdentityRepository
  private readonly memberships: MembershipRepository
  readonly verifier: BearerVerifier
  private readonly audit: SignInAudit
  private readonly secret = b64(32)
  private server?: FastifyInstance['server']
  private provider?: Promise<Provider>
  private discovery?: Promise<Discovery>
  private externalKeys?: ReturnType<typeof createRemoteJWKSet>

  private constructor(
    private readonly options: SignInOptions,
    private readonly keys: Awaited<ReturnType<typeof loadOrCreateKeys>>,
  ) {
    const engine = options.store.engine
    this.users = new UserRepository(engine)
    this.identities = new IdentityRepository(engine)
    this.memberships = new MembershipRepository(engine)
    this.passwords = new PasswordService(this.users, new CredentialRepository(engine))
    this.audit = auditSignIns(options.audit ?? new AuditLog(new AuditRepository(engine)), this.memberships)
    this.verifier = createJwtVerifier({
      issuers: () => this.trustedIssuers(),
      users: this.users,
      identities: this.identities,
      audit: this.audit,
    })
  }

  /** Loads (or creates) the built-in provider's signing keys. */
  static async create(options: SignInOptions): Promise<SignIn> {
    return new SignIn(options, await loadOrCreateKeys(new SigningKeyRepository(options.store.engine)))
  }

  /** The server's base URL, from the option or the address it listens on. */
  baseUrl(): string {
    if (this.options.publicUrl) return this.options.publicUrl.replace(/\/$/, '')
    const address = this.server?.address() as AddressInfo | null | undefined
    if (!address) throw new AppError('INTERNAL', 'The server is not listening yet')
    const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address
    return `http://${address.family === 'IPv6' && host !== '127.0.0.1' ? `[${host}]` : host}:${address.port}`
  }

  /** The built-in provider's issuer. */
  localIssuer(): string {
    return `${this.baseUrl()}/oidc`
  }

  /** The `aud` of the built-in provider's access tokens: the server URL. */
  localAudience(): string {
    return this.baseUrl()
  }

  /** The issuers whose tokens the API accepts. */
  async trustedIssuers(): Promise<TrustedIssuer[]> {
    const local: TrustedIssuer = {
      issuer: this.localIssuer(),
      audience: this.localAudience(),
      keys: createLocalJWKSet(this.keys.publicJwks),
      local: true,
    }
    const ext = this.options.external
    if (!ext) return [local]
    // The built-in provider keeps working (the first admin can still sign in) while the external one is down.
    const d = await this.discover().catch(() => undefined)
    if (!d) return [local]
    this.externalKeys ??= createRemoteJWKSet(new URL(d.jwks_uri), { timeoutDuration: 5000 })
    return [
      local,
      {
        issuer: ext.issuer,
        audience: ext.audience,
        keys: this.externalKeys,
        local: false,
        userinfo: d.userinfo_endpoint ? (token) => userinfo(d.userinfo_endpoint!, token) : undefined,
      },
    ]
  }

  /** The built-in oidc-provider, configured on first use (its issuer needs the listening URL). */
  localProvider(): Promise<Provider> {
    this.provider ??= (async () => {
      const provider = await createLocalProvider({
        issuer: this.localIssuer(),
        audience: this.localAudience(),
        uiRedirectUri: `${this.baseUrl()}/auth/callback`,
        keys: this.keys,
        cookieKeys: [this.secret],
        users: this.users,
      })
      return provider
    })()
    return this.provider
  }

  private discover(): Promise<Discovery> {
    const ext = this.options.external!
    this.discovery ??= fetchDiscovery(ext.issuer).catch((e) => {
      this.discovery = undefined
      throw e
    })
    return this.discovery
  }

  /** The provider the UI signs in through: the external one when configured, else the built-in one. */
  private async uiProvider(): Promise<{
    issuer: TrustedIssuer
    d: Discovery
    clientId: string
    secret?: string
    scopes: string
  }> {
    const issuers = await this.trustedIssuers()
    const ext = this.options.external
    if (ext)
      return {
        issuer: issuers[1]!,
        d: await this.discover(),
        clientId: ext.clientId,
        secret: ext.clientSecret,
        scopes: ext.scopes,
      }
    const base = this.localIssuer()
    return {
      issuer: issuers[0]!,
      d: {
        issuer: base,
        authorization_endpoint: `${base}/auth`,
        token_endpoint: `${base}/token`,
        jwks_uri: `${base}/jwks`,
      },
      clientId: UI_CLIENT_ID,
      scopes: CLIENT_SCOPES,
    }
  }

  /** Registers /oidc (built-in provider) and /auth (UI flow); also lets the session cookie stand in for a bearer. */
  readonly routes = Object.assign(
    async (app: FastifyInstance) => {
      this.server = app.server
      app.addHook('onRequest', async (req) => this.sessionToBearer(req))
      await app.register(async (child) => {
        await localProviderRoutes(child, {
          provider: () => this.localProvider(),
          passwords: this.passwords,
          audit: this.audit,
          csrfSecret: this.secret,
        })
        this.uiRoutes(child)
      })
    },
    // Not encapsulated, so the session hook runs for every route (fastify-plugin's marker).
    { [Symbol.for('skip-override')]: true },
  )

  /**
   * A browser sends the session cookie; it becomes the bearer when no Authorization header is
   * given. Unsafe methods must come from this origin (Origin header), against CSRF.
   */
  private sessionToBearer(req: FastifyRequest): void {
    if (req.headers.authorization) return
    const token = readCookie(req.headers.cookie, SESSION_COOKIE)
    if (!token) return
    if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
      const origin = req.headers.origin
      if (origin !== new URL(this.baseUrl()).origin) return
    }
    req.headers.authorization = `Bearer ${token}`
  }

  private cookieOptions(path: string, maxAge: number) {
    return { path, maxAge, secure: this.baseUrl().startsWith('https:') }
  }

  private uiRoutes(app: FastifyInstance): void {
    app.get<{ Querystring: { redirect?: string } }>(
      '/auth/login',
      { schema: { hide: true } },
      async (req, reply) => {
        const p = await this.uiProvider()
        const login: LoginState = {
          state: b64(24),
          nonce: b64(24),
          verifier: b64(48),
          redirect: safeRedirect(req.query.redirect),
          exp: Date.now() + LOGIN_TTL * 1000,
        }
        const url = new URL(p.d.authorization_endpoint)
        url.search = new URLSearchParams({
          response_type: 'code',
          client_id: p.clientId,
          redirect_uri: `${this.baseUrl()}/auth/callback`,
          scope: p.scopes,
          state: login.state,
          nonce: login.nonce,
          code_challenge: createHash('sha256').update(login.verifier).digest('base64url'),
          code_challenge_method: 'S256',
          ...(this.options.external ? {} : { resource: this.localAudience() }),
        }).toString()
        return reply
          .header(
            'set-cookie',
            setCookie(LOGIN_COOKIE, sign(login, this.secret), this.cookieOptions('/auth', LOGIN_TTL)),
          )
          .header('cache-control', 'no-store')
          .redirect(url.toString(), 302)
      },
    )

    app.get<{ Querystring: Record<string, string | undefined> }>(
      '/auth/callback',
      { schema: { hide: true } },
      async (req, reply) => {
        const clear = setCookie(LOGIN_COOKIE, '', this.cookieOptions('/auth', 0))
        reply.header('set-cookie', clear).header('cache-control', 'no-store')
        try {
          const token = await this.finishLogin(req)
          const maxAge = Math.max(0, (token.exp ?? 0) - Math.floor(Date.now() / 1000))
          return reply
            .header('set-cookie', [
              clear,
              setCookie(SESSION_COOKIE, token.accessToken, this.cookieOptions('/', maxAge)),
            ])
            .redirect(token.redirect, 303)
        } catch (e) {
          const err =
            e instanceof AppError ? e : new AppError('OIDC_LOGIN_FAILED', 'Sign-in failed', { cause: e })
          await this.audit(
            { action: 'signin.callback', outcome: 'denied', reason: err.code, details: { why: err.message } },
            req,
          )
          throw err
        }
      },
    )

    app.post('/auth/logout', { schema: { hide: true } }, async (req, reply) => {
      const origin = req.headers.origin
      if (origin !== undefined && origin !== new URL(this.baseUrl()).origin)
        throw new AppError('FORBIDDEN', 'Sign out from this site only')
      return reply
        .header('set-cookie', setCookie(SESSION_COOKIE, '', this.cookieOptions('/', 0)))
        .status(204)
        .send()
    })
  }

  private async finishLogin(
    req: FastifyRequest,
  ): Promise<{ accessToken: string; exp?: number; redirect: string }> {
    const q = req.query as Record<string, string | undefined>
    const login = unsign<LoginState>(readCookie(req.headers.cookie, LOGIN_COOKIE), this.secret)
    if (!login || login.exp < Date.now())
      throw new AppError(
        'OIDC_LOGIN_FAILED',
        'The sign-in expired or was started elsewhere; start again at /auth/login',
      )
    if (q.state !== login.state) throw new AppError('OIDC_LOGIN_FAILED', 'The sign-in state does not match')
    if (q.error)
      throw new AppError('OIDC_LOGIN_FAILED', `The identity provider refused: ${q.error}`, {
        details: { error: q.error },
      })
    if (!q.code) throw new AppError('OIDC_LOGIN_FAILED', 'The identity provider sent no code')
    const p = await this.uiProvider()
    if (q.iss !== undefined && q.iss !== p.issuer.issuer)
      throw new AppError('OIDC_LOGIN_FAILED', 'The code came from another issuer')
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    }
    if (p.secret)
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(p.clientId)}:${encodeURIComponent(p.secret)}`).toString('base64')}`
    const res = await fetch(p.d.token_endpoint, {
      method: 'POST',
      headers,
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: q.code,
        redirect_uri: `${this.baseUrl()}/auth/callback`,
        code_verifier: login.verifier,
        ...(p.secret ? {} : { client_id: p.clientId }),
      }),
      signal: AbortSignal.timeout(10_000),
    }).catch((cause) => {
      throw new AppError('OIDC_PROVIDER_UNAVAILABLE', `Cannot reach ${p.d.token_endpoint}`, { cause })
    })
    const body = (await res.json().catch(() => ({}))) as {
      id_token?: string
      access_token?: string
      error?: string
    }
    if (!res.ok || !body.id_token || !body.access_token)
      throw new AppError('OIDC_LOGIN_FAILED', `The token exchange failed: ${body.error ?? res.status}`)
    const id = await verifyJwt(body.id_token, [p.issuer], p.clientId)
    if (id.claims.nonce !== login.nonce)
      throw new AppError('OIDC_LOGIN_FAILED', 'The ID token nonce does not match')
    const { user } = await resolveUser(this, p.issuer, id.claims, body.access_token)
    const access = await verifyJwt(body.access_token, [p.issuer]).catch((cause) => {
      throw new AppError(
        'OIDC_LOGIN_FAILED',
        'The provider did not issue a JWT access token for the Audience Hub API (check AHUB_OIDC_AUDIENCE)',
        { cause },
      )
    })
    if (access.claims.sub !== id.claims.sub)
      throw new AppError('OIDC_LOGIN_FAILED', 'The tokens are for different users')
    await this.audit(
      { action: 'signin.oidc', outcome: 'ok', actor: user.id, details: { issuer: p.issuer.issuer } },
      req,
    )
    return { accessToken: body.access_token, exp: access.claims.exp, redirect: login.redirect }
  }
}

/** Only same-site paths: an absolute or protocol-relative URL would be an open redirect. */
function safeRedirect(redirect: string | undefined): string {
  if (!redirect?.startsWith('/') || redirect.startsWith('//') || redirect.includes('\\')) return '/'
  return redirect
}

async function fetchDiscovery(issuer: string): Promise<Discovery> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`
  let d: Discovery
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) })
    if (!res.ok) throw new Error(`HTTP ${res.status}`)
    d = (await res.json()) as Discovery
  } catch (cause) {
    throw new AppError('OIDC_PROVIDER_UNAVAILABLE', `Cannot read ${url}`, { cause })
  }
  if (d.issuer !== issuer)
    throw new AppError('OIDC_CONFIG_INVALID', `${url} names issuer ${d.issuer}, not ${issuer}`)
  return d
}

async function userinfo(endpoint: string, token: string): Promise<JWTPayload> {
  const res = await fetch(endpoint, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5000),
  })
  if (!res.ok) return {}
  return (await res.json()) as JWTPayload
}
