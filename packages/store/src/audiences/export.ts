import {
  AppError,
  EMAIL_PATTERN,
  type ExportFormat,
  getHashingProfile,
  type HashingProfile,
  type TableDef,
  TRIM_CHARACTERS,
} from '@ahub/core'
import { ident, literal, type Session } from '../engine'
import { orgSchema } from '../meta/orgs'
import type { StoredAudience } from './repository'
import { assertAudienceId, atVersionSql, memberJoinSql, membersTable } from './sql'

/** What to export: which version, plain or hashed for a destination profile, with attributes or not. */
export interface ExportRequest {
  format: ExportFormat
  hashProfile?: string
  attributes?: boolean
  version?: number
}

const FORMATS: Record<ExportFormat, string> = {
  csv: '(FORMAT csv, HEADER true)',
  ndjson: '(FORMAT json)',
  parquet: '(FORMAT parquet)',
}

/**
 * Writes the members of one version of an audience to `path` with DuckDB's COPY, which streams:
 * nothing is materialised in JavaScript. Hashed values follow the identity package's rules exactly
 * (trim + lower-case + EMAIL_PATTERN, Gmail rule for Google, E.164 with or without + for phones, SHA-256 hex).
 * Members without a valid identity value are left out. Returns the number of rows written.
 */
export async function exportAudience(
  s: Session,
  audience: StoredAudience,
  dimension: TableDef | undefined,
  path: string,
  request: ExportRequest,
): Promise<number> {
  const copy = FORMATS[request.format]
  if (!copy)
    throw new AppError('AUDIENCE_EXPORT_FORMAT', `Unknown export format "${String(request.format)}"`, {
      details: { format: request.format, known: Object.keys(FORMATS) },
    })
  const profile = request.hashProfile === undefined ? undefined : getHashingProfile(request.hashProfile)
  const id = literal(assertAudienceId(audience.id))
  const version = request.version ?? audience.version
  const live = audience.expired ? ' AND false' : ''
  const namespace = audience.identityNamespace ?? 'member'
  let raw: string
  let from: string
  let country = 'NULL'
  if (dimension && audience.dimension && audience.identityField) {
    raw = `d.${ident(audience.identityField)}`
    from = `${membersTable(audience.org)} m JOIN ${orgSchema(audience.org)}.${ident(audience.dimension)} d ON ${memberJoinSql(dimension)}`
    const identity = dimension.fields[audience.identityField]?.identity
    if (identity?.countryField) country = `CAST(d.${ident(identity.countryField)} AS VARCHAR)`
    else if (identity?.defaultCountry) country = literal(identity.defaultCountry)
  } else {
    raw = 'm.member'
    from = `${membersTable(audience.org)} m`
  }
  const value = profile
    ? hashedSql(raw, namespace, profile, audience.type === 'file', country)
    : `CAST(${raw} AS VARCHAR)`
  const column = profile ? `${namespace.replace(/_sha256$/, '')}_sha256` : namespace
  const columns = [`${value} AS ${ident(column)}`]
  if (!profile) columns.unshift('m.member AS "member"')
  if (request.attributes)
    for (const a of audience.attributes)
      columns.push(`json_extract_string(m.attrs, ${literal(`$.${a.name}`)}) AS ${ident(a.name)}`)
  const sql = `SELECT * FROM (SELECT ${columns.join(', ')} FROM ${from}
     WHERE m.audience = ${id} AND ${atVersionSql('m', String(Math.trunc(version)))}${live}) AS x
     WHERE ${ident(column)} IS NOT NULL ORDER BY 1`
  const rows = await s.query<{ Count: number | bigint }>(`COPY (${sql}) TO ${literal(path)} ${copy}`)
  return Number(rows[0]?.Count ?? 0)
}

/** SQL of the destination form of an identity value, hashed with SHA-256 (NULL when invalid). */
export function hashedSql(
  raw: string,
  namespace: string,
  profile: HashingProfile,
  normalised: boolean,
  country: string,
): string {
  switch (namespace) {
    case 'email': {
      const e = `lower(trim(CAST(${raw} AS VARCHAR), ${literal(TRIM_CHARACTERS)}))`
      const valid = `CASE WHEN length(${e}) <= 254 AND regexp_full_match(${e}, ${literal(EMAIL_PATTERN)}) THEN ${e} END`
      if (!profile.canonicaliseGmail) return `sha256(${valid})`
      const v = `(${valid})`
      const local = `nullif(replace(split_part(split_part(${v}, '@', 1), '+', 1), '.', ''), '')`
      return `sha256(CASE WHEN ${v} LIKE '%@gmail.com' OR ${v} LIKE '%@googlemail.com'
                 THEN ${local} || '@' || split_part(${v}, '@', 2) ELSE ${v} END)`
    }
    case 'phone': {
      const e164 = normalised
        ? `CAST(${raw} AS VARCHAR)`
        : `ahub_phone_e164(CAST(${raw} AS VARCHAR), ${country})`
      return profile.phoneFormat === 'e164-digits' ? `sha256(substr(${e164}, 2))` : `sha256(${e164})`
    }
    case 'email_sha256':
    case 'phone_sha256':
      return `lower(CAST(${raw} AS VARCHAR))`
    default:
      throw new AppError(
        'AUDIENCE_EXPORT_FORMAT',
        `Values of the "${namespace}" namespace cannot be hashed for a destination; export them plain`,
        { details: { namespace } },
      )
  }
}
