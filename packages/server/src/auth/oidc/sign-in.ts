import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { AppError } from '@ahub/core'
import { loadMasterKey, SecretBox } from '@ahub/hub'
import {
  AuditRepository,
  CredentialRepository,
  IdentityRepository,
  MembershipRepository,
  RevokedSessionRepository,
  SigningKeyRepository,
  type Store,
  UserRepository,
} from '@ahub/store'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { createLocalJWKSet, createRemoteJWKSet, type JWTPayload } from 'jose'
import type Provider from 'oidc-provider'
import * as oidc from 'openid-client'
import { AuditLog } from '../audit'
import type { BearerVerifier } from '../caller'
import { auditSignIns, type SignInAudit } from './audit'
import type { ExternalProviderConfig } from './config'
import { readCookie, setCookie, sign, unsign } from './cookies'
import { loadOrCreateKeys, SERVER_MASTER_KEY } from './keys'
import { CLIENT_SCOPES, createLocalProvider, localProviderRoutes, UI_CLIENT_ID } from './local-provider'
import { PasswordService } from './passwords'
import { safeRedirect } from './redirect'
import {
  CLOCK_TOLERANCE_SECONDS,
  createJwtVerifier,
  resolveUser,
  sessionHash,
  type TrustedIssuer,
  verifyJwt,
} from './verifier'

/** The cookie that holds the UI's session: the API access token itself (httpOnly, SameSite=Lax). */
export const SESSION_COOKIE = 'ahub_session'
const LOGIN_COOKIE = 'ahub_login'
const LOGIN_TTL = 600

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
  /** The master key that seals the signing keys; AHUB_MASTER_KEY or the data directory's file by default. */
  masterKey?: Buffer
  /** Says what happened at start (a master key generated, keys sealed); never a secret. */
  log?: (line: string) => void
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
  private readonly revocations: RevokedSessionRepository
  private readonly audit: SignInAudit
  private readonly secret = b64(32)
  private server?: FastifyInstance['server']
  private provider?: Promise<Provider>
  private externalClient?: Promise<oidc.Configuration>
  private localClient?: oidc.Configuration
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
    this.audit = auditSignIns(
      options.audit ?? new AuditLog(new AuditRepository(engine)),
      this.memberships,
      this.users,
    )
    const revocations = new RevokedSessionRepository(engine)
    this.revocations = revocations
    this.verifier = createJwtVerifier({
      revoked: (hash) => revocations.isRevoked(hash),
      issuers: () => this.trustedIssuers(),
      users: this.users,
      identities: this.identities,
      audit: this.audit,
    })
  }

  /** Loads (or creates) the built-in provider's signing keys. */
  static async create(options: SignInOptions): Promise<SignIn> {
    const log = options.log ?? (() => undefined)
    // A memory store keeps its signing keys no longer than the process: an ephemeral key seals them.
    const key =
      options.masterKey ??
      (options.store.memory
        ? randomBytes(32)
        : loadMasterKey(options.store.dataDir, process.env, log, SERVER_MASTER_KEY))
    const keys = await loadOrCreateKeys(
      new SigningKeyRepository(options.store.engine),
      new SecretBox(key, SERVER_MASTER_KEY),
    )
    if (keys.sealedNow > 0) log(`sealed ${keys.sealedNow} signing key(s) that were stored in clear`)
    return new SignIn(options, keys)
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
    const client = await this.externalClientConfig().catch(() => undefined)
    if (!client) return [local]
    const d = client.serverMetadata()
    this.externalKeys ??= createRemoteJWKSet(new URL(d.jwks_uri!), { timeoutDuration: 5000 })
    return [
      local,
      {
        issuer: ext.issuer,
        audience: ext.audience,
        keys: this.externalKeys,
        local: false,
        userinfo: d.userinfo_endpoint ? (token) => userinfo(client, token) : undefined,
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

  /** The external provider as an openid-client configuration, from its discovery document (cached). */
  private externalClientConfig(): Promise<oidc.Configuration> {
    const ext = this.options.external!
    this.externalClient ??= discoverClient(ext).catch((e) => {
      this.externalClient = undefined
      throw e
    })
    return this.externalClient
  }

  /** The built-in provider as an openid-client configuration: its metadata is known, no discovery. */
  private localClientConfig(): oidc.Configuration {
    const issuer = this.localIssuer()
    if (this.localClient?.serverMetadata().issuer === issuer) return this.localClient
    const config = new oidc.Configuration(
      {
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        id_token_signing_alg_values_supported: ['ES256'],
        authorization_response_iss_parameter_supported: true,
      },
      UI_CLIENT_ID,
      { id_token_signed_response_alg: 'ES256', [oidc.clockTolerance]: CLOCK_TOLERANCE_SECONDS },
      oidc.None(),
    )
    harden(config, issuer)
    this.localClient = config
    return config
  }

  /** The provider the UI signs in through: the external one when configured, else the built-in one. */
  private async uiProvider(): Promise<{ issuer: TrustedIssuer; client: oidc.Configuration; scopes: string }> {
    const issuers = await this.trustedIssuers()
    const ext = this.options.external
    if (ext) return { issuer: issuers[1]!, client: await this.externalClientConfig(), scopes: ext.scopes }
    return { issuer: issuers[0]!, client: this.localClientConfig(), scopes: CLIENT_SCOPES }
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
          state: oidc.randomState(),
          nonce: oidc.randomNonce(),
          verifier: oidc.randomPKCECodeVerifier(),
          redirect: safeRedirect(req.query.redirect, this.baseUrl()),
          exp: Date.now() + LOGIN_TTL * 1000,
        }
        const url = oidc.buildAuthorizationUrl(p.client, {
          redirect_uri: `${this.baseUrl()}/auth/callback`,
          scope: p.scopes,
          state: login.state,
          nonce: login.nonce,
          code_challenge: await oidc.calculatePKCECodeChallenge(login.verifier),
          code_challenge_method: 'S256',
          ...(this.options.external ? {} : { resource: this.localAudience() }),
        })
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
      // The access token stays valid until it expires unless remembered as signed out: the
      // session cookie's, and a bearer's (ahub logout), when they are ours and still valid.
      const header = req.headers.authorization
      const bearer = typeof header === 'string' ? /^Bearer ([^\s]+)$/i.exec(header)?.[1] : undefined
      for (const token of [readCookie(req.headers.cookie, SESSION_COOKIE), bearer]) {
        if (!token) continue
        const claims = await verifyJwt(token, await this.trustedIssuers())
          .then((v) => v.claims)
          .catch(() => null)
        if (claims?.exp) await this.revocations.revoke(sessionHash(token), new Date(claims.exp * 1000))
      }
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
    const p = await this.uiProvider()
    // The callback as the provider addressed it (behind a proxy too): openid-client checks state,
    // the RFC 9207 `iss` parameter, errors, then exchanges the code with the PKCE verifier and
    // checks the ID token (signature, issuer, audience, azp, exp / iat with clock tolerance, nonce).
    const callback = new URL(`${this.baseUrl()}/auth/callback`)
    for (const [k, v] of Object.entries(q)) if (typeof v === 'string') callback.searchParams.set(k, v)
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>
    try {
      tokens = await oidc.authorizationCodeGrant(p.client, callback, {
        pkceCodeVerifier: login.verifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      })
    } catch (cause) {
      throw loginError(cause)
    }
    const claims = tokens.claims() as JWTPayload | undefined
    const accessToken = tokens.access_token
    if (!claims || !accessToken)
      throw new AppError('OIDC_LOGIN_FAILED', 'The token exchange gave no ID token or no access token')
    const { user } = await resolveUser(this, p.issuer, claims, accessToken)
    // The access token is for our API (the resource server's check, not the client's): same verifier as every request.
    const access = await verifyJwt(accessToken, [p.issuer]).catch((cause) => {
      throw new AppError(
        'OIDC_LOGIN_FAILED',
        'The provider did not issue a JWT access token for the Audience Hub API (check AHUB_OIDC_AUDIENCE)',
        { cause },
      )
    })
    if (access.claims.sub !== claims.sub)
      throw new AppError('OIDC_LOGIN_FAILED', 'The tokens are for different users')
    await this.audit(
      { action: 'signin.oidc', outcome: 'ok', actor: user.id, details: { issuer: p.issuer.issuer } },
      req,
    )
    return { accessToken, exp: access.claims.exp, redirect: login.redirect }
  }
}

/** Client settings every provider gets: checked ID-token signatures, a timeout, http on loopback only. */
function harden(config: oidc.Configuration, issuer: string): void {
  oidc.enableNonRepudiationChecks(config)
  config.timeout = 10
  if (new URL(issuer).protocol === 'http:') oidc.allowInsecureRequests(config)
}

/** Reads the external provider's discovery document; its issuer must be exactly the configured one. */
async function discoverClient(ext: ExternalProviderConfig): Promise<oidc.Configuration> {
  let config: oidc.Configuration
  try {
    config = await oidc.discovery(
      new URL(ext.issuer),
      ext.clientId,
      { [oidc.clockTolerance]: CLOCK_TOLERANCE_SECONDS },
      ext.clientSecret ? oidc.ClientSecretBasic(ext.clientSecret) : oidc.None(),
      {
        timeout: 5,
        execute: new URL(ext.issuer).protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
      },
    )
  } catch (cause) {
    if (cause instanceof oidc.ClientError && cause.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON')
      throw new AppError(
        'OIDC_CONFIG_INVALID',
        `The discovery document of ${ext.issuer} names another issuer`,
        { cause },
      )
    throw new AppError('OIDC_PROVIDER_UNAVAILABLE', `Cannot read the discovery document of ${ext.issuer}`, {
      cause,
    })
  }
  harden(config, ext.issuer)
  return config
}

/** A coded error for a failed callback: the provider's refusal, a failed check, or a provider out of reach. */
function loginError(cause: unknown): AppError {
  if (cause instanceof oidc.AuthorizationResponseError)
    return new AppError('OIDC_LOGIN_FAILED', `The identity provider refused: ${cause.error}`, {
      details: { error: cause.error },
      cause,
    })
  if (cause instanceof oidc.ResponseBodyError)
    return new AppError('OIDC_LOGIN_FAILED', `The token exchange failed: ${cause.error}`, {
      details: { error: cause.error },
      cause,
    })
  if (cause instanceof oidc.ClientError) {
    const check = clientCheck(cause)
    return new AppError('OIDC_LOGIN_FAILED', `Sign-in refused: ${check}`, {
      details: { check, reason: cause.code },
      cause,
    })
  }
  return new AppError('OIDC_PROVIDER_UNAVAILABLE', 'The identity provider could not be reached', { cause })
}

/** The check that failed, in words a reader of the audit log understands (openid-client's message, refined). */
function clientCheck(e: InstanceType<typeof oidc.ClientError>): string {
  const inner = e.cause instanceof Error ? e.cause.message : e.message
  return inner.replace(/^unexpected /, '')
}

async function userinfo(client: oidc.Configuration, token: string): Promise<JWTPayload> {
  try {
    return (await oidc.fetchUserInfo(client, token, oidc.skipSubjectCheck)) as JWTPayload
  } catch {
    return {}
  }
}
