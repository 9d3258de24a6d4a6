import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AppError, parseSchemaText } from '@ahub/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Store } from '../store'

const SCHEMA = `
tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      email: { type: string, identity: { namespace: email, primary: true } }
      phone: { type: string, identity: { namespace: phone, defaultCountry: FR } }
      country: { type: string }
      score: { type: integer }
`
const PEOPLE = 200

const cond = (field: string, op: string, value: unknown) => ({ kind: 'condition', field, op, value })
const highScore = cond('score', '>=', 50)
const french = cond('country', '=', 'FR')

let dir: string
let store: Store

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (e) {
    return e as AppError
  }
  throw new Error('expected the call to fail')
}

/** Sets the score of profiles p<from>..p<to-1>, as a new data load would. */
async function setScores(from: number, to: number, score: number): Promise<void> {
  await store.engine.run(
    `UPDATE org_acme.profiles SET score = $1 WHERE CAST(substr(id, 2) AS INTEGER) >= $2 AND CAST(substr(id, 2) AS INTEGER) < $3`,
    [score, from, to],
  )
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ahub-audiences-'))
  store = await Store.open({ dataDir: join(dir, 'data') })
  await store.createOrg('acme', 'Acme')
  await store.catalog.apply('acme', parseSchemaText(SCHEMA))
  const lines = ['id,email,phone,country,score']
  for (let i = 0; i < PEOPLE; i++)
    lines.push(
      `p${i},Person.${i}@Example.com,06${String(i).padStart(8, '0')},${i % 2 ? 'FR' : 'DE'},${i % 100}`,
    )
  writeFileSync(join(dir, 'profiles.csv'), `${lines.join('\n')}\n`)
  await store.ingestor.ingest('acme', 'profiles', join(dir, 'profiles.csv'))
})

afterAll(async () => {
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

describe("an org's first reads", () => {
  it('create the members table once when they arrive together (was a catalog write-write conflict)', async () => {
    for (const org of ['fresh1', 'fresh2', 'fresh3']) {
      await store.createOrg(org, org)
      await store.catalog.apply(org, parseSchemaText(SCHEMA))
      const answers = await Promise.allSettled(
        Array.from({ length: 16 }, () => store.audiences.profileAudiences(org, 'p1')),
      )
      expect(answers.filter((a) => a.status === 'rejected')).toEqual([])
    }
  })
})

describe('a query audience', () => {
  it('keeps every evaluation as a version with its enter / exit delta', async () => {
    const created = await store.audiences.create(
      'acme',
      { type: 'query', label: 'High scorers', rule: highScore },
      { owner: 'u_1' },
    )
    const id = created.audience.id
    expect(created.audience).toMatchObject({
      type: 'query',
      dimension: 'profiles',
      identityField: 'email',
      identityNamespace: 'email',
      owner: 'u_1',
      origin: { kind: 'rule' },
      version: 1,
      size: 100,
    })
    expect(created.version).toMatchObject({ version: 1, size: 100, entered: 100, exited: 0 })

    // p0..p9 now score high (10 enter), p50..p59 low (10 exit).
    await setScores(0, 10, 99)
    await setScores(50, 60, 1)
    const second = await store.audiences.refresh('acme', id)
    expect(second.version).toMatchObject({ version: 2, size: 100, entered: 10, exited: 10 })

    const history = await store.audiences.versions('acme', id)
    expect(history.map((v) => [v.version, v.size, v.entered, v.exited])).toEqual([
      [2, 100, 10, 10],
      [1, 100, 100, 0],
    ])

    const log = await store.audiences.changes('acme', id, { since: 1, limit: 15 })
    expect(log.changes).toHaveLength(15)
    expect(log.changes[0]).toEqual({ version: 2, change: 'entered', member: 'p0' })
    const rest = await store.audiences.changes('acme', id, { since: 1, limit: 15, cursor: log.next! })
    expect(rest.changes).toHaveLength(5)
    expect(rest.next).toBeNull()
    expect(rest.changes.every((c) => c.change === 'exited')).toBe(true)

    const v1 = await store.audiences.members('acme', id, { version: 1, search: 'person.55@' })
    expect(v1.members.map((m) => m.member)).toEqual(['p55'])
    const v2 = await store.audiences.members('acme', id, { search: 'person.55@' })
    expect(v2.members).toEqual([])
    expect(await store.audiences.delta('acme', id, 1, 2)).toEqual({ entered: 10, exited: 10 })

    const page = await store.audiences.members('acme', id, { limit: 60 })
    const next = await store.audiences.members('acme', id, { limit: 60, cursor: page.next! })
    expect(page.members.length + next.members.length).toBe(100)
    expect(page.members[0]).toMatchObject({
      member: 'p0',
      identity: 'person.0@example.com',
      enteredVersion: 2,
    })
    await store.engine.run('UPDATE org_acme.profiles SET score = CAST(substr(id, 2) AS INTEGER) % 100')
  })

  it("is refused with the rule's own issues, and labels are unique in the org", async () => {
    const bad = await errorOf(
      store.audiences.create('acme', { type: 'query', label: 'Broken', rule: cond('shoe_size', '=', 42) }),
    )
    expect(bad.code).toBe('RULE_INVALID')
    expect(bad.details?.issues).toEqual([expect.objectContaining({ code: 'RULE_UNKNOWN_FIELD' })])
    await store.audiences.create('acme', { type: 'query', label: 'French', rule: french })
    const taken = await errorOf(
      store.audiences.create('acme', { type: 'query', label: 'french', rule: french }),
    )
    expect(taken.code).toBe('AUDIENCE_LABEL_TAKEN')
    const shared = await errorOf(store.audiences.create('acme', { type: 'shared', label: 'From the hub' }))
    expect(shared.code).toBe('AUDIENCE_TYPE_NOT_ALLOWED')
  })

  it('can be used by another audience, which then protects it from deletion and rule changes', async () => {
    const base = await store.audiences.create('acme', { type: 'query', label: 'Base', rule: highScore })
    const derived = await store.audiences.create('acme', {
      type: 'query',
      label: 'French high scorers',
      rule: {
        kind: 'group',
        op: 'and',
        children: [french, { kind: 'audience', audience: base.audience.id }],
      },
    })
    expect(derived.audience.size).toBe(50)
    const inUse = await errorOf(store.audiences.delete('acme', base.audience.id))
    expect(inUse.code).toBe('AUDIENCE_IN_USE')
    expect(inUse.details?.users).toEqual([
      { kind: 'audience', id: derived.audience.id, label: 'French high scorers' },
    ])
    const change = await errorOf(store.audiences.update('acme', base.audience.id, { rule: french }))
    expect(change.code).toBe('AUDIENCE_IN_USE')
    const circular = await errorOf(
      store.audiences.update('acme', derived.audience.id, {
        rule: { kind: 'audience', audience: derived.audience.id },
      }),
    )
    expect(circular.code).toBe('RULE_INVALID')
    await store.audiences.delete('acme', derived.audience.id)
    await store.audiences.delete('acme', base.audience.id)
    expect((await errorOf(store.audiences.get('acme', base.audience.id))).code).toBe('AUDIENCE_NOT_FOUND')
  })

  it('keeps the fields its rule uses from being removed from the schema', async () => {
    const { audience } = await store.audiences.create('acme', {
      type: 'query',
      label: 'By score',
      rule: highScore,
    })
    const withoutScore = parseSchemaText(SCHEMA.replace('      score: { type: integer }\n', ''))
    const refused = await errorOf(store.catalog.apply('acme', withoutScore, { allowDestructive: true }))
    expect(refused.code).toBe('SCHEMA_FIELD_IN_USE')
    expect(refused.message).toContain('By score')
    await store.audiences.delete('acme', audience.id)
  })

  it('lets one of two concurrent refreshes win; the other gets AUDIENCE_BUSY and nothing is corrupted', async () => {
    const { audience } = await store.audiences.create('acme', {
      type: 'query',
      label: 'Busy',
      rule: highScore,
    })
    const results = await Promise.allSettled([
      store.audiences.refresh('acme', audience.id),
      store.audiences.refresh('acme', audience.id),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect((failed.reason as AppError).code).toBe('AUDIENCE_BUSY')
    const after = await store.audiences.get('acme', audience.id)
    expect(after).toMatchObject({ version: 2, size: 100 })
    expect((await store.audiences.versions('acme', audience.id)).map((v) => v.version)).toEqual([2, 1])
  })

  it('keeps its history but has no members once expired, and cannot be refreshed', async () => {
    const { audience } = await store.audiences.create('acme', {
      type: 'query',
      label: 'Short lived',
      rule: highScore,
      expiryDays: 1,
    })
    await store.engine.run(
      `UPDATE meta.audiences SET created_at = created_at - INTERVAL 2 DAY WHERE id = $1`,
      [audience.id],
    )
    const expired = await store.audiences.get('acme', audience.id)
    expect(expired).toMatchObject({ expired: true, size: 0, version: 1 })
    expect((await store.audiences.members('acme', audience.id)).members).toEqual([])
    expect(await store.audiences.versions('acme', audience.id)).toHaveLength(1)
    expect((await errorOf(store.audiences.refresh('acme', audience.id))).code).toBe('AUDIENCE_EXPIRED')
    await store.audiences.delete('acme', audience.id)
  })

  it('is gone at once when deleted; its member ranges leave the members table in the background, also after a restart', async () => {
    const rangesOf = async (id: string) =>
      Number(
        (
          await store.engine.query<{ n: number }>(
            'SELECT count(*) AS n FROM org_acme._audience_members WHERE audience = $1',
            [id],
          )
        )[0]!.n,
      )
    const { audience } = await store.audiences.create('acme', {
      type: 'query',
      label: 'Purged',
      rule: highScore,
    })
    expect(await rangesOf(audience.id)).toBe(100)
    await store.audiences.delete('acme', audience.id)
    expect((await errorOf(store.audiences.get('acme', audience.id))).code).toBe('AUDIENCE_NOT_FOUND')
    expect((await store.audiences.profileAudiences('acme', 'p50')).audiences.map((a) => a.id)).not.toContain(
      audience.id,
    )
    await store.audiences.purge.idle()
    expect(await rangesOf(audience.id)).toBe(0)
    expect(await store.audiences.purge.pending()).toEqual({ audiences: 0 })

    // A purge cut off by a stop: the queue row outlives the process and the next open finishes it.
    const second = await store.audiences.create('acme', {
      type: 'query',
      label: 'Purged later',
      rule: french,
    })
    await store.audiences.purge.close()
    await store.audiences.delete('acme', second.audience.id)
    expect(await rangesOf(second.audience.id)).toBe(100)
    expect(await store.audiences.purge.pending()).toEqual({ audiences: 1 })
    await store.close()
    store = await Store.open({ dataDir: join(dir, 'data') })
    await store.audiences.purge.idle()
    expect(await rangesOf(second.audience.id)).toBe(0)
    expect(await store.audiences.purge.pending()).toEqual({ audiences: 0 })
  })
})

describe('list and file audiences', () => {
  it('saves a list of keys with typed attributes, and a new snapshot as a new version', async () => {
    const { audience } = await store.audiences.create('acme', {
      type: 'list',
      label: 'Campaign winners',
      origin: { kind: 'campaign_run', ref: 'run_1' },
      attributes: [{ name: 'offer', type: 'string' }],
      members: [
        { key: 'p1', attributes: { offer: 'A', ignored: 1 } },
        { key: 'p2', attributes: { offer: 'B' } },
        'p3',
      ],
    })
    expect(audience).toMatchObject({ type: 'list', size: 3, origin: { kind: 'campaign_run', ref: 'run_1' } })
    const page = await store.audiences.members('acme', audience.id)
    expect(page.members[0]).toMatchObject({
      member: 'p1',
      identity: 'person.1@example.com',
      attributes: { offer: 'A' },
    })
    const next = await store.audiences.saveList('acme', audience.id, ['p2', 'p4'])
    expect(next.version).toMatchObject({ version: 2, size: 2, entered: 1, exited: 2 })
  })

  it('saves members straight from a query of the engine, one row per member', async () => {
    const select = (where: string) => ({
      sql: `SELECT id AS member, NULL::VARCHAR AS attrs FROM org_acme.profiles WHERE ${where}
            UNION ALL SELECT 'p1', NULL UNION ALL SELECT NULL, NULL`,
    })
    const { audience } = await store.audiences.create(
      'acme',
      { type: 'list', label: 'From a table', members: [] },
      { select: select("id IN ('p1', 'p2', 'p3')") },
    )
    // p1 twice and a NULL key: three members.
    expect(audience).toMatchObject({ type: 'list', size: 3, version: 1 })
    const next = await store.audiences.saveList('acme', audience.id, select("id IN ('p3', 'p5')"))
    expect(next.version).toMatchObject({ version: 2, size: 3, entered: 1, exited: 1 })
    const page = await store.audiences.members('acme', audience.id)
    expect(page.members.map((m) => m.member)).toEqual(['p1', 'p3', 'p5'])
  })

  it('normalises an uploaded list, reports invalid lines one by one and keeps the valid ones', async () => {
    const result = await store.audiences.create('acme', {
      type: 'file',
      label: 'Newsletter upload',
      namespace: 'email',
      lines: [' Ann@Example.com', 'not-an-email', '', 'bob@example.org', 'ANN@example.com', 'x@y'],
    })
    expect(result.accepted).toBe(2)
    expect(result.rejected).toEqual([
      { line: 2, value: 'not-an-email', reason: expect.any(String) },
      { line: 6, value: 'x@y', reason: expect.any(String) },
    ])
    expect(result.audience).toMatchObject({
      type: 'file',
      dimension: null,
      identityNamespace: 'email',
      size: 2,
    })
    const members = await store.audiences.members('acme', result.audience.id)
    expect(members.members.map((m) => m.identity)).toEqual(['ann@example.com', 'bob@example.org'])
    const empty = await errorOf(
      store.audiences.create('acme', { type: 'file', label: 'Junk', namespace: 'phone', lines: ['abc'] }),
    )
    expect(empty.code).toBe('AUDIENCE_FILE_EMPTY')
    expect(empty.details?.rejected).toEqual([{ line: 1, value: 'abc', reason: expect.any(String) }])
  })
})

describe('membership, overlap and exports', () => {
  it('lists the audiences a profile currently belongs to', async () => {
    const a = await store.audiences.create('acme', { type: 'list', label: 'Has p7', members: ['p7', 'p8'] })
    const b = await store.audiences.create('acme', { type: 'list', label: 'Had p7', members: ['p7'] })
    await store.audiences.saveList('acme', b.audience.id, ['p8'])
    const found = await store.audiences.profileAudiences('acme', 'p7')
    expect(found.audiences.map((x) => x.id)).toContain(a.audience.id)
    expect(found.audiences.map((x) => x.id)).not.toContain(b.audience.id)
  })

  it('counts every region of a three-way overlap', async () => {
    const x = await store.audiences.create('acme', {
      type: 'list',
      label: 'X',
      members: ['p1', 'p2', 'p3', 'p4'],
    })
    const y = await store.audiences.create('acme', { type: 'list', label: 'Y', members: ['p3', 'p4', 'p5'] })
    const z = await store.audiences.create('acme', { type: 'list', label: 'Z', members: ['p4', 'p6'] })
    const ids = [x.audience.id, y.audience.id, z.audience.id]
    const overlap = await store.audiences.overlap('acme', ids)
    const count = (...names: number[]) =>
      overlap.regions.find((r) => r.in.length === names.length && names.every((n) => r.in.includes(ids[n]!)))
        ?.count
    expect(overlap.regions).toHaveLength(7)
    expect([count(0), count(1), count(2), count(0, 1), count(0, 2), count(1, 2), count(0, 1, 2)]).toEqual([
      2, 1, 1, 1, 0, 0, 1,
    ])
    expect((await errorOf(store.audiences.overlap('acme', [ids[0]!]))).code).toBe('VALIDATION_FAILED')
  })

  it('exports CSV, NDJSON and Parquet, plain or hashed for a destination', async () => {
    const { audience } = await store.audiences.create('acme', {
      type: 'list',
      label: 'Export me',
      attributes: [{ name: 'offer', type: 'string' }],
      members: [{ key: 'p1', attributes: { offer: 'A' } }, 'p2'],
    })
    const csv = join(dir, 'plain.csv')
    expect(await store.audiences.export('acme', audience.id, csv, { format: 'csv', attributes: true })).toBe(
      2,
    )
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toEqual([
      'member,email,offer',
      'p1,person.1@example.com,A',
      'p2,person.2@example.com,',
    ])
    const ndjson = join(dir, 'hashed.ndjson')
    await store.audiences.export('acme', audience.id, ndjson, { format: 'ndjson', hashProfile: 'generic' })
    const { sha256Hex } = await import('@ahub/core')
    const hashes = readFileSync(ndjson, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).email_sha256)
    expect(hashes.sort()).toEqual(
      [sha256Hex('person.1@example.com'), sha256Hex('person.2@example.com')].sort(),
    )
    const parquet = join(dir, 'plain.parquet')
    await store.audiences.export('acme', audience.id, parquet, { format: 'parquet' })
    const rows = await store.engine.query(`SELECT count(*) AS n FROM read_parquet('${parquet}')`)
    expect(rows).toEqual([{ n: 2 }])
    const unknown = await errorOf(
      store.audiences.export('acme', audience.id, csv, { format: 'csv', hashProfile: 'tiktok' }),
    )
    expect(unknown.code).toBe('IDENTITY_UNKNOWN_PROFILE')
  })
})
