import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { NEXT_TABLE, type Session } from '@ahub/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { reconcile } from './reconcile'
import { openSharingFixture, type SharingFixture } from './test-support'

const sha256Hex = (v: string) => createHash('sha256').update(v).digest('hex')

describe('kept SHA-256 keys of the local identities', () => {
  let f: SharingFixture
  beforeEach(async () => {
    f = await openSharingFixture()
    await f.load('beta', [
      { id: 'b1', email: 'ann@example.com' },
      { id: 'b2', email: 'bob@example.com' },
    ])
  })
  afterEach(async () => {
    await f.close()
  })

  const input = {
    org: 'beta',
    dimension: 'profiles',
    namespace: 'email',
    protection: { kind: 'sha256' as const },
  }
  const keptOid = async () =>
    (
      await f.store.engine.query<{ oid: number }>(
        `SELECT table_oid AS oid FROM duckdb_tables() WHERE schema_name = 'org_beta' AND table_name = '_share_sha256_profiles__email'`,
      )
    )[0]?.oid
  /** Reconciles the hashed e-mails in a session of its own; background work is handed to `later`. */
  const run = (emails: string[], later: ((s: Session) => Promise<void>)[]) => {
    const ids = join(f.dir, `ids-${Math.random()}.txt`)
    writeFileSync(ids, `${emails.map(sha256Hex).join('\n')}\n`)
    return f.store.engine.withSession(async (s) => {
      await s.run(`CREATE OR REPLACE TEMP TABLE ${NEXT_TABLE} (member VARCHAR NOT NULL, attrs VARCHAR)`)
      const counts = await reconcile(s, input, { ids, report: `${ids}.report.csv` }, (work) => {
        later.push(work)
      })
      const members = await s.query<{ member: string }>(`SELECT member FROM ${NEXT_TABLE} ORDER BY 1`)
      return { counts, members: members.map((m) => m.member) }
    })
  }

  it('are built once in the background, then reused; a rebuild that finds them current does nothing', async () => {
    const later: ((s: Session) => Promise<void>)[] = []
    const first = await run(['ann@example.com', 'zed@example.com'], later)
    expect(first.counts).toMatchObject({ matched: 1, unmatched: 1 })
    expect(first.members).toEqual(['b1'])
    // No kept table yet: this import hashed the local values itself and asked for a rebuild.
    expect(later).toHaveLength(1)
    expect(await keptOid()).toBeUndefined()
    const rebuild = later[0]!
    await f.store.engine.withSession(rebuild)
    const built = await keptOid()
    expect(built).toBeDefined()

    // A second rebuild asked for by an import that looked before the first one finished: the
    // kept table already matches the links, so it is left as it is.
    await f.store.engine.withSession(rebuild)
    expect(await keptOid()).toBe(built)

    const again: ((s: Session) => Promise<void>)[] = []
    const second = await run(['bob@example.com'], again)
    expect(second.members).toEqual(['b2'])
    expect(again).toHaveLength(0)

    // New links make the kept table stale: the next import hashes again and asks for a rebuild.
    await f.load('beta', [
      { id: 'b1', email: 'ann@example.com' },
      { id: 'b3', email: 'zed@example.com' },
    ])
    const third = await run(['zed@example.com'], again)
    expect(third.members).toEqual(['b3'])
    expect(again).toHaveLength(1)
    await f.store.engine.withSession(again[0]!)
    expect(await keptOid()).not.toBe(built)
  })
})
