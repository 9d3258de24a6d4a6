import type { Engine } from './engine'

/**
 * Brings one package's tables up to date: `steps[i]` holds the statements of version `i + 1`,
 * each version applied in one transaction and recorded in `versionTable`. Steps are append-only:
 * a released step is never edited, a change is a new step. Returns the newest version.
 *
 * On DuckDB the schema change is checkpointed into the database file at once when no other write
 * is under way, so a crash right after a migration rarely has to replay DDL from the WAL.
 */
export async function runMigrations(
  engine: Engine,
  versionTable: string,
  steps: string[][],
): Promise<number> {
  if (!/^[a-z_]+$/.test(versionTable)) throw new Error(`Bad migration version table "${versionTable}"`)
  await engine.run(`CREATE TABLE IF NOT EXISTS ${versionTable} (version INTEGER NOT NULL)`)
  const rows = await engine.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${versionTable}`)
  const current = rows[0]?.v ?? 0
  for (let version = current + 1; version <= steps.length; version++) {
    await engine.transaction(async (s) => {
      for (const sql of steps[version - 1]!) await s.run(sql)
      await s.run(`INSERT INTO ${versionTable} VALUES ($1)`, [version])
    })
  }
  if (current < steps.length && engine.kind === 'duckdb') await checkpoint(engine)
  return steps.length
}

/**
 * Writes the WAL into the database file. DuckDB refuses while another write transaction is open
 * (a background purge, a package migrating after the store opened): the migration is committed
 * all the same and replays from the WAL; only its early copy into the file waits for the engine's
 * next automatic checkpoint. Steps avoid the DDL that DuckDB cannot replay (ADD COLUMN ... DEFAULT).
 */
async function checkpoint(engine: Engine): Promise<void> {
  try {
    await engine.run('CHECKPOINT')
  } catch (e) {
    if (!/Cannot CHECKPOINT: there are other write transactions active/.test((e as Error).message)) throw e
  }
}
