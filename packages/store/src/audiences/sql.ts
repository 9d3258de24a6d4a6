import { AppError, assertIdentifier, type TableDef } from '@ahub/core'
import { duckdbType } from '../duckdb/types'
import { ident, literal, type Session } from '../engine'
import { orgSchema } from '../meta/orgs'

/** Separator of the parts of a composite member key (a control character no key contains). */
export const KEY_SEPARATOR = '\u001f'

const AUDIENCE_ID = /^aud_[a-z0-9]{1,60}$/

/** Checks an audience id before it is inlined (COPY and view definitions cannot bind parameters). */
export function assertAudienceId(id: string): string {
  if (!AUDIENCE_ID.test(id))
    throw new AppError('AUDIENCE_NOT_FOUND', `No audience "${id.slice(0, 80)}" in this organisation`, {
      details: { audience: id.slice(0, 200) },
    })
  return id
}

/** The org's members table: one row per (audience, member, entered version) range. */
export function membersTable(org: string): string {
  return `${orgSchema(org)}."_audience_members"`
}

/** Name of the view holding an audience's current member keys, which "in audience" rules select from. */
export function memberViewName(id: string): string {
  return `_${assertAudienceId(id)}`
}

/** Creates the org's members table and its lookup index when missing. */
export async function ensureMembersTable(s: Session, org: string): Promise<void> {
  assertIdentifier(org, 'organisation id')
  await s.run(
    `CREATE TABLE IF NOT EXISTS ${membersTable(org)} (
       audience VARCHAR NOT NULL, member VARCHAR NOT NULL, entered INTEGER NOT NULL, exited INTEGER, attrs VARCHAR)`,
  )
  // Single-profile membership checks (GET /profiles/{id}/audiences) look members up by key.
  await s.run(`CREATE INDEX IF NOT EXISTS "_audience_members_member" ON ${membersTable(org)} (member)`)
}

/** SQL turning the dimension's primary-key columns of `alias` into one text member key. */
export function memberKeySql(table: TableDef, alias: string): string {
  const cols = table.primaryKey.map((c) => `CAST(${alias}.${ident(c)} AS VARCHAR)`)
  return cols.length === 1 ? cols[0]! : `concat_ws(chr(31), ${cols.join(', ')})`
}

/** SQL matching the dimension's rows (alias `d`) to member keys (alias `m`). */
export function memberJoinSql(table: TableDef): string {
  if (table.primaryKey.length === 1)
    return `d.${ident(table.primaryKey[0]!)} = CAST(m.member AS ${duckdbType(table.fields[table.primaryKey[0]!]!)})`
  return table.primaryKey
    .map(
      (c, i) =>
        `d.${ident(c)} = CAST(split_part(m.member, chr(31), ${i + 1}) AS ${duckdbType(table.fields[c]!)})`,
    )
    .join(' AND ')
}

/** (Re)creates the view of an audience's current members, typed like the dimension's primary key. */
export async function createMemberView(
  s: Session,
  org: string,
  id: string,
  table: TableDef,
  expiresAt: Date | null,
): Promise<void> {
  const cols = table.primaryKey.map((c, i) => {
    const part = table.primaryKey.length === 1 ? 'member' : `split_part(member, chr(31), ${i + 1})`
    return `CAST(${part} AS ${duckdbType(table.fields[c]!)}) AS ${ident(c)}`
  })
  const expiry = expiresAt
    ? ` AND current_timestamp < CAST(${literal(expiresAt.toISOString())} AS TIMESTAMPTZ)`
    : ''
  await s.run(
    `CREATE OR REPLACE VIEW ${orgSchema(org)}.${ident(memberViewName(id))} AS
       SELECT ${cols.join(', ')} FROM ${membersTable(org)}
       WHERE audience = ${literal(assertAudienceId(id))} AND exited IS NULL${expiry}`,
  )
}

/** Drops the view of an audience's current members. */
export async function dropMemberView(s: Session, org: string, id: string): Promise<void> {
  await s.run(`DROP VIEW IF EXISTS ${orgSchema(org)}.${ident(memberViewName(id))}`)
}

/** The range condition "member of version `v`" on a members-table alias. */
export function atVersionSql(alias: string, v: string): string {
  return `${alias}.entered <= ${v} AND (${alias}.exited IS NULL OR ${alias}.exited > ${v})`
}
