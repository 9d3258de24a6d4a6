import { AppError, assertIdentifier } from '@ahub/core'
import type { SecretBox } from '@ahub/hub'
import type { Session } from '@ahub/store'
import { type ProviderInfo, type ProviderSettings, parseProviderSettings } from './settings'

interface Row {
  org: string
  id: string
  kind: ProviderSettings['kind']
  settings: string
  created_at: string | Date
  updated_at: string | Date
}

const iso = (v: string | Date): string => (v instanceof Date ? v.toISOString() : new Date(v).toISOString())

/**
 * Per-org provider settings, sealed at rest under the master key with `org/id` as the
 * authenticated context (a sealed value copied to another org or id does not open). Settings are
 * write-only: `info` and `list` give kinds and the names of configured settings, never values.
 */
export class ProviderStore {
  constructor(private readonly box: SecretBox) {}

  private context(org: string, id: string): string {
    return `ahub-channel-provider:${org}/${id}`
  }

  /** Creates or replaces a provider's settings; returns what the API may show. */
  async put(s: Session, org: string, id: string, input: unknown, now = new Date()): Promise<ProviderInfo> {
    assertIdentifier(id, 'provider id')
    const settings = parseProviderSettings(input)
    const sealed = this.box.seal(JSON.stringify(settings), this.context(org, id))
    const existing = await s.query<Row>('SELECT * FROM meta.channel_providers WHERE org = $1 AND id = $2', [
      org,
      id,
    ])
    if (existing.length === 0) {
      await s.run('INSERT INTO meta.channel_providers VALUES ($1, $2, $3, $4, $5, $5)', [
        org,
        id,
        settings.kind,
        sealed,
        now.toISOString(),
      ])
    } else {
      await s.run(
        'UPDATE meta.channel_providers SET kind = $3, settings = $4, updated_at = $5 WHERE org = $1 AND id = $2',
        [org, id, settings.kind, sealed, now.toISOString()],
      )
    }
    return (await this.info(s, org, id))!
  }

  async info(s: Session, org: string, id: string): Promise<ProviderInfo | undefined> {
    const row = (
      await s.query<Row>('SELECT * FROM meta.channel_providers WHERE org = $1 AND id = $2', [org, id])
    )[0]
    return row ? this.describe(row) : undefined
  }

  /** The provider's info; CHANNEL_PROVIDER_NOT_FOUND when the org has none by that id. */
  async get(s: Session, org: string, id: string): Promise<ProviderInfo> {
    const info = await this.info(s, org, id)
    if (!info) throw notFound(id)
    return info
  }

  async list(s: Session, org: string): Promise<ProviderInfo[]> {
    const rows = await s.query<Row>('SELECT * FROM meta.channel_providers WHERE org = $1 ORDER BY id', [org])
    return rows.map((r) => this.describe(r))
  }

  async remove(s: Session, org: string, id: string): Promise<void> {
    if (!(await this.info(s, org, id))) throw notFound(id)
    await s.run('DELETE FROM meta.channel_providers WHERE org = $1 AND id = $2', [org, id])
  }

  /** The opened settings, for the transport only (never for a response or a log line). */
  async open(s: Session, org: string, id: string): Promise<ProviderSettings> {
    const row = (
      await s.query<Row>('SELECT * FROM meta.channel_providers WHERE org = $1 AND id = $2', [org, id])
    )[0]
    if (!row) throw notFound(id)
    return parseProviderSettings(JSON.parse(this.box.open(row.settings, this.context(org, id))))
  }

  private describe(row: Row): ProviderInfo {
    const settings = parseProviderSettings(
      JSON.parse(this.box.open(row.settings, this.context(row.org, row.id))),
    )
    return {
      id: row.id,
      kind: row.kind,
      configured: Object.keys(settings)
        .filter((k) => k !== 'kind' && (settings as Record<string, unknown>)[k] !== undefined)
        .sort(),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    }
  }
}

function notFound(id: string): AppError {
  return new AppError('CHANNEL_PROVIDER_NOT_FOUND', `No channel provider "${id}"`, { details: { id } })
}
