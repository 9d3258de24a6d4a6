import { createWriteStream } from 'node:fs'
import {
  AppError,
  type Audience,
  type Protection,
  protectIds,
  resolveProtection,
  type TableDef,
} from '@ahub/core'
import { ident, literal, memberKeySql, membersTable, orgSchema, type Session } from '@ahub/store'
import { localValuesSql } from './ids-sql'

/** What one export writes: the protected IDs file and the report of members left out. */
export interface ExportFiles {
  /** One protected ID per line, distinct, for the hub. */
  ids: string
  /** CSV `id,outcome,reason` of members not exported (unmapped, without consent). */
  report: string
}

export interface ExportCounts {
  received: number
  exported: number
  unmapped: number
  withoutConsent: number
}

/**
 * Writes the IDs of an audience's current members under a data source's namespace, protected as
 * it says. Members with no identity in the namespace, and members whose consent field is not true,
 * are left out and listed in the report. Everything but keyed protection (HMAC, AES) runs in SQL.
 */
export async function writeExport(
  s: Session,
  input: {
    audience: Audience
    dimension: TableDef
    namespace: string
    protection: Protection
    consentField?: string
  },
  files: ExportFiles,
): Promise<ExportCounts> {
  const { audience: a, dimension } = input
  const schema = orgSchema(a.org)
  await s.run(
    `CREATE OR REPLACE TEMP TABLE _share_members AS
     SELECT member FROM ${membersTable(a.org)} WHERE audience = $1 AND exited IS NULL`,
    [a.id],
  )
  await s.run('CREATE OR REPLACE TEMP TABLE _share_no_consent (member VARCHAR)')
  if (input.consentField) {
    const f = dimension.fields[input.consentField]
    if (f?.type !== 'boolean')
      throw new AppError(
        'SHARE_CONSENT_FIELD',
        `"${input.consentField}" is not a boolean field of ${a.dimension}`,
        { details: { field: input.consentField, dimension: a.dimension } },
      )
    await s.run(
      `INSERT INTO _share_no_consent SELECT m.member FROM _share_members m
       LEFT JOIN (SELECT ${memberKeySql(dimension, 'd')} AS member, d.${ident(input.consentField)} AS consent
                  FROM ${schema}.${ident(a.dimension!)} d) c ON c.member = m.member
       WHERE c.consent IS NOT TRUE`,
    )
  }
  const local = localValuesSql(schema, input.namespace)
  await s.run(
    `CREATE OR REPLACE TEMP TABLE _share_out AS
     SELECT m.member, l.value FROM _share_members m
     LEFT JOIN (${local.sql}) l ON l.profile_key = m.member
     WHERE m.member NOT IN (SELECT member FROM _share_no_consent)`,
    [a.dimension!, ...local.params],
  )
  const [c] = await s.query<{ received: number; unmapped: number; without: number }>(
    `SELECT (SELECT count(*) FROM _share_members) AS received,
            (SELECT count(DISTINCT member) FROM _share_out WHERE member NOT IN
               (SELECT member FROM _share_out WHERE value IS NOT NULL)) AS unmapped,
            (SELECT count(*) FROM _share_no_consent) AS without`,
  )
  await s.query(
    `COPY (SELECT member AS id, 'no_consent' AS outcome, ${literal(`${input.consentField ?? ''} is not true`)} AS reason
           FROM _share_no_consent
           UNION ALL
           SELECT DISTINCT member, 'unmapped', ${literal(`no ${input.namespace} identity`)} FROM _share_out
           WHERE member NOT IN (SELECT member FROM _share_out WHERE value IS NOT NULL)
           ORDER BY 2, 1)
     TO ${literal(files.report)} (FORMAT csv, HEADER true)`,
  )
  const keyed = input.protection.kind === 'hmac-sha256' || input.protection.kind === 'aes-cbc'
  const exported = keyed
    ? await writeKeyed(s, input.protection, files.ids)
    : await writeInSql(s, input.protection.kind === 'sha256', files.ids)
  return {
    received: Number(c!.received),
    exported,
    unmapped: Number(c!.unmapped),
    withoutConsent: Number(c!.without),
  }
}

async function writeInSql(s: Session, hash: boolean, path: string): Promise<number> {
  const value = hash ? 'sha256(value)' : 'value'
  const rows = await s.query<{ Count: number | bigint }>(
    `COPY (SELECT DISTINCT ${value} AS id FROM _share_out WHERE value IS NOT NULL)
     TO ${literal(path)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '')`,
  )
  return Number(rows[0]?.Count ?? 0)
}

/** HMAC and AES need the key: values stream out of the engine, are protected here and written line by line. */
async function writeKeyed(s: Session, p: Protection, path: string): Promise<number> {
  const resolved = resolveProtection(p)
  const out = createWriteStream(path)
  let n = 0
  try {
    await s.stream('SELECT DISTINCT value FROM _share_out WHERE value IS NOT NULL', [], async (rows) => {
      const ids = protectIds(
        rows.map((r) => String(r.value)),
        resolved,
      )
      const chunk = `${ids.join('\n')}\n`
      n += rows.length
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
    })
  } finally {
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())))
  }
  return n
}
