import type { Engine } from '@ahub/store'

/**
 * Sharing metadata, one step per version (append-only), kept by this package so that the store's
 * migration list stays untouched (as the campaign package does).
 */
const STEPS: string[][] = [
  [
    `CREATE SCHEMA IF NOT EXISTS meta`,
    // One row per export to or import from the hub.
    `CREATE TABLE meta.share_jobs (
       id VARCHAR PRIMARY KEY, org VARCHAR NOT NULL, direction VARCHAR NOT NULL, state VARCHAR NOT NULL,
       audience VARCHAR, shared_audience VARCHAR, shared_version INTEGER, counts VARCHAR NOT NULL,
       attempts INTEGER NOT NULL, error VARCHAR, request VARCHAR NOT NULL, report VARCHAR,
       created_at TIMESTAMP NOT NULL, started_at TIMESTAMP, finished_at TIMESTAMP,
       duration_ms DOUBLE, latency_ms DOUBLE)`,
    // One row per local audience fed by a shared audience (type `shared`, or `file` for decrypted contacts).
    `CREATE TABLE meta.share_imports (
       audience VARCHAR PRIMARY KEY, org VARCHAR NOT NULL, shared_audience VARCHAR NOT NULL,
       data_source VARCHAR NOT NULL, kind VARCHAR NOT NULL, dimension VARCHAR,
       force_reconciliation BOOLEAN NOT NULL, last_version INTEGER NOT NULL,
       created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)`,
  ],
  // The latest failure of following the hub for an import (JSON {code, message, at}), until a sync succeeds.
  [`ALTER TABLE meta.share_imports ADD COLUMN last_error VARCHAR`],
]

/** Brings the sharing tables up to date; call once at start-up, after the store's own migrations. */
export async function migrateSharing(engine: Engine): Promise<number> {
  await engine.run('CREATE TABLE IF NOT EXISTS meta_sharing_version (version INTEGER NOT NULL)')
  const rows = await engine.query<{ v: number | null }>('SELECT max(version) AS v FROM meta_sharing_version')
  const current = rows[0]?.v ?? 0
  for (let version = current + 1; version <= STEPS.length; version++) {
    await engine.transaction(async (s) => {
      for (const sql of STEPS[version - 1]!) await s.run(sql)
      await s.run('INSERT INTO meta_sharing_version VALUES ($1)', [version])
    })
  }
  return STEPS.length
}
