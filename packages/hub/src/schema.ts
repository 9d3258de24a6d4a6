import type { Engine } from '@ahub/store'

/**
 * The hub's tables, in the schema `hub` of its own DuckDB file (never an installation's store).
 * Members are membership ranges: an ID belongs to versions [from_version, to_version), so any
 * version can be read and the delta between two versions is a range query, not a copy.
 */
const STATEMENTS = [
  'CREATE SCHEMA IF NOT EXISTS hub',
  `CREATE TABLE IF NOT EXISTS hub.meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS hub.tokens (
     id VARCHAR PRIMARY KEY, org VARCHAR NOT NULL, name VARCHAR NOT NULL, prefix VARCHAR NOT NULL,
     hash VARCHAR NOT NULL UNIQUE, created_at TIMESTAMPTZ NOT NULL, revoked_at TIMESTAMPTZ)`,
  `CREATE TABLE IF NOT EXISTS hub.data_sources (
     id VARCHAR PRIMARY KEY, owner VARCHAR NOT NULL, label VARCHAR NOT NULL, alias VARCHAR NOT NULL,
     id_type VARCHAR NOT NULL, namespace VARCHAR NOT NULL, channel VARCHAR NOT NULL,
     kind VARCHAR NOT NULL, bits INTEGER, secret VARCHAR, priority INTEGER NOT NULL,
     created_at TIMESTAMPTZ NOT NULL)`,
  `CREATE SEQUENCE IF NOT EXISTS hub.audience_seq START 1`,
  `CREATE TABLE IF NOT EXISTS hub.shared_audiences (
     id VARCHAR PRIMARY KEY, seq INTEGER NOT NULL, owner VARCHAR NOT NULL, name VARCHAR NOT NULL,
     data_source VARCHAR NOT NULL, version INTEGER NOT NULL, size BIGINT NOT NULL,
     created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL, deleted_at TIMESTAMPTZ)`,
  `CREATE TABLE IF NOT EXISTS hub.shares (audience VARCHAR NOT NULL, org VARCHAR NOT NULL, PRIMARY KEY (audience, org))`,
  `CREATE TABLE IF NOT EXISTS hub.versions (
     audience VARCHAR NOT NULL, version INTEGER NOT NULL, size BIGINT NOT NULL, added BIGINT NOT NULL,
     removed BIGINT NOT NULL, created_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (audience, version))`,
  `CREATE TABLE IF NOT EXISTS hub.publish_requests (
     audience VARCHAR NOT NULL, request_id VARCHAR NOT NULL, version INTEGER NOT NULL,
     created_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (audience, request_id))`,
  // `aud` is the audience's integer seq: narrower than its text id, and rows of one audience are
  // written together, so min/max statistics let a scan skip other audiences' row groups.
  `CREATE TABLE IF NOT EXISTS hub.members (
     aud INTEGER NOT NULL, id VARCHAR NOT NULL, from_version INTEGER NOT NULL, to_version INTEGER)`,
]

/** Creates the hub's tables when missing. */
export async function migrateHub(engine: Engine): Promise<void> {
  for (const sql of STATEMENTS) await engine.run(sql)
  await engine.run(
    `INSERT INTO hub.meta (key, value) VALUES ('schema_version', '1') ON CONFLICT (key) DO NOTHING`,
  )
}
