import type { Engine } from '../engine'

/**
 * Local passwords, stored only as the PHC string of a memory-hard hash (the server hashes; the
 * store never sees a password).
 */
export class CredentialRepository {
  constructor(private readonly engine: Engine) {}

  /** Sets or replaces a user's password hash. */
  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.engine.transaction(async (s) => {
      await s.run('DELETE FROM meta.credentials WHERE user_id = $1', [userId])
      await s.run(
        'INSERT INTO meta.credentials (user_id, password_hash, updated_at) VALUES ($1, $2, current_timestamp)',
        [userId, passwordHash],
      )
    })
  }

  /** The stored hash of a user's password, if the user has one. */
  async passwordHash(userId: string): Promise<string | undefined> {
    const rows = await this.engine.query<{ password_hash: string }>(
      'SELECT password_hash FROM meta.credentials WHERE user_id = $1',
      [userId],
    )
    return rows[0]?.password_hash
  }

  /** Removes a user's password; the user can then only sign in through an external provider. */
  async removePassword(userId: string): Promise<boolean> {
    const rows = await this.engine.query<{ user_id: string }>(
      'DELETE FROM meta.credentials WHERE user_id = $1 RETURNING user_id',
      [userId],
    )
    return rows.length > 0
  }
}

/** A private signing key of the built-in OpenID provider, as a JSON Web Key. */
export interface StoredSigningKey {
  kid: string
  privateJwk: Record<string, unknown>
  createdAt: string
}

/** Signing keys of the built-in OpenID provider, kept so tokens stay valid across restarts. */
export class SigningKeyRepository {
  constructor(private readonly engine: Engine) {}

  /** Every stored key, newest first (the newest signs; the others still verify). */
  async list(): Promise<StoredSigningKey[]> {
    const rows = await this.engine.query<{ kid: string; private_jwk: string; created_at: string }>(
      'SELECT kid, private_jwk, created_at FROM meta.signing_keys ORDER BY created_at DESC, kid',
    )
    return rows.map((r) => ({
      kid: r.kid,
      privateJwk: JSON.parse(r.private_jwk),
      createdAt: String(r.created_at),
    }))
  }

  /** Rewrites a stored key (to seal one kept in clear). */
  async replace(kid: string, privateJwk: Record<string, unknown>): Promise<void> {
    await this.engine.run('UPDATE meta.signing_keys SET private_jwk = $2 WHERE kid = $1', [
      kid,
      JSON.stringify(privateJwk),
    ])
  }

  /** Stores a new key. */
  async add(kid: string, privateJwk: Record<string, unknown>): Promise<void> {
    await this.engine.run(
      'INSERT INTO meta.signing_keys (kid, private_jwk, created_at) VALUES ($1, $2, current_timestamp)',
      [kid, JSON.stringify(privateJwk)],
    )
  }
}

/**
 * Sign-in sessions ended before their time (`meta.revoked_sessions`): an access token is a signed
 * JWT that stays valid until it expires, so signing out records its SHA-256 here, and every
 * request carrying a JWT is checked against it. Rows go once the token would have expired anyway.
 */
export class RevokedSessionRepository {
  constructor(private readonly engine: Engine) {}

  async revoke(hash: string, expiresAt: Date): Promise<void> {
    await this.engine.run('DELETE FROM meta.revoked_sessions WHERE expires_at < current_timestamp')
    await this.engine.run(
      `INSERT INTO meta.revoked_sessions (hash, expires_at) VALUES ($1, $2::TIMESTAMPTZ AT TIME ZONE 'UTC')
       ON CONFLICT DO NOTHING`,
      [hash, expiresAt.toISOString()],
    )
  }

  async isRevoked(hash: string): Promise<boolean> {
    const rows = await this.engine.query<{ n: number }>(
      'SELECT 1 AS n FROM meta.revoked_sessions WHERE hash = $1',
      [hash],
    )
    return rows.length > 0
  }
}
