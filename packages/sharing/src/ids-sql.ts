import { ECID_MAX_HALF, EMAIL_PATTERN, TRIM_CHARACTERS } from '@ahub/core'
import { literal } from '@ahub/store'

/**
 * SQL of identity values on the installation side of sharing: normalising and validating incoming
 * IDs of a namespace, and the org's own values of a namespace from its identity links. Namespace
 * names are checked identifiers; they reach the SQL as bound parameters or as literals of our code.
 */

/** Namespaces whose values are SHA-256 digests of another namespace's normalised values. */
const HASHED_FROM: Record<string, string> = { email_sha256: 'email', phone_sha256: 'phone' }

/** SQL trimming a raw value as the TypeScript normalisers do; NULL when empty. */
export function trimSql(raw: string): string {
  return `nullif(trim(${raw}, ${literal(TRIM_CHARACTERS)}), '')`
}

/**
 * SQL of the normalised form of a value of `namespace` (`value` is SQL for the trimmed raw value),
 * NULL when it fails the namespace's validation. Mirrors the identity normalisers of @ahub/core.
 */
export function normaliseSql(value: string, namespace: string): string {
  switch (namespace) {
    case 'email':
      return `CASE WHEN length(${value}) <= 254 AND regexp_full_match(lower(${value}), ${literal(EMAIL_PATTERN)}) THEN lower(${value}) END`
    case 'phone':
      return `ahub_phone_e164(${value}, NULL)`
    case 'ecid': {
      const max = literal(ECID_MAX_HALF)
      return `CASE WHEN regexp_full_match(${value}, '[0-9]{38}') AND substr(${value}, 1, 19) <= ${max} AND substr(${value}, 20, 19) <= ${max} THEN ${value} END`
    }
    case 'email_sha256':
    case 'phone_sha256':
      return hexDigestSql(value)
    case 'crm':
      return `CASE WHEN length(${value}) <= 256 AND NOT regexp_matches(${value}, '[\\x{00}-\\x{1f}\\x{7f}-\\x{9f}]') THEN ${value} END`
    default:
      return `CASE WHEN length(${value}) <= 1024 THEN ${value} END`
  }
}

/** SQL of a SHA-256 digest as 64 lower-case hex characters (Base64 accepted), NULL otherwise. */
export function hexDigestSql(value: string): string {
  return `CASE WHEN regexp_full_match(${value}, '[0-9a-fA-F]{64}') THEN lower(${value})
               WHEN regexp_full_match(${value}, '[A-Za-z0-9+/]{43}=') AND to_base64(from_base64(${value})) = ${value}
               THEN lower(hex(from_base64(${value}))) END`
}

/** Why a value of `namespace` is refused, for the match report. */
export function invalidReason(namespace: string): string {
  switch (namespace) {
    case 'email':
      return 'not a valid e-mail address'
    case 'phone':
      return 'not a valid phone number in international form'
    case 'ecid':
      return 'not a valid ECID (38 digits, each 19-digit half at most 9223372036854775807)'
    case 'email_sha256':
    case 'phone_sha256':
      return 'not a SHA-256 digest (64 hex characters)'
    case 'crm':
      return 'not a valid CRM ID (1 to 256 characters, no control characters)'
    default:
      return `not a valid ${namespace} value`
  }
}

/**
 * SQL of the org's own values of `namespace` for a dimension, as (profile_key, value): its identity
 * links in that namespace, plus for a hashed namespace (email_sha256) the SHA-256 of the links of
 * the namespace it hashes (email). Parameters: $1 dimension, $2 namespace, $3 base namespace.
 */
export function localValuesSql(schema: string, namespace: string): { sql: string; params: string[] } {
  const links = `${schema}._identity_links`
  const base = HASHED_FROM[namespace]
  const own = `SELECT profile_key, value FROM ${links} WHERE dimension = $1 AND namespace = $2`
  if (!base) return { sql: own, params: [namespace] }
  return {
    sql: `${own} UNION SELECT profile_key, sha256(value) AS value FROM ${links} WHERE dimension = $1 AND namespace = $3`,
    params: [namespace, base],
  }
}

/** The namespaces whose identity fields feed the values of `namespace` (for governance checks). */
export function sourceNamespaces(namespace: string): string[] {
  const base = HASHED_FROM[namespace]
  return base ? [namespace, base] : [namespace]
}
