import type { FieldDef, TableDef } from '@ahub/core'
import { type Engine, ident, literal, type Session } from '../engine'
import type { SchemaCatalog } from '../meta/catalog'
import { orgSchemaName } from '../meta/orgs'
import { normalisedIdentitySql, trimmedSql } from './checks'
import { normalisePhonePairs } from './phone-sql'

/** How many stored values of one identity column a data migration rewrote. */
export interface IdentityColumnChange {
  org: string
  table: string
  field: string
  changed: number
}

/** One data migration applied when the store opened. */
export interface DataMigrationReport {
  name: string
  changes: IdentityColumnChange[]
  /** Sum of `changes[].changed`. */
  changed: number
}

const NAME = 'canonical-identity-columns'

/**
 * Once per data directory: rewrites identity columns ingested before they held canonical values
 * (trimmed, lower-cased e-mails, E.164 phones, lower-case hex digests: the values identity links
 * hold). Invalid values, which ingestion never lets in, stay as they are. Returns the report the
 * first time, undefined once applied; the report is also kept in meta.data_migrations.
 */
export async function migrateIdentityColumns(
  engine: Engine,
  catalog: SchemaCatalog,
): Promise<DataMigrationReport | undefined> {
  await engine.run(
    `CREATE TABLE IF NOT EXISTS meta.data_migrations (
       name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL, report VARCHAR NOT NULL)`,
  )
  const done = await engine.query('SELECT 1 FROM meta.data_migrations WHERE name = $1', [NAME])
  if (done.length > 0) return undefined
  const orgs = await engine.query<{ id: string }>('SELECT id FROM meta.orgs ORDER BY id')
  const changes: IdentityColumnChange[] = []
  await engine.withSession(async (s) => {
    for (const { id: org } of orgs) {
      const tables = await catalog.definitions(org)
      for (const [name, table] of Object.entries(tables)) {
        const target = `${ident(orgSchemaName(org))}.${ident(name)}`
        const exists = await s.query(
          'SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2',
          [orgSchemaName(org), name],
        )
        if (exists.length === 0) continue
        for (const [field, def] of Object.entries(table.fields)) {
          // A key column is left as it is: identity links and audience members name rows by it.
          if (!def.identity || table.primaryKey.includes(field)) continue
          const changed = await canonicalise(s, target, field, def, table)
          changes.push({ org, table: name, field, changed })
        }
      }
    }
    const report: DataMigrationReport = {
      name: NAME,
      changes,
      changed: changes.reduce((n, c) => n + c.changed, 0),
    }
    await s.run('INSERT INTO meta.data_migrations VALUES ($1, current_timestamp, $2)', [
      NAME,
      JSON.stringify(report),
    ])
  })
  return { name: NAME, changes, changed: changes.reduce((n, c) => n + c.changed, 0) }
}

/** Rewrites one identity column to its canonical values; returns how many rows changed. */
async function canonicalise(
  s: Session,
  target: string,
  field: string,
  def: FieldDef,
  table: TableDef,
): Promise<number> {
  const col = ident(field)
  if (def.identity!.namespace === 'phone') {
    const cf = def.identity!.countryField
    const country = (prefix: string) =>
      cf && table.fields[cf]
        ? `coalesce(upper(trim(CAST(${prefix}${ident(cf)} AS VARCHAR))), '')`
        : literal(def.identity!.defaultCountry ?? '')
    await normalisePhonePairs(
      s,
      `SELECT DISTINCT ${trimmedSql(field)} AS raw, ${country('')} AS country FROM ${target} WHERE ${trimmedSql(field)} IS NOT NULL`,
      '_canonical_phones',
    )
    const [row] = await s.query<{ n: number }>(
      `SELECT count(*) AS n FROM ${target} t JOIN _canonical_phones p
         ON p._raw_in = ${trimmedSql(field, 't')} AND p._country_in = ${country('t.')}
       WHERE p._e164 IS NOT NULL AND p._e164 IS DISTINCT FROM t.${col}`,
    )
    if (Number(row?.n ?? 0) > 0)
      // Inside UPDATE ... FROM, unqualified names are the target's (the pairs table has none of them).
      await s.run(
        `UPDATE ${target} SET ${col} = p._e164 FROM _canonical_phones p
         WHERE p._e164 IS NOT NULL AND p._raw_in = ${trimmedSql(field)} AND p._country_in = ${country('')}
           AND p._e164 IS DISTINCT FROM ${col}`,
      )
    await s.run('DROP TABLE IF EXISTS _canonical_phones')
    return Number(row?.n ?? 0)
  }
  const canonical = normalisedIdentitySql(trimmedSql(field), def)
  const where = `WHERE ${canonical} IS NOT NULL AND ${canonical} IS DISTINCT FROM ${col}`
  const [row] = await s.query<{ n: number }>(`SELECT count(*) AS n FROM ${target} ${where}`)
  if (Number(row?.n ?? 0) > 0) await s.run(`UPDATE ${target} SET ${col} = ${canonical} ${where}`)
  return Number(row?.n ?? 0)
}
