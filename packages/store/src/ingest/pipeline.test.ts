import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { type BatchReport, parseSchemaText } from '@ahub/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { literal } from '../engine'
import { Store } from '../store'

const SCHEMA = `
tables:
  profiles:
    primaryKey: [id]
    versionField: v
    fields:
      id: { type: string, nullable: false }
      email: { type: string, identity: { namespace: email, primary: true } }
      phone: { type: string, identity: { namespace: phone, defaultCountry: FR } }
      tier: { type: enum, values: [gold, silver] }
      age: { type: integer }
      note: { type: string, maxLength: 100 }
      v: { type: integer, nullable: false }
  orders:
    primaryKey: [order_id]
    fields:
      order_id: { type: string, nullable: false }
      id: { type: string, nullable: false }
      amount: { type: number }
  visits:
    primaryKey: [visitor, id]
    linksTo: { table: profiles, field: id }
    fields:
      visitor: { type: string, nullable: false, identity: { namespace: ecid, primary: true } }
      id: { type: string, nullable: false }
`
const ECID = '12345678901234567890123456789012345678'

let dir: string
let store: Store

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ahub-ingest-'))
  store = await Store.open({ dataDir: join(dir, 'data') })
  await store.createOrg('acme', 'Acme')
  await store.catalog.apply('acme', parseSchemaText(SCHEMA))
})

afterEach(async () => {
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

async function ingest(table: string, name: string, content: string | Buffer, csv = {}): Promise<BatchReport> {
  return store.ingestor.ingest('acme', table, file(name, content), { csv })
}

async function rows(table: string): Promise<Record<string, unknown>[]> {
  return store.engine.query(`SELECT * EXCLUDE (_batch) FROM org_acme.${table} ORDER BY ALL`)
}

function balanced(r: BatchReport): boolean {
  return r.received === r.inserted + r.updated + r.deleted + r.unchanged + r.superseded + r.rejected
}

describe('upserts by primary key and version', () => {
  it('inserts, then lets a higher version win and never an older one', async () => {
    const first = await ingest('profiles', 'a.csv', 'id,email,v\np1,a@x.com,2\np2,b@x.com,1\n')
    expect(first).toMatchObject({ received: 2, inserted: 2, rejected: 0 })
    const second = await ingest(
      'profiles',
      'b.csv',
      'id,email,v\np1,old@x.com,1\np2,new@x.com,5\np1,same@x.com,2\n',
    )
    // p1 appears twice: the highest version (2, the later line) is kept and equals the stored version.
    expect(second).toMatchObject({ received: 3, inserted: 0, updated: 1, unchanged: 1, superseded: 1 })
    expect(balanced(second)).toBe(true)
    const r = await rows('profiles')
    expect(r.map((x) => [x.id, x.email, x.v])).toEqual([
      ['p1', 'a@x.com', 2],
      ['p2', 'new@x.com', 5],
    ])
  })

  it('keeps the highest version of a key repeated in one batch, the later line on a tie', async () => {
    const r = await ingest(
      'profiles',
      'dup.csv',
      'id,email,v\np1,a@x.com,3\np1,b@x.com,9\np1,c@x.com,9\np1,d@x.com,1\n',
    )
    expect(r).toMatchObject({ inserted: 1, superseded: 3 })
    expect((await rows('profiles'))[0]).toMatchObject({ email: 'c@x.com', v: 9 })
  })

  it('finds repeated keys whether the file is sorted by key or not, around rejected rows', async () => {
    // Sorted files are proved duplicate-free by comparing each key with the previous one; every
    // way of breaking that order must still find the repeats.
    const cases: [string, string, { inserted: number; superseded: number; rejected: number }][] = [
      ['sorted', 'o1,p,1\no2,p,2\no3,p,3\n', { inserted: 3, superseded: 0, rejected: 0 }],
      ['sorted, repeat', 'o1,p,1\no2,p,2\no2,p,3\no3,p,4\n', { inserted: 3, superseded: 1, rejected: 0 }],
      ['unsorted, repeat', 'o2,p,1\no1,p,2\no3,p,3\no2,p,4\n', { inserted: 3, superseded: 1, rejected: 0 }],
      ['unsorted, distinct', 'o3,p,1\no1,p,2\no2,p,3\n', { inserted: 3, superseded: 0, rejected: 0 }],
      ['empty key between repeats', 'o1,p,1\n,p,2\no1,p,3\n', { inserted: 1, superseded: 1, rejected: 1 }],
      ['rejected repeat', 'o1,p,1\no1,,2\no2,p,3\n', { inserted: 2, superseded: 0, rejected: 1 }],
    ]
    for (const [name, body, expected] of cases) {
      await store.engine.run('DELETE FROM org_acme.orders')
      const r = await ingest('orders', `${name}.csv`, `order_id,id,amount\n${body}`)
      expect(r, name).toMatchObject(expected)
      expect(balanced(r), name).toBe(true)
      const kept = await store.engine.query<{ n: number; k: number }>(
        'SELECT count(*) AS n, count(DISTINCT order_id) AS k FROM org_acme.orders',
      )
      expect(kept[0], name).toEqual({ n: expected.inserted, k: expected.inserted })
      if (name === 'sorted, repeat') {
        // Without a version field the later line wins the tie.
        const o2 = await store.engine.query('SELECT amount FROM org_acme.orders WHERE order_id = $1', ['o2'])
        expect(o2).toEqual([{ amount: 3 }])
      }
    }
  })

  it('updates only the columns the file has', async () => {
    await ingest('profiles', 'a.csv', 'id,email,tier,age,v\np1,a@x.com,gold,40,1\n')
    await ingest('profiles', 'b.csv', 'id,age,v\np1,41,2\n')
    expect((await rows('profiles'))[0]).toMatchObject({ email: 'a@x.com', tier: 'gold', age: 41, v: 2 })
  })

  it('replaces a row that differs when the table has no version field, and counts identical ones unchanged', async () => {
    await ingest('orders', 'a.csv', 'order_id,id,amount\no1,p1,10\no2,p1,20\n')
    const r = await ingest('orders', 'b.csv', 'order_id,id,amount\no1,p1,10\no2,p1,25\no3,p2,5\n')
    expect(r).toMatchObject({ inserted: 1, updated: 1, unchanged: 1 })
  })
})

describe('batches of one dataset at once', () => {
  it('apply one after the other: the same new keys are inserted once, and the later version wins', async () => {
    const rowsOf = (v: number) =>
      `id,email,v\n${Array.from({ length: 2000 }, (_, i) => `p${i},u${i}@x.com,${v}`).join('\n')}\n`
    const [a, b] = await Promise.all([
      ingest('profiles', 'one.csv', rowsOf(1)),
      ingest('profiles', 'two.csv', rowsOf(2)),
    ])
    expect([a.inserted, b.inserted].sort()).toEqual([0, 2000])
    const stored = await store.engine.query<{ n: number; k: number; v: number }>(
      'SELECT count(*) AS n, count(DISTINCT id) AS k, min(v) AS v FROM org_acme.profiles',
    )
    expect(stored).toEqual([{ n: 2000, k: 2000, v: 2 }])
    const links = await store.engine.query<{ n: number }>(
      "SELECT count(*) AS n FROM org_acme._identity_links WHERE namespace = 'email'",
    )
    expect(links).toEqual([{ n: 2000 }])
  })
})

describe('change data capture', () => {
  it('deletes with D rows, refuses stale deletes and reports deletes of unknown keys', async () => {
    await ingest('profiles', 'a.csv', 'id,email,v\np1,a@x.com,5\np2,b@x.com,5\n')
    const r = await ingest(
      'profiles',
      'cdc.csv',
      '_change_request_type,id,v\nD,p1,6\nD,p2,4\nD,zz,1\nX,p2,9\n',
    )
    expect(r).toMatchObject({ deleted: 1, unchanged: 1, rejected: 2 })
    expect(balanced(r)).toBe(true)
    const codes = r.rejectSample.map((e) => e.code).sort()
    expect(codes).toEqual(['DELETE_UNKNOWN_KEY', 'INVALID_CHANGE_TYPE'])
    expect((await rows('profiles')).map((x) => x.id)).toEqual(['p2'])
    const reject = readFileSync(r.rejectFile!, 'utf8')
    expect(reject).toContain('D,zz,1')
  })
})

describe('validation and the reject file', () => {
  it('rejects bad rows with line, column, code, reason and raw text, and keeps the good ones', async () => {
    const r = await ingest(
      'profiles',
      'bad.csv',
      [
        'id,email,phone,tier,age,note,v',
        'p1,a@x.com,06 12 34 56 78,gold,30,,1',
        'p2,not-an-email,,,31,,1',
        'p3,c@x.com,12,,32,,1',
        'p4,d@x.com,,bronze,33,,1',
        'p5,e@x.com,,,thirty,,1',
        ',f@x.com,,,34,,1',
        `p7,g@x.com,,,35,${'x'.repeat(101)},1`,
        'p8,h@x.com,,,36,,1,extra',
        'p9,i@x.com,,,37,,',
        'p10,j@x.com,,silver,38,,1',
      ].join('\n'),
    )
    expect(r).toMatchObject({ received: 10, inserted: 2, rejected: 8 })
    expect(balanced(r)).toBe(true)
    const byLine = new Map(r.rejectSample.map((e) => [e.line, e]))
    expect(byLine.get(3)).toMatchObject({
      column: 'email',
      code: 'IDENTITY_INVALID',
      raw: 'p2,not-an-email,,,31,,1',
    })
    expect(byLine.get(4)).toMatchObject({ column: 'phone', code: 'IDENTITY_INVALID' })
    expect(byLine.get(5)).toMatchObject({ column: 'tier', code: 'ENUM_VALUE' })
    expect(byLine.get(6)).toMatchObject({ column: 'age', code: 'WRONG_TYPE' })
    expect(byLine.get(7)).toMatchObject({ column: 'id', code: 'REQUIRED' })
    expect(byLine.get(8)).toMatchObject({ column: 'note', code: 'TOO_LONG' })
    expect(byLine.get(9)).toMatchObject({ code: 'TOO_MANY_COLUMNS' })
    expect(byLine.get(10)).toMatchObject({ column: 'v', code: 'REQUIRED' })
    const lines = readFileSync(r.rejectFile!, 'utf8').trim().split('\n')
    expect(lines[0]).toBe('line,column,code,reason,raw')
    expect(lines).toHaveLength(9)
    expect((await rows('profiles')).map((x) => x.id)).toEqual(['p1', 'p10'])
  })

  it('gives a first load (inserted without a join) the same outcome as a load over existing rows', async () => {
    const content = [
      'id,email,phone,tier,age,note,v',
      'p1,a@x.com,06 12 34 56 78,gold,30,,1',
      'p2,not-an-email,,,31,,1',
      'p3,c@x.com,+44 7400 123456,,32,,1',
      'p1,a2@x.com,,silver,30,,3',
      'p4,d@x.com,,,33,,1,extra',
      'p5,e@x.com,,,thirty,,1',
      'p3,c3@x.com,,,32,,1',
      'p6,f@x.com,0033 6 12 34 56 78,,36,,2',
    ].join('\n')
    const first = await ingest('profiles', 'first.csv', content)
    const firstRows = await rows('profiles')
    const firstLinks = await store.engine.query(
      'SELECT profile_key, namespace, value FROM org_acme._identity_links ORDER BY ALL',
    )
    // The same file over a dataset that already holds an unrelated row is matched against it.
    await store.engine.run('DELETE FROM org_acme.profiles')
    await store.engine.run('DELETE FROM org_acme._identity_links')
    await ingest('profiles', 'seed.csv', 'id,email,v\nq0,q@x.com,1\n')
    const later = await ingest('profiles', 'later.csv', content)
    expect(first).toMatchObject({ received: 8, inserted: 3, superseded: 2, rejected: 3 })
    expect(later).toMatchObject({ received: 8, inserted: 3, superseded: 2, rejected: 3 })
    expect(balanced(first)).toBe(true)
    expect(readFileSync(first.rejectFile!, 'utf8')).toBe(readFileSync(later.rejectFile!, 'utf8'))
    expect(first.rejectSample.map((e) => e.line)).toEqual([3, 6, 7])
    expect((await rows('profiles')).filter((r) => r.id !== 'q0')).toEqual(firstRows)
    expect(firstRows.map((r) => [r.id, r.email, r.tier])).toEqual([
      ['p1', 'a2@x.com', 'silver'],
      ['p3', 'c3@x.com', null],
      ['p6', 'f@x.com', null],
    ])
    const laterLinks = await store.engine.query(
      "SELECT profile_key, namespace, value FROM org_acme._identity_links WHERE profile_key <> 'q0' ORDER BY ALL",
    )
    expect(laterLinks).toEqual(firstLinks)
    expect(firstLinks).toContainEqual({ profile_key: 'p6', namespace: 'phone', value: '+33612345678' })
  })

  it('reports an unterminated quote and keeps the rows before it', async () => {
    const r = await ingest('orders', 'q.csv', 'order_id,id,amount\no1,p1,1\no2,"p1,2\no3,p1,3\n')
    expect(r.inserted).toBe(1)
    expect(r.rejectSample[0]).toMatchObject({ line: 3, code: 'UNBALANCED_QUOTE' })
  })

  it('gives each reject its file line and raw text when reader and rule rejects interleave', async () => {
    const lines = [
      'id,email,age,v',
      'p1,a@x.com,1,1',
      'p2,b@x.com,old,1',
      'p3,not-an-email,3,1',
      'p4,d@x.com,x,1',
      'p5,e@x.com,y,1',
      'p6,,6,',
      'p7,g@x.com,7,1',
    ]
    const r = await ingest('profiles', 'mixed.csv', `${lines.join('\n')}\n`)
    expect(r).toMatchObject({ inserted: 2, rejected: 5 })
    expect(r.rejectSample.map((e) => [e.line, e.code, e.raw])).toEqual([
      [3, 'WRONG_TYPE', lines[2]],
      [4, 'IDENTITY_INVALID', lines[3]],
      [5, 'WRONG_TYPE', lines[4]],
      [6, 'WRONG_TYPE', lines[5]],
      [7, 'REQUIRED', lines[6]],
    ])
  })

  it('reports invalid UTF-8 on its line', async () => {
    const bytes = Buffer.concat([
      Buffer.from('order_id,id,amount\no1,p1,1\no2,'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(',2\n'),
    ])
    const r = await ingest('orders', 'enc.csv', bytes)
    expect(r).toMatchObject({ inserted: 1, rejected: 1 })
    expect(r.rejectSample[0]).toMatchObject({ line: 3, code: 'INVALID_ENCODING' })
  })

  it('reads latin-1 when told to', async () => {
    const r = await ingest('orders', 'l1.csv', Buffer.from('order_id,id,amount\nö1,p1,1\n', 'latin1'), {
      encoding: 'latin-1',
    })
    expect(r.inserted).toBe(1)
    expect((await rows('orders'))[0]).toMatchObject({ order_id: 'ö1' })
  })

  it('rejects a 10 MB field with TOO_LONG and keeps its full raw line in the reject file', async () => {
    const big = 'y'.repeat(10 * 1024 * 1024)
    const r = await ingest('profiles', 'big.csv', `id,note,v\np1,${big},1\np2,ok,1\n`)
    expect(r).toMatchObject({ inserted: 1, rejected: 1 })
    expect(r.rejectSample[0]).toMatchObject({ line: 2, column: 'note', code: 'TOO_LONG' })
    expect(readFileSync(r.rejectFile!, 'utf8').length).toBeGreaterThan(10 * 1024 * 1024)
  })
})

describe('files refused as a whole', () => {
  it('refuses unknown and missing columns, naming them, and applies nothing', async () => {
    const e = await ingest('profiles', 'h.csv', 'id,emial,v\np1,a@x.com,1\n').catch((x) => x)
    expect(e).toMatchObject({ code: 'INGEST_HEADER_MISMATCH' })
    expect(e.details.unknown).toEqual(['emial'])
    const m = await ingest('profiles', 'm.csv', 'email\na@x.com\n').catch((x) => x)
    expect(m.details.missing).toEqual(['id', 'v'])
    expect(await rows('profiles')).toEqual([])
  })

  it('hints at the delimiter when the header is one column', async () => {
    const e = await ingest('orders', 'semi.csv', 'order_id;id;amount\no1;p1;1\n').catch((x) => x)
    expect(e.code).toBe('INGEST_HEADER_MISMATCH')
    expect(e.message).toContain('delimiter')
    const ok = await ingest('orders', 'semi2.csv', 'order_id;id;amount\no1;p1;1\n', { delimiter: ';' })
    expect(ok.inserted).toBe(1)
  })

  it('refuses empty files and unknown formats; a header-only file is an empty batch', async () => {
    await expect(ingest('orders', 'e.csv', '')).rejects.toMatchObject({ code: 'INGEST_EMPTY_FILE' })
    await expect(ingest('orders', 'x.xlsx', 'a')).rejects.toMatchObject({ code: 'INGEST_UNSUPPORTED_FORMAT' })
    expect(await ingest('orders', 'h.csv', 'order_id,id,amount\n')).toMatchObject({
      received: 0,
      inserted: 0,
    })
  })

  it('records failed batches', async () => {
    await ingest('profiles', 'h.csv', 'nope\n1\n').catch(() => undefined)
    const batches = await store.batches.list('acme')
    expect(batches[0]).toMatchObject({ status: 'failed', table: 'profiles' })
  })
})

describe('other formats', () => {
  it('reads gzip-compressed CSV', async () => {
    const r = await ingest('orders', 'o.csv.gz', gzipSync('order_id,id,amount\no1,p1,1.5\no2,p2,2\n'))
    expect(r).toMatchObject({ format: 'csv', inserted: 2 })
  })

  it('reads NDJSON, rejecting malformed lines and wrong types with their raw text', async () => {
    const r = await ingest(
      'orders',
      'o.ndjson',
      '{"order_id":"o1","id":"p1","amount":1.5}\n{"order_id":"o2","id":"p1"\n\n{"order_id":"o3","id":"p2","amount":"lots"}\n[1,2]\n',
    )
    expect(r).toMatchObject({ format: 'ndjson', inserted: 1, rejected: 3 })
    expect(r.rejectSample).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 2, code: 'MALFORMED_JSON', raw: '{"order_id":"o2","id":"p1"' }),
        expect.objectContaining({ line: 4, column: 'amount', code: 'WRONG_TYPE' }),
        expect.objectContaining({ line: 5, code: 'MALFORMED_JSON' }),
      ]),
    )
  })

  it('refuses NDJSON keys the schema does not have', async () => {
    await expect(
      ingest('orders', 'k.ndjson', '{"order_id":"o1","id":"p1","colour":"red"}\n'),
    ).rejects.toMatchObject({
      code: 'INGEST_HEADER_MISMATCH',
    })
  })

  it('reads Parquet', async () => {
    const path = join(dir, 'o.parquet')
    await store.engine.run(
      `COPY (SELECT 'o' || i AS order_id, 'p1' AS id, i * 1.5 AS amount FROM range(3) t(i)) TO ${literal(path)} (FORMAT parquet)`,
    )
    const r = await store.ingestor.ingest('acme', 'orders', path)
    expect(r).toMatchObject({ format: 'parquet', inserted: 3 })
  })

  it('shows a rejected Parquet row as JSON of the file columns, with its row number', async () => {
    const path = join(dir, 'p.parquet')
    await store.engine.run(
      `COPY (SELECT * FROM (VALUES ('p1', 'a@x.com', 1), ('p2', 'not-an-email', 1)) t(id, email, v)) TO ${literal(path)} (FORMAT parquet)`,
    )
    const r = await store.ingestor.ingest('acme', 'profiles', path)
    expect(r).toMatchObject({ inserted: 1, rejected: 1 })
    expect(r.rejectSample[0]).toMatchObject({
      line: 2,
      code: 'IDENTITY_INVALID',
      raw: '{"id":"p2","email":"not-an-email","v":1}',
    })
  })
})

describe('identity links', () => {
  const links = () =>
    store.engine.query<{ profile_key: string; namespace: string; value: string; source: string }>(
      'SELECT profile_key, namespace, value, source FROM org_acme._identity_links ORDER BY ALL',
    )

  it('follow the profile fields: normalised, replaced on change, removed on delete', async () => {
    const r = await ingest(
      'profiles',
      'a.csv',
      'id,email,phone,v\np1, A@X.com ,06 12 34 56 78,1\np2,b@x.com,,1\n',
    )
    expect(r.identities).toMatchObject({ linked: 3 })
    expect(await links()).toEqual([
      { profile_key: 'p1', namespace: 'email', value: 'a@x.com', source: 'profiles' },
      { profile_key: 'p1', namespace: 'phone', value: '+33612345678', source: 'profiles' },
      { profile_key: 'p2', namespace: 'email', value: 'b@x.com', source: 'profiles' },
    ])
    await ingest('profiles', 'b.csv', 'id,email,v\np1,new@x.com,2\n')
    await ingest('profiles', 'c.csv', '_change_request_type,id,v\nD,p2,3\n')
    expect((await links()).map((l) => `${l.profile_key}:${l.value}`).sort()).toEqual([
      'p1:+33612345678',
      'p1:new@x.com',
    ])
  })

  it('treat a value that trims to nothing as absent, and reject one that is there but invalid', async () => {
    const r = await ingest(
      'profiles',
      'blank.csv',
      'id,email,phone,v\np1,   ,\u00a0,1\np2, b@x.com , 06 12 34 56 78 ,1\np3,c@x,,1\np4,d@x.com,12,1\n',
    )
    expect(r).toMatchObject({ inserted: 2, rejected: 2 })
    expect(r.rejectSample.map((e) => [e.line, e.column, e.code])).toEqual([
      [4, 'email', 'IDENTITY_INVALID'],
      [5, 'phone', 'IDENTITY_INVALID'],
    ])
    expect(await links()).toEqual([
      { profile_key: 'p2', namespace: 'email', value: 'b@x.com', source: 'profiles' },
      { profile_key: 'p2', namespace: 'phone', value: '+33612345678', source: 'profiles' },
    ])
  })

  it('keep dimension, namespace and source as engine ENUMs, widened for new names and converted from text', async () => {
    const types = async () =>
      Object.fromEntries(
        (
          await store.engine.query<{ c: string; t: string }>(
            `SELECT column_name AS c, data_type AS t FROM duckdb_columns()
             WHERE schema_name = 'org_acme' AND table_name = '_identity_links' AND column_name IN ('dimension', 'namespace', 'source')`,
          )
        ).map((r) => [r.c, r.t]),
      )
    await ingest('profiles', 'a.csv', 'id,email,v\np1,a@x.com,1\n')
    expect(await types()).toEqual({
      dimension: "ENUM('profiles')",
      namespace: "ENUM('email')",
      source: "ENUM('profiles')",
    })
    await ingest('visits', 'v.csv', `visitor,id\n${ECID},p1\n`)
    await ingest('profiles', 'b.csv', 'id,email,phone,v\np2,b@x.com,06 12 34 56 78,1\n')
    expect(await types()).toEqual({
      dimension: "ENUM('profiles')",
      namespace: "ENUM('ecid', 'email', 'phone')",
      source: "ENUM('profiles', 'visits')",
    })
    // A link table from before, holding text, is converted on the next batch with its links kept.
    for (const c of ['dimension', 'namespace', 'source'])
      await store.engine.run(`ALTER TABLE org_acme._identity_links ALTER COLUMN ${c} TYPE VARCHAR`)
    await ingest('profiles', 'c.csv', 'id,email,v\np3,c@x.com,1\n')
    expect((await types()).namespace).toBe("ENUM('ecid', 'email', 'phone')")
    expect((await links()).map((l) => `${l.profile_key}:${l.namespace}:${l.source}`)).toEqual([
      'p1:ecid:visits',
      'p1:email:profiles',
      'p2:email:profiles',
      'p2:phone:profiles',
      'p3:email:profiles',
    ])
    // Grouped and filtered by the names as text.
    const shown = await store.datasets.show('acme', 'profiles')
    expect(shown.identityLinks).toEqual([
      { namespace: 'ecid', links: 1, profiles: 1 },
      { namespace: 'email', links: 3, profiles: 3 },
      { namespace: 'phone', links: 1, profiles: 1 },
    ])
  })

  it('come from an identity-link table, with a cap per namespace and flags for shared values', async () => {
    await store.orgs.updateSettings('acme', {
      identity: { maxIdentitiesPerProfile: 50, maxPerNamespace: { ecid: 2 }, maxProfilesPerIdentity: 1 },
    })
    const ecid = (n: number) => `${ECID.slice(0, -1)}${n}`
    const r = await ingest(
      'visits',
      'v.csv',
      `visitor,id\n${ecid(1)},p1\n${ecid(2)},p1\n${ecid(3)},p1\n${ecid(1)},p2\n`,
    )
    expect(r.identities).toMatchObject({ linked: 4, overCap: 1, flagged: 1 })
    const ecids = (await links()).filter((l) => l.namespace === 'ecid')
    expect(ecids.filter((l) => l.profile_key === 'p1')).toHaveLength(2)
    const dropped = await store.engine.query('SELECT reason FROM org_acme._identity_links_dropped')
    expect(dropped).toEqual([{ reason: 'over cap' }])
    const flags = await store.engine.query('SELECT value, profile_count FROM org_acme._identity_flags')
    expect(flags).toEqual([{ value: ecid(1), profile_count: 2 }])
  })
})
