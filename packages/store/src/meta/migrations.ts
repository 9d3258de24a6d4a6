import type { Engine } from '../engine'

/**
 * Metadata schema, one step per version. Steps are append-only: a released step is never
 * edited, a change is a new step.
 */
const STEPS: string[][] = [
  [
    `CREATE SCHEMA IF NOT EXISTS meta`,
    `CREATE TABLE meta.orgs (
       id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, settings VARCHAR NOT NULL DEFAULT '{}',
       created_at TIMESTAMP NOT NULL DEFAULT current_timestamp)`,
    `CREATE TABLE meta.tables (
       org VARCHAR NOT NULL, name VARCHAR NOT NULL, revision INTEGER NOT NULL, definition VARCHAR NOT NULL,
       created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL, PRIMARY KEY (org, name))`,
    `CREATE TABLE meta.batches (
       id VARCHAR PRIMARY KEY, org VARCHAR NOT NULL, table_name VARCHAR NOT NULL, file_name VARCHAR NOT NULL,
       format VARCHAR NOT NULL, status VARCHAR NOT NULL, report VARCHAR, reject_path VARCHAR,
       started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP)`,
    `CREATE TABLE meta.tokens (
       id VARCHAR PRIMARY KEY, org VARCHAR NOT NULL, name VARCHAR NOT NULL, hash VARCHAR NOT NULL UNIQUE,
       role VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP, revoked_at TIMESTAMP,
       last_used_at TIMESTAMP)`,
  ],
]

/** Brings the metadata schema up to the newest version, one transaction per step. */
export async function migrate(engine: Engine): Promise<number> {
  await engine.run('CREATE TABLE IF NOT EXISTS meta_version (version INTEGER NOT NULL)')
  const rows = await engine.query<{ v: number | null }>('SELECT max(version) AS v FROM meta_version')
  const current = rows[0]?.v ?? 0
  for (let version = current + 1; version <= STEPS.length; version++) {
    await engine.transaction(async (s) => {
      for (const sql of STEPS[version - 1]!) await s.run(sql)
      await s.run('INSERT INTO meta_version VALUES ($1)', [version])
    })
  }
  return STEPS.length
}
