import { createHash, randomBytes } from 'node:crypto'
import { AppError, newId, Scope } from '@ahub/core'
import type { Engine } from '@ahub/store'
import type { Caller } from './auth/caller'

/** An API token as listed: its prefix and metadata, never the secret. */
export interface TokenInfo {
  id: string
  org: string
  userId: string | null
  name: string
  /** The first characters of the secret, to recognise it. */
  prefix: string
  scopes: Scope[]
  createdAt: string
  expiresAt: string | null
  revokedAt: string | null
  lastUsedAt: string | null
}

interface TokenRow {
  id: string
  org: string
  user_id: string | null
  name: string
  prefix: string
  scopes: string
  created_at: string
  expires_at: string | null
  revoked_at: string | null
  last_used_at: string | null
}

const COLUMNS = 'id, org, user_id, name, prefix, scopes, created_at, expires_at, revoked_at, last_used_at'
const TOKEN_SHAPE = /^ahub_[A-Za-z0-9_-]{43}$/
/** How long a verified token is trusted from memory; revocation in this process evicts at once. */
const CACHE_MS = 30_000
/** `lastUsedAt` is written at most this often per token. */
const TOUCH_MS = 60_000

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

function toInfo(r: TokenRow): TokenInfo {
  return {
    id: r.id,
    org: r.org,
    userId: r.user_id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes.split(',').filter(Boolean) as Scope[],
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  }
}

/** The longest an API token may live, in days: `AHUB_MAX_TOKEN_DAYS` (1 to 3650), 90 by default. */
export function maxTokenDays(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.AHUB_MAX_TOKEN_DAYS
  return v && /^[1-9]\d{0,3}$/.test(v) && Number(v) <= 3650 ? Number(v) : 90
}

/**
 * API tokens (`meta.api_tokens`): shown once at creation, stored only as a SHA-256 hash, bound to
 * one org and one creator, limited to scopes, and never living longer than `maxTokenDays`.
 */
export class TokenRepository {
  private readonly cache = new Map<string, { info: TokenInfo; until: number }>()
  private readonly touched = new Map<string, number>()
  private readonly lookups = new Map<string, Promise<TokenInfo | null>>()

  constructor(private readonly engine: Engine) {}

  /**
   * Creates a token and returns its secret; the secret is not stored and cannot be read again. A
   * token without an expiry gets the longest lifetime allowed; a longer one is refused
   * (TOKEN_LIFETIME_TOO_LONG).
   */
  async create(input: {
    org: string
    userId: string
    name: string
    scopes: Scope[]
    expiresAt?: Date | null
  }): Promise<{ token: TokenInfo; secret: string }> {
    const days = maxTokenDays()
    const latest = Date.now() + days * 86_400_000
    if (input.expiresAt && input.expiresAt.getTime() > latest + 60_000)
      throw new AppError(
        'TOKEN_LIFETIME_TOO_LONG',
        `A token lives at most ${days} days (AHUB_MAX_TOKEN_DAYS)`,
        {
          details: { maxDays: days, expiresAt: input.expiresAt.toISOString() },
        },
      )
    input = { ...input, expiresAt: input.expiresAt ?? new Date(latest) }
    const id = newId('t')
    const secret = `ahub_${randomBytes(32).toString('base64url')}`
    const scopes = Scope.options.filter((s) => input.scopes.includes(s))
    await this.engine.run(
      `INSERT INTO meta.api_tokens (id, org, user_id, name, prefix, hash, scopes, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, current_timestamp, $8)`,
      [
        id,
        input.org,
        input.userId,
        input.name,
        secret.slice(0, 12),
        hashToken(secret),
        scopes.join(','),
        input.expiresAt ?? null,
      ],
    )
    return { token: await this.get(input.org, id), secret }
  }

  /** One token of an organisation; TOKEN_NOT_FOUND otherwise. */
  async get(org: string, id: string): Promise<TokenInfo> {
    const rows = await this.engine.query<TokenRow>(
      `SELECT ${COLUMNS} FROM meta.api_tokens WHERE org = $1 AND id = $2`,
      [org, id],
    )
    if (!rows[0]) throw new AppError('TOKEN_NOT_FOUND', `No token "${id}"`, { details: { token: id } })
    return toInfo(rows[0])
  }

  /** The tokens of an organisation, newest first; only one user's when `userId` is given. */
  async list(org: string, userId?: string): Promise<TokenInfo[]> {
    const rows = await this.engine.query<TokenRow>(
      `SELECT ${COLUMNS} FROM meta.api_tokens WHERE org = $1 AND ($2::VARCHAR IS NULL OR user_id = $2)
       ORDER BY created_at DESC, id DESC`,
      [org, userId ?? null],
    )
    return rows.map(toInfo)
  }

  /** Revokes a token; it stops working at once in this process. Revoking twice is harmless. */
  async revoke(org: string, id: string): Promise<TokenInfo> {
    await this.get(org, id)
    await this.engine.run(
      'UPDATE meta.api_tokens SET revoked_at = coalesce(revoked_at, current_timestamp) WHERE org = $1 AND id = $2',
      [org, id],
    )
    for (const [hash, entry] of this.cache) if (entry.info.id === id) this.cache.delete(hash)
    return this.get(org, id)
  }

  /** Gives tokens without a creator (made before users existed) to `userId`. */
  async adoptOrphans(userId: string): Promise<void> {
    await this.engine.run('UPDATE meta.api_tokens SET user_id = $1 WHERE user_id IS NULL', [userId])
    this.cache.clear()
  }

  /**
   * Verifies a presented token: null when it is not an `ahub_` token, otherwise its caller, or
   * UNAUTHENTICATED (unknown or tampered), TOKEN_REVOKED or TOKEN_EXPIRED. `firstUseThisMinute`
   * tells the caller to audit the use; `lastUsedAt` is then written.
   */
  async verify(secret: string): Promise<{ caller: Caller; firstUseThisMinute: boolean } | null> {
    if (!secret.startsWith('ahub_')) return null
    if (!TOKEN_SHAPE.test(secret)) throw new AppError('UNAUTHENTICATED', 'Malformed API token')
    const hash = hashToken(secret)
    const now = Date.now()
    let info = this.cache.get(hash)
    if (!info || info.until < now) {
      // One lookup per token at a time: requests arriving together share it.
      let lookup = this.lookups.get(hash)
      if (!lookup) {
        lookup = this.engine
          .query<TokenRow>(`SELECT ${COLUMNS} FROM meta.api_tokens WHERE hash = $1`, [hash])
          .then((rows) => (rows[0] ? toInfo(rows[0]) : null))
          .finally(() => this.lookups.delete(hash))
        this.lookups.set(hash, lookup)
      }
      const found = await lookup
      if (!found) {
        this.cache.delete(hash)
        throw new AppError('UNAUTHENTICATED', 'Unknown API token')
      }
      info = { info: found, until: now + CACHE_MS }
      this.cache.set(hash, info)
    }
    const t = info.info
    if (t.revokedAt)
      throw new AppError('TOKEN_REVOKED', 'This API token was revoked', { details: { token: t.id } })
    if (t.expiresAt && Date.parse(t.expiresAt) <= now)
      throw new AppError('TOKEN_EXPIRED', 'This API token has expired', { details: { token: t.id } })
    if (!t.userId) throw new AppError('UNAUTHENTICATED', 'This API token has no owner')
    const last = this.touched.get(t.id) ?? 0
    const firstUseThisMinute = now - last >= TOUCH_MS
    if (firstUseThisMinute) {
      this.touched.set(t.id, now)
      await this.engine.run('UPDATE meta.api_tokens SET last_used_at = current_timestamp WHERE id = $1', [
        t.id,
      ])
    }
    return {
      caller: { kind: 'token', userId: t.userId, tokenId: t.id, org: t.org, scopes: t.scopes },
      firstUseThisMinute,
    }
  }
}
