import { createHash, randomBytes } from 'node:crypto'
import { AppError, newId } from '@ahub/core'
import type { Engine } from '@ahub/store'
import { z } from 'zod'

export const Role = z.enum(['viewer', 'marketer', 'admin'])
export type Role = z.infer<typeof Role>

/** Who is calling, once their token is verified. */
export interface Principal {
  tokenId: string
  org: string
  role: Role
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** API tokens: shown once at creation, stored only as a SHA-256 hash. */
export class TokenRepository {
  constructor(private readonly engine: Engine) {}

  /** Creates a token and returns its secret; the secret is not stored and cannot be read again. */
  async create(
    org: string,
    name: string,
    role: Role,
    expiresAt?: Date,
  ): Promise<{ id: string; token: string }> {
    const id = newId('t')
    const token = `ahub_${randomBytes(32).toString('base64url')}`
    await this.engine.run(
      `INSERT INTO meta.tokens (id, org, name, hash, role, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, current_timestamp, $6)`,
      [id, org, name, hashToken(token), role, expiresAt ?? null],
    )
    return { id, token }
  }

  /** Verifies a presented token; throws UNAUTHENTICATED for unknown, revoked or expired ones. */
  async verify(token: string): Promise<Principal> {
    if (!/^ahub_[A-Za-z0-9_-]{43}$/.test(token)) throw new AppError('UNAUTHENTICATED', 'Invalid token')
    const rows = await this.engine.query<{
      id: string
      org: string
      role: Role
      expired: boolean
      revoked: boolean
    }>(
      `SELECT id, org, role, coalesce(expires_at < current_timestamp, false) AS expired, revoked_at IS NOT NULL AS revoked
       FROM meta.tokens WHERE hash = $1`,
      [hashToken(token)],
    )
    const row = rows[0]
    if (!row || row.revoked || row.expired)
      throw new AppError('UNAUTHENTICATED', 'Invalid, revoked or expired token')
    return { tokenId: row.id, org: row.org, role: row.role }
  }
}
