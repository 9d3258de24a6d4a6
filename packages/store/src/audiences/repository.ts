import {
  AppError,
  type Audience,
  type AudienceAttribute,
  type AudienceOrigin,
  type AudienceType,
  type AudienceVersion,
} from '@ahub/core'
import type { Session } from '../engine'

interface AudienceRow {
  id: string
  org: string
  label: string
  type: string
  dimension: string | null
  identity_field: string | null
  identity_namespace: string | null
  attributes: string
  rule: string | null
  origin: string
  owner: string
  depends_on: string
  created_at: Date | string
  updated_at: Date | string
  expiry_days: number | null
  version: number
  size: number | bigint
}

/** An audience as stored, with what the catalog view does not show. */
export interface StoredAudience extends Audience {
  /** Audiences the rule uses directly. */
  dependsOn: string[]
}

/** What a new catalog row holds. */
export interface NewAudience {
  id: string
  org: string
  label: string
  type: AudienceType
  dimension: string | null
  identityField: string | null
  identityNamespace: string | null
  attributes: AudienceAttribute[]
  rule: unknown
  origin: AudienceOrigin
  owner: string
  dependsOn: string[]
  expiryDays: number | null
}

const COLUMNS =
  'id, org, label, type, dimension, identity_field, identity_namespace, attributes, rule, origin, owner, depends_on, created_at, updated_at, expiry_days, version, size'

/** The audience catalog rows (meta.audiences) and version rows (meta.audience_versions). */
export class AudienceRepository {
  /** Every audience of the org, by label. */
  async list(s: Session, org: string): Promise<StoredAudience[]> {
    const rows = await s.query<AudienceRow>(
      `SELECT ${COLUMNS} FROM meta.audiences WHERE org = $1 ORDER BY label`,
      [org],
    )
    return rows.map(toAudience)
  }

  /** The audience, or undefined. */
  async find(s: Session, org: string, id: string): Promise<StoredAudience | undefined> {
    const rows = await s.query<AudienceRow>(
      `SELECT ${COLUMNS} FROM meta.audiences WHERE org = $1 AND id = $2`,
      [org, id],
    )
    return rows[0] && toAudience(rows[0])
  }

  /** The audience; throws AUDIENCE_NOT_FOUND. */
  async get(s: Session, org: string, id: string): Promise<StoredAudience> {
    const a = await this.find(s, org, id)
    if (!a)
      throw new AppError('AUDIENCE_NOT_FOUND', `No audience "${id.slice(0, 80)}" in this organisation`, {
        details: { audience: id.slice(0, 200) },
      })
    return a
  }

  /** Throws AUDIENCE_LABEL_TAKEN when another audience of the org has the label. */
  async assertLabelFree(s: Session, org: string, label: string, except?: string): Promise<void> {
    const rows = await s.query<{ id: string }>(
      'SELECT id FROM meta.audiences WHERE org = $1 AND lower(label) = lower($2) AND id <> $3',
      [org, label, except ?? ''],
    )
    if (rows[0])
      throw new AppError('AUDIENCE_LABEL_TAKEN', `An audience is already labelled "${label}"`, {
        details: { label, audience: rows[0].id },
      })
  }

  /** Inserts the catalog row of a new audience (version 0, no members). */
  async insert(s: Session, a: NewAudience, now: Date): Promise<void> {
    await s.run(
      `INSERT INTO meta.audiences (${COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, 0, 0)`,
      [
        a.id,
        a.org,
        a.label,
        a.type,
        a.dimension,
        a.identityField,
        a.identityNamespace,
        JSON.stringify(a.attributes),
        a.rule === null || a.rule === undefined ? null : JSON.stringify(a.rule),
        JSON.stringify(a.origin),
        a.owner,
        JSON.stringify(a.dependsOn),
        now,
        a.expiryDays,
      ],
    )
  }

  /** Changes label, expiry or rule (with the audiences it depends on). */
  async update(
    s: Session,
    id: string,
    change: { label?: string; expiryDays?: number | null; rule?: unknown; dependsOn?: string[] },
  ): Promise<void> {
    const a = await s.query<AudienceRow>(`SELECT ${COLUMNS} FROM meta.audiences WHERE id = $1`, [id])
    const row = a[0]!
    await s.run(
      `UPDATE meta.audiences SET label = $2, expiry_days = $3, rule = $4, depends_on = $5, updated_at = $6 WHERE id = $1`,
      [
        id,
        change.label ?? row.label,
        change.expiryDays === undefined ? row.expiry_days : change.expiryDays,
        change.rule === undefined ? row.rule : JSON.stringify(change.rule),
        change.dependsOn === undefined ? row.depends_on : JSON.stringify(change.dependsOn),
        new Date(),
      ],
    )
  }

  /** Makes `version` current with its size (the atomic switch, inside the caller's transaction). */
  async switchVersion(s: Session, id: string, v: AudienceVersion): Promise<void> {
    await s.run(
      'INSERT INTO meta.audience_versions (audience, version, created_at, size, entered, exited, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [id, v.version, new Date(v.createdAt), v.size, v.entered, v.exited, v.durationMs],
    )
    await s.run('UPDATE meta.audiences SET version = $2, size = $3, updated_at = $4 WHERE id = $1', [
      id,
      v.version,
      v.size,
      new Date(v.createdAt),
    ])
  }

  /** Versions, newest first. */
  async versions(s: Session, id: string, limit = 100): Promise<AudienceVersion[]> {
    const rows = await s.query<{
      version: number
      created_at: Date
      size: number
      entered: number
      exited: number
      duration_ms: number
    }>(
      `SELECT version, created_at, size, entered, exited, duration_ms FROM meta.audience_versions
       WHERE audience = $1 ORDER BY version DESC LIMIT ${Math.min(Math.max(limit, 1), 10_000)}`,
      [id],
    )
    return rows.map((r) => ({
      version: r.version,
      createdAt: iso(r.created_at),
      size: Number(r.size),
      entered: Number(r.entered),
      exited: Number(r.exited),
      durationMs: r.duration_ms,
    }))
  }

  /** Removes the audience's catalog and version rows. */
  async delete(s: Session, id: string): Promise<void> {
    await s.run('DELETE FROM meta.audience_versions WHERE audience = $1', [id])
    await s.run('DELETE FROM meta.audiences WHERE id = $1', [id])
  }
}

function iso(d: Date | string): string {
  return (d instanceof Date ? d : new Date(d)).toISOString()
}

/** When an audience with `expiryDays` created at `createdAt` expires. */
export function expiryOf(createdAt: string, expiryDays: number | null): Date | null {
  return expiryDays === null ? null : new Date(Date.parse(createdAt) + expiryDays * 86_400_000)
}

function toAudience(r: AudienceRow): StoredAudience {
  const createdAt = iso(r.created_at)
  const expiresAt = expiryOf(createdAt, r.expiry_days)
  const expired = expiresAt !== null && expiresAt.getTime() <= Date.now()
  return {
    id: r.id,
    org: r.org,
    label: r.label,
    type: r.type as AudienceType,
    dimension: r.dimension,
    identityField: r.identity_field,
    identityNamespace: r.identity_namespace,
    attributes: JSON.parse(r.attributes) as AudienceAttribute[],
    rule: r.rule === null ? null : JSON.parse(r.rule),
    origin: JSON.parse(r.origin) as AudienceOrigin,
    owner: r.owner,
    createdAt,
    updatedAt: iso(r.updated_at),
    expiryDays: r.expiry_days,
    expiresAt: expiresAt?.toISOString() ?? null,
    expired,
    version: r.version,
    size: expired ? 0 : Number(r.size),
    dependsOn: JSON.parse(r.depends_on) as string[],
  }
}
