import { AppError } from '@ahub/core'

/** An external OpenID provider that users sign in through (instead of the built-in one). */
export interface ExternalProviderConfig {
  issuer: string
  clientId: string
  /** Absent for a public client (PKCE only). */
  clientSecret?: string
  /** The `aud` of access tokens for the Audience Hub API; defaults to the client id. */
  audience: string
  /** Scopes to ask for at sign-in. */
  scopes: string
}

/** Reads AHUB_OIDC_ISSUER / _CLIENT_ID / _CLIENT_SECRET / _AUDIENCE / _SCOPES; undefined when unset. */
export function externalProviderFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): ExternalProviderConfig | undefined {
  const issuer = env.AHUB_OIDC_ISSUER?.trim()
  if (!issuer) return undefined
  const clientId = env.AHUB_OIDC_CLIENT_ID?.trim()
  if (!clientId)
    throw new AppError('OIDC_CONFIG_INVALID', 'AHUB_OIDC_ISSUER is set but AHUB_OIDC_CLIENT_ID is not')
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    throw new AppError('OIDC_CONFIG_INVALID', `AHUB_OIDC_ISSUER is not a URL: ${issuer}`)
  }
  if (url.protocol !== 'https:' && url.hostname !== '127.0.0.1' && url.hostname !== 'localhost')
    throw new AppError('OIDC_CONFIG_INVALID', 'AHUB_OIDC_ISSUER must use https (http only on loopback)')
  return {
    issuer,
    clientId,
    clientSecret: env.AHUB_OIDC_CLIENT_SECRET || undefined,
    audience: env.AHUB_OIDC_AUDIENCE?.trim() || clientId,
    scopes: env.AHUB_OIDC_SCOPES?.trim() || 'openid email profile',
  }
}
