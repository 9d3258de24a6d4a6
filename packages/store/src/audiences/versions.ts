import type { AudienceChange, AudienceVersion } from '@ahub/core'
import type { Session } from '../engine'
import { membersTable } from './sql'

/** Name of the temporary table a caller fills with the next version's members (member, attrs). */
export const NEXT_TABLE = '_audience_next'

/** Creates (or empties) the session's table of next members. */
export async function createNextTable(s: Session): Promise<void> {
  await s.run(`CREATE OR REPLACE TEMP TABLE ${NEXT_TABLE} (member VARCHAR NOT NULL, attrs VARCHAR)`)
}

/**
 * Writes the members of the session's next table as version `current + 1`, inside the caller's
 * transaction: members that left get their open range closed (exited = v), new members get a range
 * opened (entered = v). Nothing is visible to readers until the transaction commits.
 */
export async function writeVersion(
  s: Session,
  org: string,
  audience: string,
  version: number,
): Promise<{ size: number; entered: number; exited: number }> {
  const m = membersTable(org)
  await s.run(
    `UPDATE ${m} SET exited = $2 WHERE audience = $1 AND exited IS NULL
       AND member NOT IN (SELECT member FROM ${NEXT_TABLE})`,
    [audience, version],
  )
  // Inserted in key order: row-group min/max statistics then let single-member lookups skip most of the table.
  await s.run(
    `INSERT INTO ${m} (audience, member, entered, exited, attrs)
     SELECT $1, n.member, $2, NULL, n.attrs FROM ${NEXT_TABLE} n
     WHERE n.member NOT IN (SELECT member FROM ${m} WHERE audience = $1 AND exited IS NULL)
     ORDER BY n.member`,
    [audience, version],
  )
  const [counts] = await s.query<{ size: number; entered: number; exited: number }>(
    `SELECT count(*) FILTER (WHERE exited IS NULL) AS size,
            count(*) FILTER (WHERE entered = $2) AS entered,
            count(*) FILTER (WHERE exited = $2) AS exited
     FROM ${m} WHERE audience = $1 AND (exited IS NULL OR exited = $2)`,
    [audience, version],
  )
  return { size: Number(counts!.size), entered: Number(counts!.entered), exited: Number(counts!.exited) }
}

/** A keyset cursor, opaque to callers. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url')
}

/** Reads a cursor made by encodeCursor; undefined when absent or unreadable. */
export function decodeCursor(cursor: string | undefined): unknown[] | undefined {
  if (!cursor) return undefined
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    return Array.isArray(v) ? v : undefined
  } catch {
    return undefined
  }
}

/** The change log between versions `since` (exclusive) and `until` (inclusive), in (version, change, member) order. */
export async function readChanges(
  s: Session,
  org: string,
  audience: string,
  since: number,
  until: number,
  options: { limit: number; after?: unknown[] },
): Promise<{ changes: AudienceChange[]; next: string | null }> {
  const m = membersTable(org)
  const after = options.after ?? [0, '', '']
  const rows = await s.query<AudienceChange>(
    `SELECT version, change, member FROM (
       SELECT entered AS version, 'entered' AS change, member FROM ${m}
        WHERE audience = $1 AND entered > $2 AND entered <= $3
       UNION ALL
       SELECT exited AS version, 'exited' AS change, member FROM ${m}
        WHERE audience = $1 AND exited > $2 AND exited <= $3) AS c
     WHERE version > $4 OR (version = $4 AND (change > $5 OR (change = $5 AND member > $6)))
     ORDER BY version, change, member LIMIT ${options.limit + 1}`,
    [audience, since, until, Number(after[0]), String(after[1]), String(after[2])],
  )
  const page = rows.slice(0, options.limit)
  const last = page.at(-1)
  return {
    changes: page.map((r) => ({ version: Number(r.version), change: r.change, member: r.member })),
    next: rows.length > options.limit && last ? encodeCursor([last.version, last.change, last.member]) : null,
  }
}

/** Net difference between the members of two versions: how many entered and exited from `from` to `to`. */
export async function countDelta(
  s: Session,
  org: string,
  audience: string,
  from: number,
  to: number,
): Promise<{ entered: number; exited: number }> {
  const m = membersTable(org)
  const [r] = await s.query<{ entered: number; exited: number }>(
    `WITH a AS (SELECT member FROM ${m} WHERE audience = $1 AND entered <= $2 AND (exited IS NULL OR exited > $2)),
          b AS (SELECT member FROM ${m} WHERE audience = $1 AND entered <= $3 AND (exited IS NULL OR exited > $3))
     SELECT count(*) FILTER (WHERE a.member IS NULL) AS entered, count(*) FILTER (WHERE b.member IS NULL) AS exited
     FROM a FULL OUTER JOIN b ON a.member = b.member`,
    [audience, from, to],
  )
  return { entered: Number(r!.entered), exited: Number(r!.exited) }
}

/** Builds the version record written with a new version. */
export function versionRecord(
  version: number,
  counts: { size: number; entered: number; exited: number },
  started: number,
): AudienceVersion {
  return {
    version,
    createdAt: new Date().toISOString(),
    ...counts,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  }
}
