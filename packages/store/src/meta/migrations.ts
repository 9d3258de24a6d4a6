import type { Engine } from '../engine'
import { runMigrations } from '../migrations'

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
  [
    `CREATE TABLE meta.users (
       id VARCHAR PRIMARY KEY, email VARCHAR NOT NULL UNIQUE, name VARCHAR, disabled BOOLEAN NOT NULL DEFAULT false,
       created_at TIMESTAMP NOT NULL DEFAULT current_timestamp)`,
    `CREATE TABLE meta.memberships (
       org VARCHAR NOT NULL, user_id VARCHAR NOT NULL, role VARCHAR NOT NULL,
       created_at TIMESTAMP NOT NULL DEFAULT current_timestamp, PRIMARY KEY (org, user_id))`,
    // Tokens now belong to a user and carry scopes; the first table's rows (role-bound, no user)
    // are carried over with the scopes of their role and get a user when the server bootstraps.
    `CREATE TABLE meta.api_tokens (
       id VARCHAR PRIMARY KEY, org VARCHAR NOT NULL, user_id VARCHAR, name VARCHAR NOT NULL,
       prefix VARCHAR NOT NULL, hash VARCHAR NOT NULL UNIQUE, scopes VARCHAR NOT NULL,
       created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP, revoked_at TIMESTAMP, last_used_at TIMESTAMP)`,
    `INSERT INTO meta.api_tokens (id, org, user_id, name, prefix, hash, scopes, created_at, expires_at, revoked_at, last_used_at)
       SELECT id, org, NULL, name, 'ahub_', hash,
         CASE role WHEN 'admin' THEN 'read,write,share,admin' WHEN 'marketer' THEN 'read,write,share' ELSE 'read' END,
         created_at, expires_at, revoked_at, last_used_at
       FROM meta.tokens`,
    `CREATE TABLE meta.audit (
       id VARCHAR PRIMARY KEY, occurred_at TIMESTAMP NOT NULL, org VARCHAR, actor_user VARCHAR, actor_token VARCHAR,
       action VARCHAR NOT NULL, target VARCHAR, outcome VARCHAR NOT NULL, reason VARCHAR, ip VARCHAR,
       user_agent VARCHAR, request_id VARCHAR, details VARCHAR NOT NULL DEFAULT '{}')`,
  ],
  [
    // Sign-in: local passwords (argon2id PHC strings), external identities (issuer + subject) and
    // the built-in OpenID provider's signing keys.
    `CREATE TABLE meta.credentials (
       user_id VARCHAR PRIMARY KEY, password_hash VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL)`,
    `CREATE TABLE meta.identities (
       issuer VARCHAR NOT NULL, subject VARCHAR NOT NULL, user_id VARCHAR NOT NULL, email VARCHAR,
       created_at TIMESTAMP NOT NULL, last_sign_in_at TIMESTAMP, PRIMARY KEY (issuer, subject))`,
    `CREATE TABLE meta.signing_keys (
       kid VARCHAR PRIMARY KEY, private_jwk VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)`,
  ],
  [
    // Audiences (docs/adr/0007-audience-versions.md): the catalog and one row per immutable version.
    // Members live in each org's schema (org_<id>._audience_members) as (entered, exited) version ranges.
    `CREATE TABLE meta.audiences (
       id VARCHAR PRIMARY KEY, org VARCHAR NOT NULL, label VARCHAR NOT NULL, type VARCHAR NOT NULL,
       dimension VARCHAR, identity_field VARCHAR, identity_namespace VARCHAR, attributes VARCHAR NOT NULL,
       rule VARCHAR, origin VARCHAR NOT NULL, owner VARCHAR NOT NULL, depends_on VARCHAR NOT NULL,
       created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL, expiry_days INTEGER,
       version INTEGER NOT NULL, size BIGINT NOT NULL)`,
    `CREATE TABLE meta.audience_versions (
       audience VARCHAR NOT NULL, version INTEGER NOT NULL, created_at TIMESTAMP NOT NULL, size BIGINT NOT NULL,
       entered BIGINT NOT NULL, exited BIGINT NOT NULL, duration_ms DOUBLE NOT NULL, PRIMARY KEY (audience, version))`,
  ],
  [
    // Scheduled refresh of query audiences (docs/audiences.md): a cron expression in a time zone.
    `CREATE TABLE meta.audience_schedules (
       audience VARCHAR PRIMARY KEY, org VARCHAR NOT NULL, cron VARCHAR NOT NULL, time_zone VARCHAR NOT NULL,
       next_run TIMESTAMP NOT NULL, last_run TIMESTAMP, last_version INTEGER, last_error VARCHAR,
       created_at TIMESTAMP NOT NULL)`,
  ],
  [
    // Batches get a sequence number, which dataset rows carry in `_batch` (a number is far cheaper
    // to write into millions of rows than the batch's text id).
    `CREATE SEQUENCE meta.batch_seq`,
    `ALTER TABLE meta.batches ADD COLUMN seq BIGINT`,
  ],
  [
    // A membership has a status of its own (docs/security.md, ADR 0015): `active`, `invited` (an
    // existing user added by another org's admin, until they accept) or `disabled` (in this org only).
    // No DEFAULT: DuckDB cannot replay an ADD COLUMN with a default from its WAL after a crash.
    `ALTER TABLE meta.memberships ADD COLUMN status VARCHAR`,
    `ALTER TABLE meta.memberships ADD COLUMN invited_by VARCHAR`,
    `UPDATE meta.memberships SET status = 'active' WHERE status IS NULL`,
  ],
  [
    // Sessions ended by signing out: the SHA-256 of the access token, kept until it would expire.
    `CREATE TABLE meta.revoked_sessions (hash VARCHAR PRIMARY KEY, expires_at TIMESTAMP NOT NULL)`,
  ],
  [
    // Deleted audiences whose member ranges are still being removed, a chunk at a time (MemberPurge).
    `CREATE TABLE meta.audience_purges (
       audience VARCHAR PRIMARY KEY, org VARCHAR NOT NULL, requested_at TIMESTAMP NOT NULL)`,
  ],
]

/** Brings the metadata schema up to the newest version, one transaction per step. */
export function migrate(engine: Engine): Promise<number> {
  return runMigrations(engine, 'meta_version', STEPS)
}
