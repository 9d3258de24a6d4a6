import type { IdentityLinkReport, TableDef } from '@ahub/core'
import { columnType, enumValues, retypeToEnum } from '../duckdb/enum-columns'
import { ident, type Session, type SqlValue } from '../engine'
import { type IdentitySettings, orgSchemaName } from '../meta/orgs'
import { SqlBuilder } from './checks'

/**
 * Creates an org's identity-link tables: links, links dropped by guardrails, flagged values. The
 * link's profile key and value are nearly all distinct within a block of rows, so they are stored
 * with FSST named up front: the engine then skips trying a dictionary on every write.
 */
export async function ensureIdentityTables(s: Session, schema: string): Promise<void> {
  await s.run(`CREATE TABLE IF NOT EXISTS ${schema}._identity_links (
    dimension VARCHAR NOT NULL, profile_key VARCHAR USING COMPRESSION fsst NOT NULL, namespace VARCHAR NOT NULL,
    value VARCHAR USING COMPRESSION fsst NOT NULL, source VARCHAR NOT NULL, first_seen TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL)`)
  await s.run(`CREATE TABLE IF NOT EXISTS ${schema}._identity_links_dropped (
    dimension VARCHAR, profile_key VARCHAR, namespace VARCHAR, value VARCHAR, source VARCHAR,
    first_seen TIMESTAMP, last_seen TIMESTAMP, reason VARCHAR, dropped_at TIMESTAMP)`)
  await s.run(`CREATE TABLE IF NOT EXISTS ${schema}._identity_flags (
    dimension VARCHAR NOT NULL, namespace VARCHAR NOT NULL, value VARCHAR NOT NULL, profile_count BIGINT NOT NULL,
    reason VARCHAR NOT NULL, flagged_at TIMESTAMP NOT NULL)`)
}

/** The columns of `_identity_links` that hold a few names each, kept as engine ENUMs. */
const NAME_COLUMNS = ['dimension', 'namespace', 'source'] as const

/**
 * Makes sure the link table's name columns (dimension, namespace, source) can hold the names a
 * batch of `tableName` writes. They are ENUMs: a name repeated in millions of links then costs a
 * byte to write, not a string. A new name widens the type (a rewrite of that column, once per new
 * table or namespace); a table still holding text from before is converted on its next batch.
 * Runs before the batch's own transaction, so the batch never holds a schema change.
 */
export async function prepareLinkColumns(
  s: Session,
  org: string,
  tableName: string,
  table: TableDef,
  present: Set<string>,
): Promise<void> {
  const ids = Object.entries(table.fields).filter(([name, f]) => f.identity && present.has(name))
  if (ids.length === 0) return
  const needed: Record<(typeof NAME_COLUMNS)[number], string[]> = {
    dimension: [table.linksTo?.table ?? tableName],
    namespace: ids.map(([, f]) => f.identity!.namespace),
    source: [tableName],
  }
  const schema = orgSchemaName(org)
  for (const column of NAME_COLUMNS) {
    const type = await columnType(s, schema, '_identity_links', column)
    const known = type.startsWith('ENUM') ? enumValues(type) : []
    if (!needed[column].every((v) => known.includes(v)))
      await retypeToEnum(s, schema, '_identity_links', column, needed[column])
  }
}

/**
 * Brings the identity links in line with the batch in `_final`: links from a dimension's own
 * identity fields follow its rows; an identity-link table (linksTo) adds links to the profile each
 * row names. Then the guardrails: caps per profile and namespace (the oldest links beyond a cap are
 * moved to `_identity_links_dropped`), and values linked to too many profiles are flagged, not merged.
 */
export async function updateIdentityLinks(
  s: Session,
  schema: string,
  tableName: string,
  table: TableDef,
  present: Set<string>,
  settings: IdentitySettings,
): Promise<IdentityLinkReport> {
  const links = `${schema}._identity_links`
  const ids = Object.entries(table.fields).filter(([name, f]) => f.identity && present.has(name))
  const dimension = table.linksTo?.table ?? tableName
  const keyCol = table.linksTo?.field ?? table.primaryKey[0]!
  const vf =
    table.versionField && present.has(table.versionField) ? table.fields[table.versionField] : undefined
  const seen =
    vf && (vf.type === 'timestamp' || vf.type === 'date')
      ? `coalesce(CAST(${ident(table.versionField!)} AS TIMESTAMP), current_timestamp::TIMESTAMP)`
      : 'current_timestamp::TIMESTAMP'
  // The batch's links, binding the namespaces into `b` (each statement numbers its own parameters).
  const unionSql = (b: SqlBuilder) => {
    const parts = ids.map(
      ([name, f]) =>
        `SELECT CAST(${ident(keyCol)} AS VARCHAR) AS profile_key, ${b.bind(f.identity!.namespace)} AS namespace,
                ${ident(`_n_${name}`)} AS value, ${seen} AS seen
         FROM _final WHERE _action IN ('I', 'U') AND ${ident(`_n_${name}`)} IS NOT NULL AND ${ident(keyCol)} IS NOT NULL`,
    )
    // With no identity column in the file (a delete file, say) there are no new links, but deletes still count.
    return parts.length > 0
      ? parts.join(' UNION ALL ')
      : 'SELECT NULL::VARCHAR AS profile_key, NULL::VARCHAR AS namespace, NULL::VARCHAR AS value, NULL::TIMESTAMP AS seen WHERE false'
  }
  const namespaces = ids.map(([, f]) => f.identity!.namespace)
  const first = (await count(s, `SELECT count(*) AS n FROM ${links} WHERE dimension = $1`, [dimension])) === 0
  // A first load of a dimension's own fields, keyed by one column, gives each profile at most one
  // link per namespace: when that fits the caps there is nothing to merge or cap, so the links go
  // straight from the batch into the table, without a grouped temp table in between.
  if (
    first &&
    !table.linksTo &&
    table.primaryKey.length === 1 &&
    new Set(namespaces).size === namespaces.length &&
    namespaces.length <= settings.maxIdentitiesPerProfile &&
    namespaces.every((ns) => (settings.maxPerNamespace[ns] ?? settings.maxIdentitiesPerProfile) >= 1)
  ) {
    const ib = new SqlBuilder()
    const d = ib.bind(dimension)
    const src = ib.bind(tableName)
    await s.run(
      `INSERT INTO ${links} SELECT ${d}, profile_key, namespace, value, ${src}, seen, seen FROM (${unionSql(ib)})`,
      ib.params,
    )
    const counted = ids.map(([name]) => `count(${ident(`_n_${name}`)})`).join(' + ') || '0'
    const linked = await count(
      s,
      `SELECT ${counted} AS n FROM _final WHERE _action IN ('I', 'U') AND ${ident(keyCol)} IS NOT NULL`,
    )
    const fb = new SqlBuilder()
    const flagged = await flagShared(s, schema, dimension, settings, `(${unionSql(fb)})`, fb)
    return { linked, removed: 0, overCap: 0, flagged }
  }
  const b = new SqlBuilder()
  await s.run(
    `CREATE TEMP TABLE _newlinks AS SELECT profile_key, namespace, value, max(seen) AS seen FROM (${unionSql(b)}) GROUP BY ALL`,
    b.params,
  )
  if (first)
    return firstLinks(s, schema, dimension, tableName, settings, table.linksTo ? undefined : namespaces)
  let removed = 0
  const before = await count(s, `SELECT count(*) AS n FROM ${links}`)
  if (!table.linksTo) {
    // The dimension's own fields: a changed or emptied identity replaces the old link; a deleted row loses all.
    const rb = new SqlBuilder()
    const d = rb.bind(dimension)
    const nsList = namespaces.length > 0 ? namespaces.map((n) => rb.bind(n)).join(', ') : 'NULL'
    await s.run(
      `DELETE FROM ${links} l WHERE l.dimension = ${d} AND (
         (l.source = ${d} AND l.namespace IN (${nsList})
          AND l.profile_key IN (SELECT CAST(${ident(keyCol)} AS VARCHAR) FROM _final WHERE _action = 'U')
          AND NOT EXISTS (SELECT 1 FROM _newlinks n WHERE n.profile_key = l.profile_key AND n.namespace = l.namespace AND n.value = l.value))
         OR l.profile_key IN (SELECT CAST(${ident(keyCol)} AS VARCHAR) FROM _final WHERE _action = 'D'))`,
      rb.params,
    )
  } else {
    const rb = new SqlBuilder()
    const d = rb.bind(dimension)
    const sourceName = rb.bind(tableName)
    const deleted = ids.map(
      ([name, f]) =>
        `SELECT CAST(${ident(keyCol)} AS VARCHAR) AS profile_key, ${rb.bind(f.identity!.namespace)} AS namespace, ${ident(`_n_${name}`)} AS value
         FROM _final WHERE _action = 'D'`,
    )
    if (deleted.length > 0) {
      await s.run(
        `DELETE FROM ${links} l WHERE l.dimension = ${d} AND l.source = ${sourceName}
         AND EXISTS (SELECT 1 FROM (${deleted.join(' UNION ALL ')}) x
                     WHERE x.profile_key = l.profile_key AND x.namespace = l.namespace AND x.value = l.value)`,
        rb.params,
      )
    }
  }
  removed = before - (await count(s, `SELECT count(*) AS n FROM ${links}`))

  const ub = new SqlBuilder()
  const d2 = ub.bind(dimension)
  const s2 = ub.bind(tableName)
  await s.run(
    `UPDATE ${links} l SET last_seen = greatest(l.last_seen, n.seen), first_seen = least(l.first_seen, n.seen)
     FROM _newlinks n WHERE l.dimension = ${d2} AND l.source = ${s2}
       AND l.profile_key = n.profile_key AND l.namespace = n.namespace AND l.value = n.value`,
    ub.params,
  )
  const afterDelete = await count(s, `SELECT count(*) AS n FROM ${links}`)
  await s.run(
    `INSERT INTO ${links} SELECT ${d2}, n.profile_key, n.namespace, n.value, ${s2}, n.seen, n.seen FROM _newlinks n
     WHERE NOT EXISTS (SELECT 1 FROM ${links} l WHERE l.dimension = ${d2} AND l.source = ${s2}
       AND l.profile_key = n.profile_key AND l.namespace = n.namespace AND l.value = n.value)`,
    ub.params,
  )
  const linked = (await count(s, `SELECT count(*) AS n FROM ${links}`)) - afterDelete

  const overCap = await enforceCaps(s, schema, dimension, settings)
  const flagged = await flagShared(s, schema, dimension, settings)
  await s.run('DROP TABLE _newlinks')
  return { linked, removed, overCap, flagged }
}

/**
 * The first links of a dimension (a first load): nothing to replace or merge, so the new links are
 * inserted as they are, and the guardrails are checked on the batch alone before touching the table.
 */
async function firstLinks(
  s: Session,
  schema: string,
  dimension: string,
  tableName: string,
  settings: IdentitySettings,
  ownFields?: string[],
): Promise<IdentityLinkReport> {
  const links = `${schema}._identity_links`
  await s.run(
    `INSERT INTO ${links} SELECT $1, profile_key, namespace, value, $2, seen, seen FROM _newlinks`,
    [dimension, tableName],
  )
  const linked = await count(s, 'SELECT count(*) AS n FROM _newlinks')
  const b = new SqlBuilder()
  const cap = capSql(settings, b)
  // A dimension's own fields give each profile at most one link per field: when the fields fit the
  // caps, no profile can exceed them and nothing needs counting.
  const fits =
    ownFields !== undefined &&
    ownFields.length <= settings.maxIdentitiesPerProfile &&
    ownFields.every(
      (ns) =>
        ownFields.filter((x) => x === ns).length <=
        (settings.maxPerNamespace[ns] ?? settings.maxIdentitiesPerProfile),
    )
  const over = fits
    ? 0
    : await count(
        s,
        `SELECT count(*) AS n FROM (
       SELECT profile_key, namespace, count(*) AS c, any_value(${cap}) AS cap FROM _newlinks GROUP BY ALL) x
     WHERE c > cap OR c > ${b.bind(settings.maxIdentitiesPerProfile)}
        OR profile_key IN (SELECT profile_key FROM _newlinks GROUP BY 1 HAVING count(*) > ${b.bind(settings.maxIdentitiesPerProfile)})`,
        b.params,
      )
  const overCap = over > 0 ? await enforceCaps(s, schema, dimension, settings) : 0
  const flagged = await flagShared(s, schema, dimension, settings, '_newlinks')
  await s.run('DROP TABLE _newlinks')
  return { linked, removed: 0, overCap, flagged }
}

/** The cap of the row's namespace, as SQL over a `namespace` column. */
function capSql(settings: IdentitySettings, b: SqlBuilder): string {
  const caps = Object.entries(settings.maxPerNamespace)
  return caps.length > 0
    ? `CASE namespace ${caps.map(([ns, n]) => `WHEN ${b.bind(ns)} THEN ${b.bind(n)}`).join(' ')} ELSE ${b.bind(settings.maxIdentitiesPerProfile)} END`
    : b.bind(settings.maxIdentitiesPerProfile)
}

/** Moves links beyond the per-namespace and per-profile caps (oldest first) out of the link table. */
async function enforceCaps(
  s: Session,
  schema: string,
  dimension: string,
  settings: IdentitySettings,
): Promise<number> {
  const links = `${schema}._identity_links`
  const b = new SqlBuilder()
  const d = b.bind(dimension)
  const capExpr = capSql(settings, b)
  const total = b.bind(settings.maxIdentitiesPerProfile)
  await s.run(
    `CREATE TEMP TABLE _overcap AS SELECT rowid AS r FROM (
       SELECT rowid, ${capExpr} AS cap,
         row_number() OVER (PARTITION BY profile_key, namespace ORDER BY last_seen DESC, value) AS rn_ns,
         row_number() OVER (PARTITION BY profile_key ORDER BY last_seen DESC, namespace, value) AS rn_all
       FROM ${links} WHERE dimension = ${d}
         AND profile_key IN (SELECT DISTINCT profile_key FROM _newlinks)
     ) WHERE rn_ns > cap OR rn_all > ${total}`,
    b.params,
  )
  const n = await count(s, 'SELECT count(*) AS n FROM _overcap')
  if (n > 0) {
    await s.run(
      `INSERT INTO ${schema}._identity_links_dropped SELECT *, 'over cap', current_timestamp FROM ${links}
       WHERE rowid IN (SELECT r FROM _overcap)`,
    )
    await s.run(`DELETE FROM ${links} WHERE rowid IN (SELECT r FROM _overcap)`)
  }
  await s.run('DROP TABLE _overcap')
  return n
}

/**
 * Flags identity values now linked to more profiles than allowed; they stay linked, nothing is
 * merged. On a first load the batch's own links (`newLinks`, a relation, with its parameters already
 * in `b`) are all there is to count.
 */
async function flagShared(
  s: Session,
  schema: string,
  dimension: string,
  settings: IdentitySettings,
  newLinks?: string,
  b = new SqlBuilder(),
): Promise<number> {
  const max = b.bind(settings.maxProfilesPerIdentity)
  // Grouping by one 64-bit hash is much cheaper than by two strings; only values whose hash is shared
  // by too many links can be shared by too many profiles, so the exact count runs on those alone.
  const sql = newLinks
    ? `CREATE TEMP TABLE _flags AS SELECT namespace, value, count(*) AS n FROM ${newLinks} l
       WHERE hash(namespace, value) IN (SELECT hash(namespace, value) FROM ${newLinks} h GROUP BY 1 HAVING count(*) > ${max})
       GROUP BY ALL HAVING count(*) > ${max}`
    : `CREATE TEMP TABLE _flags AS SELECT l.namespace, l.value, count(DISTINCT l.profile_key) AS n
       FROM ${schema}._identity_links l
       WHERE l.dimension = ${b.bind(dimension)}
         AND EXISTS (SELECT 1 FROM _newlinks n WHERE n.namespace = l.namespace AND n.value = l.value)
       GROUP BY ALL HAVING count(DISTINCT l.profile_key) > ${max}`
  await s.run(sql, b.params)
  await s.run(
    `DELETE FROM ${schema}._identity_flags f WHERE f.dimension = $1 AND (f.namespace, f.value) IN (SELECT (namespace, value) FROM _flags)`,
    [dimension],
  )
  await s.run(
    `INSERT INTO ${schema}._identity_flags SELECT $1, namespace, value, n, 'linked to too many profiles', current_timestamp FROM _flags`,
    [dimension],
  )
  const n = await count(s, 'SELECT count(*) AS n FROM _flags')
  await s.run('DROP TABLE _flags')
  return n
}

async function count(s: Session, sql: string, params: SqlValue[] = []): Promise<number> {
  const rows = await s.query<{ n: number }>(sql, params)
  return Number(rows[0]?.n ?? 0)
}
