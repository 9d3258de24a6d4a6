import { createHash, randomBytes } from 'node:crypto'
import { AppError, newId } from '@ahub/core'
import type { Engine } from '@ahub/store'
import { assertOrgName } from './names'

/** A hub token as listed: never the secret, only its first characters. */
export interface HubTokenInfo {
  id: string
  org: string
  name: string
  prefix: string
  createdAt: string
  revokedAt: string | null
}

interface TokenRow {
  id: string
  org: string
  name: string
  prefix: string
  created_at: string
  revoked_at: string | null
}

const SHAPE = /^ahubhub_[A-Za-z0-9_-]{43}$/
const CACHE_MS = 30_000

function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

function toInfo(r: TokenRow): HubTokenInfo {
  return {
    id: r.id,
    org: r.org,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }
}

/**
 * Hub tokens: each acts for one org (a connected installation's org). Shown once at creation and
 * stored only as a SHA-256 hash.
 */
export class HubTokens {
  private readonly cache = new Map<string, { org: string; id: string; until: number }>()

  constructor(private readonly engine: Engine) {}

  /** Creates a token for `org`; returns its secret, which cannot be read again. */
  async create(org: string, name = 'hub token'): Promise<{ token: HubTokenInfo; secret: string }> {
    assertOrgName(org)
    const id = newId('ht')
    const secret = `ahubhub_${randomBytes(32).toString('base64url')}`
    const prefix = secret.slice(0, 12)
    const createdAt = new Date().toISOString()
    await this.engine.run(
      `INSERT INTO hub.tokens (id, org, name, prefix, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, org, name.slice(0, 200), prefix, hashToken(secret), createdAt],
    )
    return { token: { id, org, name, prefix, createdAt, revokedAt: null }, secret }
  }

  /** Every token (of one org when given), newest first. */
  async list(org?: string): Promise<HubTokenInfo[]> {
    const rows = await this.engine.query<TokenRow>(
      `SELECT id, org, name, prefix, created_at, revoked_at FROM hub.tokens
       WHERE $1 IS NULL OR org = $1 ORDER BY created_at DESC, id DESC`,
      [org ?? null],
    )
    return rows.map(toInfo)
  }

  /** Revokes a token at once (in this process; other processes within 30 s). */
  async revoke(id: string): Promise<HubTokenInfo> {
    const [row] = await this.engine.query<TokenRow>(
      `SELECT id, org, name, prefix, created_at, revoked_at FROM hub.tokens WHERE id = $1`,
      [id],
    )
    if (!row) throw new AppError('HUB_NOT_FOUND', `No hub token "${id}"`, { details: { token: id } })
    if (!row.revoked_at) {
      await this.engine.run(`UPDATE hub.tokens SET revoked_at = now() WHERE id = $1`, [id])
    }
    for (const [k, v] of this.cache) if (v.id === id) this.cache.delete(k)
    const [after] = await this.engine.query<TokenRow>(
      `SELECT id, org, name, prefix, created_at, revoked_at FROM hub.tokens WHERE id = $1`,
      [id],
    )
    return toInfo(after as TokenRow)
  }

  /** The org a bearer secret acts for; HUB_TOKEN_INVALID when missing, malformed, unknown or revoked. */
  async verify(secret: string | undefined): Promise<string> {
    if (!secret || !SHAPE.test(secret)) {
      throw new AppError(
        'HUB_TOKEN_INVALID',
        secret ? 'The hub token is malformed' : 'A hub token is required',
      )
    }
    const hash = hashToken(secret)
    const hit = this.cache.get(hash)
    if (hit && hit.until > Date.now()) return hit.org
    const [row] = await this.engine.query<{ id: string; org: string; revoked_at: string | null }>(
      `SELECT id, org, revoked_at FROM hub.tokens WHERE hash = $1`,
      [hash],
    )
    if (!row || row.revoked_at) {
      this.cache.delete(hash)
      throw new AppError('HUB_TOKEN_INVALID', row ? 'The hub token was revoked' : 'Unknown hub token')
    }
    this.cache.set(hash, { org: row.org, id: row.id, until: Date.now() + CACHE_MS })
    return row.org
  }
}
