import { type Engine, runMigrations } from '@ahub/store'

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
  [
    // The per-recipient ledger of a channel activity's delivery: one row per (run, activity, member).
    // status: queued | sending | retry | sent | failed | excluded; member '' with status 'populated'
    // marks a complete population (rows written before it are discarded after a crash).
    `CREATE TABLE meta.channel_messages (
       org VARCHAR NOT NULL, run VARCHAR NOT NULL, activity VARCHAR NOT NULL, member VARCHAR NOT NULL,
       address VARCHAR, fields VARCHAR, status VARCHAR NOT NULL, reason VARCHAR, attempts INTEGER NOT NULL,
       not_before TIMESTAMP, updated_at TIMESTAMP NOT NULL, PRIMARY KEY (run, activity, member))`,
    // Suppressed addresses per org and channel kind (unsubscribes, hard bounces, complaints).
    `CREATE TABLE meta.channel_suppressions (
       org VARCHAR NOT NULL, kind VARCHAR NOT NULL, address VARCHAR NOT NULL, reason VARCHAR NOT NULL,
       created_at TIMESTAMP NOT NULL, PRIMARY KEY (org, kind, address))`,
  ],
  [
    // A person's confirmation of a large send: the number of recipients they saw, who and when.
    `CREATE TABLE meta.channel_confirmations (
       org VARCHAR NOT NULL, run VARCHAR NOT NULL, activity VARCHAR NOT NULL, recipients INTEGER NOT NULL,
       confirmed_by VARCHAR NOT NULL, confirmed_at TIMESTAMP NOT NULL, PRIMARY KEY (run, activity))`,
  ],
]

/** Brings the channel tables up to date; call once at start-up, after the store's own migrations. */
export function migrateChannels(engine: Engine): Promise<number> {
  return runMigrations(engine, 'meta_channels_version', STEPS)
}
