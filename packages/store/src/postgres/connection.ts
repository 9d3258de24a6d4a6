/**
 * The PostgreSQL server to use when none is configured: `AHUB_PG_URL`, else the local test
 * database `postgres://$PGUSER@127.0.0.1:5432/test` (user `postgres` when PGUSER is unset).
 */
export function postgresUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.AHUB_PG_URL ?? `postgres://${env.PGUSER ?? 'postgres'}@127.0.0.1:5432/test`
}
