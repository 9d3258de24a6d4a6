import {
  type Protection,
  protectIds,
  type ResolvedProtection,
  resolveProtection,
  unprotectIds,
} from '@ahub/core'
import { ident, literal, NEXT_TABLE, orgSchema, type Session } from '@ahub/store'
import { hexDigestSql, invalidReason, localValuesSql, normaliseSql, trimSql } from './ids-sql'

/** Counts of one reconciliation (docs/sharing.md). */
export interface MatchCounts {
  received: number
  matched: number
  unmatched: number
  invalid: number
  ambiguous: number
  /** Distinct members written (several IDs can match one profile). */
  members: number
}

/** Rows handed to JavaScript (and back) per batch when a key is needed. */
const BATCH = 100_000

/** SQL reading a file of one ID per line, blank lines skipped (the hub's files hold each ID once). */
function readIdsSql(file: string): string {
  return `SELECT raw FROM read_csv(${literal(file)},
       columns = {'raw': 'VARCHAR'}, header = false, delim = chr(1), quote = '', escape = '',
       auto_detect = false, strict_mode = false) WHERE raw IS NOT NULL AND raw <> ''`
}

/** Loads a file of one ID per line into the session's table `_share_in(raw)`; returns how many distinct IDs. */
export async function loadIds(s: Session, file: string): Promise<number> {
  await s.run(`CREATE OR REPLACE TEMP TABLE _share_in AS SELECT DISTINCT raw FROM (${readIdsSql(file)})`)
  const [r] = await s.query<{ n: number }>('SELECT count(*) AS n FROM _share_in')
  return Number(r!.n)
}

/** How local values are transformed to compare with incoming IDs of a protection. */
type Transform = 'plain' | 'sha256' | 'keyed'

function transformOf(protection: Protection): Transform {
  return protection.kind === 'sha256' ? 'sha256' : protection.kind === 'hmac-sha256' ? 'keyed' : 'plain'
}

/** SQL of the value an incoming ID (`raw`) is compared on, NULL when invalid; and why it is invalid. */
function keySql(namespace: string, protection: Protection): { key: string; reason: string } {
  if (protection.kind === 'sha256' || protection.kind === 'hmac-sha256')
    return { key: hexDigestSql(trimSql('raw')), reason: literal('not a hex SHA-256 digest') }
  return { key: normaliseSql(trimSql('raw'), namespace), reason: literal(invalidReason(namespace)) }
}

/**
 * Decrypts the IDs of `file` and keys them: `_share_keyed(raw, key, reason)` with the normalised
 * plaintext, or NULL and why (does not decrypt, or not valid in the namespace).
 */
async function keyEncrypted(
  s: Session,
  file: string,
  namespace: string,
  protection: Protection,
): Promise<void> {
  await loadIds(s, file)
  await decryptIncoming(s, protection)
  const key = normaliseSql(trimSql('plain'), namespace)
  await s.run(
    `CREATE OR REPLACE TEMP TABLE _share_keyed AS
     SELECT raw, key, CASE WHEN plain IS NULL THEN 'does not decrypt: ' || failure
                           WHEN key IS NULL THEN ${literal(invalidReason(namespace))} END AS reason
     FROM (SELECT raw, plain, failure, ${key} AS key FROM _share_dec)`,
  )
}

/** Decrypts `_share_in` into `_share_dec(raw, plain, failure)`; plain is NULL where the ciphertext does not decrypt. */
async function decryptIncoming(s: Session, p: Protection): Promise<void> {
  const resolved = resolveProtection(p)
  await s.run('CREATE OR REPLACE TEMP TABLE _share_dec (raw VARCHAR, plain VARCHAR, failure VARCHAR)')
  let raws: string[] = []
  const flush = async () => {
    if (raws.length === 0) return
    const results = unprotectIds(raws, resolved)
    const plains = results.map((r) => (r.ok ? r.value : null))
    const failures = results.map((r) => (r.ok ? null : r.reason))
    await s.appendTextColumns('_share_dec', [raws, plains, failures], { temp: true })
    raws = []
  }
  await s.stream('SELECT raw FROM _share_in', [], async (rows) => {
    for (const r of rows) raws.push(String(r.raw))
    if (raws.length >= BATCH) await flush()
  })
  await flush()
}

/**
 * The relation `(profile_key, key)` of the org's values of the namespace for the dimension,
 * transformed like the incoming side: a kept table of SHA-256 keys, or the temp table
 * `_share_local` (plain, or HMAC-ed in JavaScript). Returns its name.
 */
async function keyLocal(
  s: Session,
  org: string,
  dimension: string,
  namespace: string,
  transform: 'plain' | 'sha256' | 'keyed',
  protection: Protection,
  background?: Background,
): Promise<string> {
  const local = localValuesSql(orgSchema(org), namespace)
  const params = [dimension, ...local.params]
  if (transform === 'sha256') return sha256Keys(s, org, dimension, namespace, local.sql, params, background)
  // Materialised: DuckDB hashes and joins faster from a table than through one larger statement.
  if (transform === 'plain') {
    await s.run(
      `CREATE OR REPLACE TEMP TABLE _share_local AS SELECT profile_key, value AS key FROM (${local.sql})`,
      params,
    )
    return '_share_local'
  }
  const resolved: ResolvedProtection = resolveProtection(protection)
  await s.run('CREATE OR REPLACE TEMP TABLE _share_local (profile_key VARCHAR, key VARCHAR)')
  let keys: string[] = []
  let values: string[] = []
  const flush = async () => {
    if (keys.length === 0) return
    await s.appendTextColumns('_share_local', [keys, protectIds(values, resolved)], { temp: true })
    keys = []
    values = []
  }
  await s.stream(local.sql, params, async (rows) => {
    for (const r of rows) {
      keys.push(String(r.profile_key))
      values.push(String(r.value))
    }
    if (keys.length >= BATCH) await flush()
  })
  await flush()
  return '_share_local'
}

/** Runs work after the reconciliation, in a session of its own (the sharing service tracks it). */
export type Background = (work: (s: Session) => Promise<void>) => void

/** Hashed-key tables being (re)built, within this process. */
const rebuilding = new Set<string>()

/**
 * The org's values of the namespace hashed with SHA-256. Hashing every local value costs about a
 * second per million whatever the size of the incoming set, so they are kept in a table of the
 * org's schema (`_share_sha256_<dimension>__<namespace>`) with a signature of the identity links
 * they came from: an import of a small change reuses it while the links are unchanged. When it is
 * missing or stale, this import hashes into a temp table as before, and the kept table is rebuilt
 * in the background (when `background` is given), off the import's path. Returns the relation.
 */
async function sha256Keys(
  s: Session,
  org: string,
  dimension: string,
  namespace: string,
  localSql: string,
  params: string[],
  background?: Background,
): Promise<string> {
  const schema = orgSchema(org)
  const name = `_share_sha256_${dimension}__${namespace}`
  const table = `${schema}.${ident(name)}`
  const signatureOf = async (x: Session) => {
    const [row] = await x.query<{ sig: string }>(
      `SELECT count(*)::VARCHAR || ':' || coalesce(bit_xor(hash(profile_key, value)), 0)::VARCHAR AS sig
       FROM (${localSql})`,
      params,
    )
    return row!.sig
  }
  await s.run(
    `CREATE TABLE IF NOT EXISTS ${schema}._share_sha256_signatures (name VARCHAR PRIMARY KEY, sig VARCHAR NOT NULL)`,
  )
  const keptSignature = async (x: Session) => {
    const [kept] = await x.query<{ sig: string }>(
      `SELECT g.sig FROM ${schema}._share_sha256_signatures g
       JOIN duckdb_tables() t ON t.schema_name = $2 AND t.table_name = g.name WHERE g.name = $1`,
      [name, `org_${org}`],
    )
    return kept?.sig
  }
  const sig = await signatureOf(s)
  if ((await keptSignature(s)) === sig) return table
  await s.run(
    `CREATE OR REPLACE TEMP TABLE _share_local AS SELECT profile_key, sha256(value) AS key FROM (${localSql})`,
    params,
  )
  const key = `${org}.${name}`
  if (background && !rebuilding.has(key)) {
    rebuilding.add(key)
    background(async (b) => {
      try {
        // Built under a new name, then swapped in, so a reader never sees a half-built table.
        const next = `${schema}.${ident(`${name}_next`)}`
        const built = await signatureOf(b)
        // Another rebuild may have finished since this import looked: it would be the same table.
        if ((await keptSignature(b)) === built) return
        await b.run(
          `CREATE OR REPLACE TABLE ${next} AS SELECT profile_key, sha256(value) AS key FROM (${localSql})`,
          params,
        )
        await b.run(`DROP TABLE IF EXISTS ${table}`)
        await b.run(`ALTER TABLE ${next} RENAME TO ${ident(name)}`)
        await b.run(`INSERT OR REPLACE INTO ${schema}._share_sha256_signatures (name, sig) VALUES ($1, $2)`, [
          name,
          built,
        ])
      } finally {
        rebuilding.delete(key)
      }
    })
  }
  return '_share_local'
}

/**
 * Reconciles the IDs of `file` with the org's profiles through the namespace, fills the session's
 * next-members table (NEXT_TABLE) with the matched profiles, and writes every unmatched, invalid
 * and ambiguous ID to the CSV report `id,outcome,reason`.
 *
 * `_share_match(raw, n, profile, other, reason)` holds one row per ID: how many links it hit, the
 * smallest and largest profile (equal: matched; different: ambiguous), and why it is invalid.
 * Clear IDs (already normalised, as another installation exports them) are matched as they come;
 * only those that match nothing are normalised and validated, then matched again.
 */
export async function reconcile(
  s: Session,
  input: { org: string; dimension: string; namespace: string; protection: Protection },
  files: { ids: string; report: string },
  background?: Background,
): Promise<MatchCounts> {
  const localKeys = await keyLocal(
    s,
    input.org,
    input.dimension,
    input.namespace,
    transformOf(input.protection),
    input.protection,
    background,
  )
  const hits = (from: string, key: string) =>
    `SELECT k.raw, count(l.profile_key) AS n, min(l.profile_key) AS profile, max(l.profile_key) AS other
     FROM ${from} k LEFT JOIN ${localKeys} l ON l.key = k.${key} GROUP BY k.raw`
  if (input.protection.kind === 'aes-cbc') {
    await keyEncrypted(s, files.ids, input.namespace, input.protection)
    await s.run(
      `CREATE OR REPLACE TEMP TABLE _share_match AS
       SELECT h.*, k.reason FROM (${hits('_share_keyed', 'key')}) h JOIN _share_keyed k ON k.raw = h.raw`,
    )
  } else {
    await s.run(`CREATE OR REPLACE TEMP TABLE _share_in AS ${readIdsSql(files.ids)}`)
    await s.run(
      `CREATE OR REPLACE TEMP TABLE _share_match AS
       SELECT *, NULL::VARCHAR AS reason FROM (${hits('_share_in', 'raw')})`,
    )
    const { key, reason } = keySql(input.namespace, input.protection)
    await s.run(
      `CREATE OR REPLACE TEMP TABLE _share_retry AS SELECT raw, ${key} AS key FROM _share_match WHERE n = 0`,
    )
    await s.run(
      `UPDATE _share_match m SET reason = ${reason} FROM _share_retry r WHERE r.raw = m.raw AND r.key IS NULL`,
    )
    await s.run(
      `UPDATE _share_match m SET n = x.n, profile = x.profile, other = x.other
       FROM (${hits('(SELECT * FROM _share_retry WHERE key IS NOT NULL AND key <> raw)', 'key')}) x
       WHERE x.raw = m.raw AND x.n > 0`,
    )
  }
  await s.run(
    `INSERT INTO ${NEXT_TABLE} (member)
     SELECT DISTINCT profile FROM _share_match WHERE reason IS NULL AND n > 0 AND profile = other`,
  )
  const [c] = await s.query<Record<keyof MatchCounts, number>>(
    `SELECT count(*) AS received,
            count(*) FILTER (WHERE reason IS NULL AND n > 0 AND profile = other) AS matched,
            count(*) FILTER (WHERE reason IS NULL AND n = 0) AS unmatched,
            count(*) FILTER (WHERE reason IS NULL AND profile <> other) AS ambiguous,
            count(*) FILTER (WHERE reason IS NOT NULL) AS invalid,
            (SELECT count(*) FROM ${NEXT_TABLE}) AS members
     FROM _share_match`,
  )
  await writeReport(s, input.namespace, files.report)
  return {
    received: Number(c!.received),
    matched: Number(c!.matched),
    unmatched: Number(c!.unmatched),
    invalid: Number(c!.invalid),
    ambiguous: Number(c!.ambiguous),
    members: Number(c!.members),
  }
}

async function writeReport(s: Session, namespace: string, path: string): Promise<void> {
  await s.query(
    `COPY (SELECT raw AS id,
                  CASE WHEN reason IS NOT NULL THEN 'invalid' WHEN n = 0 THEN 'unmatched' ELSE 'ambiguous' END AS outcome,
                  CASE WHEN reason IS NOT NULL THEN reason
                       WHEN n = 0 THEN ${literal(`no profile has this ${namespace} identity`)}
                       ELSE 'linked to several profiles, among them ' || profile || ' and ' || other END AS reason
           FROM _share_match WHERE reason IS NOT NULL OR n = 0 OR profile <> other
           ORDER BY 2, 1)
     TO ${literal(path)} (FORMAT csv, HEADER true)`,
  )
}

/**
 * For encrypted e-mail / SMS data sources: decrypts the IDs of `file` and fills NEXT_TABLE with
 * every valid e-mail address (or phone number) as raw identifiers, so no contact is lost even
 * without a profile. IDs that do not decrypt or are not valid contacts go to the report.
 */
export async function decryptContacts(
  s: Session,
  input: { contact: 'email' | 'phone'; protection: Protection },
  files: { ids: string; report: string },
): Promise<MatchCounts> {
  await keyEncrypted(s, files.ids, input.contact, input.protection)
  await s.run(
    `INSERT INTO ${NEXT_TABLE} (member) SELECT DISTINCT key FROM _share_keyed WHERE key IS NOT NULL`,
  )
  const [c] = await s.query<{ kept: number; invalid: number; members: number; received: number }>(
    `SELECT count(*) FILTER (WHERE key IS NOT NULL) AS kept, count(*) FILTER (WHERE key IS NULL) AS invalid,
            count(*) AS received,
            (SELECT count(*) FROM ${NEXT_TABLE}) AS members FROM _share_keyed`,
  )
  await s.query(
    `COPY (SELECT raw AS id, 'invalid' AS outcome, reason FROM _share_keyed WHERE key IS NULL ORDER BY 1)
     TO ${literal(files.report)} (FORMAT csv, HEADER true)`,
  )
  return {
    received: Number(c!.received),
    matched: Number(c!.kept),
    unmatched: 0,
    invalid: Number(c!.invalid),
    ambiguous: 0,
    members: Number(c!.members),
  }
}
