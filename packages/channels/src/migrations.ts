import type { Engine } from '@ahub/store'

/**
 * Channel state, one step per version (append-only), kept by this package like the campaign
 * tables (docs/adr/0021-channels.md). Plain VARCHAR / TIMESTAMP columns only: the same statements
 * run on DuckDB, PostgreSQL and (through the store's dialect layer) ClickHouse.
 */
const STEPS: string[][] = [
  [
    `CREATE SCHEMA IF NOT EXISTS meta`,
    // Provider settings per org: `settings` is sealed (AES-256-GCM, bound to org and id), never returned.
    `CREATE TABLE meta.channel_providers (
       org VARCHAR NOT NULL, id VARCHAR NOT NULL, kind VARCHAR NOT NULL, settings VARCHAR NOT NULL,
       created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL, PRIMARY KEY (org, id))`,
  ],
]

/** Brings the channel tables up to date; call once at start-up, after the store's own migrations. */
export async function migrateChannels(engine: Engine): Promise<number> {
  await engine.run('CREATE TABLE IF NOT EXISTS meta_channels_version (version INTEGER NOT NULL)')
  const rows = await engine.query<{ v: number | null }>('SELECT max(version) AS v FROM meta_channels_version')
  const current = rows[0]?.v ?? 0
  for (let version = current + 1; version <= STEPS.length; version++) {
    await engine.transaction(async (s) => {
      for (const sql of STEPS[version - 1]!) await s.run(sql)
      await s.run('INSERT INTO meta_channels_version VALUES ($1)', [version])
    })
  }
  return STEPS.length
}
