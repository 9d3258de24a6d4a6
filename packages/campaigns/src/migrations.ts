import { type Engine, runMigrations } from '@ahub/store'

/**
 * Campaign metadata, one step per version (append-only), kept by this package so that the shared
 * migration list stays untouched (docs/adr/0008-campaign-run-state.md).
 */
const STEPS: string[][] = [
  [
    `CREATE SCHEMA IF NOT EXISTS meta`,
    `CREATE TABLE meta.campaigns (
       id VARCHAR PRIMARY KEY, org VARCHAR NOT NULL, label VARCHAR NOT NULL, status VARCHAR NOT NULL,
       revision INTEGER NOT NULL, definition VARCHAR NOT NULL, active_run VARCHAR,
       created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)`,
    `CREATE TABLE meta.campaign_runs (
       id VARCHAR PRIMARY KEY, org VARCHAR NOT NULL, campaign VARCHAR NOT NULL, mode VARCHAR NOT NULL,
       state VARCHAR NOT NULL, breakpoint VARCHAR, definition VARCHAR NOT NULL, error VARCHAR,
       created_at TIMESTAMP NOT NULL, finished_at TIMESTAMP)`,
    `CREATE TABLE meta.campaign_tasks (
       run VARCHAR NOT NULL, activity VARCHAR NOT NULL, status VARCHAR NOT NULL, attempts INTEGER NOT NULL,
       reached_at TIMESTAMP, not_before TIMESTAMP, started_at TIMESTAMP, finished_at TIMESTAMP,
       outputs VARCHAR NOT NULL DEFAULT '{}', error VARCHAR, PRIMARY KEY (run, activity))`,
    `CREATE TABLE meta.campaign_events (
       run VARCHAR NOT NULL, seq INTEGER NOT NULL, logged_at TIMESTAMP NOT NULL, activity VARCHAR, level VARCHAR NOT NULL,
       code VARCHAR, message VARCHAR NOT NULL, PRIMARY KEY (run, seq))`,
    // The exactly-once ledger of side effects: one row per (run, activity) that changes the outside world.
    `CREATE TABLE meta.campaign_effects (
       run VARCHAR NOT NULL, activity VARCHAR NOT NULL, status VARCHAR NOT NULL, audience VARCHAR,
       prior_version INTEGER, result VARCHAR, updated_at TIMESTAMP NOT NULL, PRIMARY KEY (run, activity))`,
  ],
  [
    // Values of the campaign's parameters bound for the run (JSON), and when its max-duration alert fired.
    `ALTER TABLE meta.campaign_runs ADD COLUMN parameters VARCHAR`,
    `ALTER TABLE meta.campaign_runs ADD COLUMN alerted_at TIMESTAMP`,
  ],
  [
    // Who answers for a run's effects (JSON Principal), and who published a campaign (its schedule's principal).
    `ALTER TABLE meta.campaign_runs ADD COLUMN principal VARCHAR`,
    `ALTER TABLE meta.campaigns ADD COLUMN published_by VARCHAR`,
  ],
]

/** Brings the campaign tables up to date; call once at start-up, after the store's own migrations. */
export function migrateCampaigns(engine: Engine): Promise<number> {
  return runMigrations(engine, 'meta_campaigns_version', STEPS)
}
