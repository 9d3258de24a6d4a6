import { type Engine, runMigrations } from '@ahub/store'

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
export function migrateSharing(engine: Engine): Promise<number> {
  return runMigrations(engine, 'meta_sharing_version', STEPS)
}
