import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BatchReport } from '@ahub/core'
import { adminTokenFile, startServer } from '@ahub/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'packages/cli/bin/ahub.js')

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs the real CLI in a child process; never rejects, so exit codes can be asserted. */
function ahub(dataDir: string, ...args: string[]): Promise<Run> {
  // The CLI reads these from the environment; the tests choose for themselves.
  const env = { ...process.env }
  for (const name of ['AHUB_URL', 'AHUB_SERVER', 'AHUB_TOKEN', 'AHUB_ORG', 'AHUB_DATA_DIR']) delete env[name]
  // A developer's own `ahub login` config must not leak into the tests.
  env.AHUB_CONFIG = join(dataDir, '..', 'ahub-config.json')
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, '--data-dir', dataDir, ...args],
      { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

/** The JSON a `--json` command printed, failing with its output when it is not JSON. */
function json<T>(run: Run): T {
  try {
    return JSON.parse(run.stdout) as T
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`)
  }
}

/** Runs a `--json` command that must succeed and returns what it printed. */
async function ok<T>(dataDir: string, ...args: string[]): Promise<T> {
  const run = await ahub(dataDir, ...args, '--json')
  expect(run.code, `${args.join(' ')}\n${run.stdout}\n${run.stderr}`).toBe(0)
  return json<T>(run)
}

function expectCountsAddUp(r: BatchReport): void {
  expect(r.received).toBe(r.inserted + r.updated + r.deleted + r.unchanged + r.superseded + r.rejected)
}

interface DemoResult {
  files: { name: string; path: string; rows: number; bytes: number }[]
  schemaPath: string
}

interface DatasetSummary {
  table: string
  rows: number
  revision: number
  lastBatch: { id: string; status: string } | null
}

interface ErrorOutput {
  error: { code: string; message: string; details?: Record<string, unknown> }
}

describe('ahub CLI on the embedded engine', () => {
  let tmp: string
  let dataDir: string
  let demo: DemoResult
  let profiles: BatchReport
  const demoFile = (name: string) => demo.files.find((f) => f.name === name)!.path

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ahub-'))
    dataDir = join(tmp, 'data')
  })
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))

  it('generates a demo data set', async () => {
    demo = await ok<DemoResult>(
      dataDir,
      'demo',
      'generate',
      '--profiles',
      '2000',
      '--purchases',
      '5000',
      '--seed',
      '7',
      '--out',
      join(tmp, 'demo'),
    )
    expect(demo.files.map((f) => [f.name, f.path])).toEqual([
      ['profiles.csv', join(tmp, 'demo', 'profiles.csv')],
      ['purchases.csv', join(tmp, 'demo', 'purchases.csv')],
      ['visitor_links.csv', join(tmp, 'demo', 'visitor_links.csv')],
    ])
    expect(demo.files.map((f) => f.rows).slice(0, 2)).toEqual([2000, 5000])
    for (const f of demo.files) {
      const lines = readFileSync(f.path, 'utf8').split('\n').filter(Boolean)
      expect(lines.length - 1).toBe(f.rows)
      expect(f.bytes).toBe(readFileSync(f.path).length)
    }
    expect(existsSync(demo.schemaPath)).toBe(true)
  })

  it('refuses an unknown --org instead of creating it; only org create creates one', async () => {
    const typo = await ahub(dataDir, '--org', 'dmeo', 'schema', 'apply', demo.schemaPath, '--json')
    expect(typo.code, typo.stderr).toBe(4)
    expect(json<ErrorOutput>(typo).error).toMatchObject({ code: 'ORG_NOT_FOUND', details: { org: 'dmeo' } })
    expect(json<ErrorOutput>(typo).error.message).toContain('"dmeo"')
    for (const args of [
      ['dataset', 'list'],
      ['audience', 'list'],
      ['token', 'list'],
    ]) {
      const run = await ahub(dataDir, '--org', 'dmeo', ...args, '--json')
      expect(json<ErrorOutput>(run).error.code, args.join(' ')).toBe('ORG_NOT_FOUND')
    }
    const created = await ok<{ id: string; role: string }>(dataDir, 'org', 'create', 'demo', '--name', 'Demo')
    expect(created).toMatchObject({ id: 'demo', name: 'Demo', role: 'admin' })
    const orgs = await ok<{ id: string }[]>(dataDir, 'org', 'list')
    expect(orgs.map((o) => o.id)).toEqual(['demo'])
    const again = await ahub(dataDir, 'org', 'create', 'demo', '--json')
    expect(json<ErrorOutput>(again).error.code).toBe('CONFLICT')
  })

  it('applies the schema', async () => {
    const result = await ok(dataDir, 'schema', 'apply', demo.schemaPath)
    expect(result).toEqual({
      created: ['profiles', 'purchases', 'visitor_links'],
      updated: [],
      unchanged: [],
    })
    const again = await ok(dataDir, 'schema', 'apply', demo.schemaPath)
    expect(again).toEqual({ created: [], updated: [], unchanged: ['profiles', 'purchases', 'visitor_links'] })
  })

  it('ingests profiles, writing the rejected rows to --reject-file', async () => {
    const rejectFile = join(tmp, 'profile-rejects.csv')
    profiles = await ok<BatchReport>(
      dataDir,
      'ingest',
      'profiles',
      demoFile('profiles.csv'),
      '--reject-file',
      rejectFile,
    )
    expect(profiles).toMatchObject({ table: 'profiles', org: 'demo', status: 'succeeded', received: 2000 })
    expectCountsAddUp(profiles)
    expect(profiles.inserted).toBeGreaterThan(1900)
    // The demo file carries a few invalid rows on purpose.
    expect(profiles.rejected).toBeGreaterThan(0)
    expect(profiles.rejectFile).toBe(rejectFile)

    const lines = readFileSync(rejectFile, 'utf8').split('\n').filter(Boolean)
    expect(lines[0]).toBe('line,column,code,reason,raw')
    expect(lines.length - 1).toBeGreaterThanOrEqual(profiles.rejected)
    const first = profiles.rejectSample[0]!
    expect(lines[1]?.startsWith(`${first.line},${first.column ?? ''},${first.code},`)).toBe(true)
    // Each reject names the line of the file it came from.
    const source = readFileSync(demoFile('profiles.csv'), 'utf8').split('\n')
    for (const r of profiles.rejectSample) expect(r.raw).toBe(source[r.line! - 1])
  })

  it('ingests purchases with counts that add up', async () => {
    const purchases = await ok<BatchReport>(dataDir, 'ingest', 'purchases', demoFile('purchases.csv'))
    expect(purchases).toMatchObject({ table: 'purchases', status: 'succeeded', received: 5000 })
    expectCountsAddUp(purchases)
    expect(purchases.inserted).toBeGreaterThan(4900)
  })

  it('reports everything unchanged when the same file is ingested again', async () => {
    const again = await ok<BatchReport>(dataDir, 'ingest', 'profiles', demoFile('profiles.csv'))
    expectCountsAddUp(again)
    expect(again).toMatchObject({
      received: profiles.received,
      inserted: 0,
      updated: 0,
      deleted: 0,
      unchanged: profiles.inserted,
      superseded: profiles.superseded,
      rejected: profiles.rejected,
    })
    expect(again.batchId).not.toBe(profiles.batchId)
  })

  it('exits 3 with INGEST_HEADER_MISMATCH for a file with an unknown column', async () => {
    const file = join(tmp, 'extra-column.csv')
    writeFileSync(file, 'profile_id,updated_at,shoe_size\np1,2024-01-01 00:00:00,42\n')
    const run = await ahub(dataDir, 'ingest', 'profiles', file, '--json')
    expect(run.code).toBe(3)
    const { error } = json<ErrorOutput>(run)
    expect(error.code).toBe('INGEST_HEADER_MISMATCH')
    expect(error.message).toContain('shoe_size')
    expect(error.details?.unknown).toEqual(['shoe_size'])
  })

  it('exits 4 for an unknown dataset', async () => {
    const run = await ahub(dataDir, 'ingest', 'customers', demoFile('profiles.csv'), '--json')
    expect(run.code).toBe(4)
    expect(json<ErrorOutput>(run).error.code).toBe('SCHEMA_NOT_FOUND')
  })

  it('prints a human error on stderr without --json', async () => {
    const run = await ahub(dataDir, 'ingest', 'customers', demoFile('profiles.csv'))
    expect(run.code).toBe(4)
    expect(run.stderr).toContain('error SCHEMA_NOT_FOUND')
  })

  it('lists the datasets with their row counts', async () => {
    const list = await ok<DatasetSummary[]>(dataDir, 'dataset', 'list')
    expect(list.map((d) => [d.table, d.rows])).toEqual([
      ['profiles', profiles.inserted],
      ['purchases', expect.any(Number)],
      ['visitor_links', 0],
    ])
    expect(list[1]!.rows).toBeGreaterThan(4900)
    // The refused file above is logged as the latest (failed) batch of profiles; nothing was loaded from it.
    expect(list[0]?.lastBatch?.status).toBe('failed')
    expect(list[1]?.lastBatch?.status).toBe('succeeded')
    expect(list[2]?.lastBatch).toBeNull()
  })

  it('counts, validates and prints the SQL of a rule file', async () => {
    const fr = join(tmp, 'fr.json')
    writeFileSync(fr, JSON.stringify({ kind: 'condition', field: 'country', op: '=', value: 'FR' }))
    const count = await ok<{ count: number; dimension: string }>(dataDir, 'rule', 'count', fr)
    expect(count.dimension).toBe('profiles')
    const dist = await ok<{ values: { value: string; count: number }[] }>(
      dataDir,
      'rule',
      'distribution',
      'country',
      '--limit',
      '20',
    )
    expect(count.count).toBeGreaterThan(0)
    expect(dist.values.find((v) => v.value === 'FR')?.count).toBe(count.count)
    // Among the rows the rule selects, every value of country is FR.
    const within = await ok<{ values: { value: string; count: number }[] }>(
      dataDir,
      'rule',
      'distribution',
      'country',
      fr,
    )
    expect(within.values).toEqual([{ value: 'FR', count: count.count }])

    const sql = await ok<{ sql: string; params: { value: unknown }[] }>(
      dataDir,
      'rule',
      'sql',
      fr,
      '--dialect',
      'clickhouse',
    )
    expect(sql.sql).toContain('`org_demo`.`profiles`')
    expect(sql.sql).toContain('{p1:String}')
    expect(sql.sql).not.toContain("'FR'")
    expect(sql.params.map((p) => p.value)).toEqual(['FR'])

    const bad = join(tmp, 'bad.json')
    writeFileSync(
      bad,
      JSON.stringify({
        kind: 'group',
        op: 'and',
        children: [
          { kind: 'condition', field: 'shoe_size', op: '=', value: 42 },
          { kind: 'condition', field: 'country', op: 'contains', value: 7 },
        ],
      }),
    )
    const run = await ahub(dataDir, 'rule', 'validate', bad, '--json')
    expect(run.code).toBe(3)
    const issues = json<ErrorOutput>(run).error.details?.issues as { path: unknown[]; code: string }[]
    expect(issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['children.0.field', 'RULE_UNKNOWN_FIELD'],
      ['children.1.value', 'RULE_TYPE_MISMATCH'],
    ])
    const notJson = join(tmp, 'not.json')
    writeFileSync(notJson, '{ kind: ')
    expect((await ahub(dataDir, 'rule', 'count', notJson)).code).toBe(3)
  })
})

describe('ahub CLI against a running server', () => {
  let tmp: string
  let dataDir: string
  let server: { url: string; stop: () => Promise<void> }

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ahub-'))
    dataDir = join(tmp, 'data')
    server = await startServer({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      demo: { profiles: 2000, purchases: 5000 },
      log: () => undefined,
    })
  })
  afterAll(async () => {
    await server?.stop()
    rmSync(tmp, { recursive: true, force: true })
  })

  it('lists the demo datasets over HTTP while the server owns the data file', async () => {
    const list = await ok<DatasetSummary[]>(dataDir, 'dataset', 'list')
    expect(list.map((d) => d.table)).toEqual(['profiles', 'purchases', 'visitor_links'])
    for (const d of list) {
      expect(d.rows).toBeGreaterThan(0)
      expect(d.lastBatch?.status).toBe('succeeded')
    }
    // The same answer as the API gives with the admin token the server wrote.
    const token = readFileSync(adminTokenFile(dataDir), 'utf8').trim()
    const res = await fetch(`${server.url}/v1/orgs/demo/datasets`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(((await res.json()) as { datasets: DatasetSummary[] }).datasets).toEqual(list)
  })

  it('ingests over HTTP and downloads the rejects to --reject-file', async () => {
    const rejectFile = join(tmp, 'rejects.csv')
    const report = await ok<BatchReport>(
      dataDir,
      'ingest',
      'profiles',
      join(dataDir, 'demo', 'profiles.csv'),
      '--reject-file',
      rejectFile,
    )
    expectCountsAddUp(report)
    expect(report).toMatchObject({ received: 2000, inserted: 0, updated: 0, rejectFile })
    expect(report.unchanged + report.rejected + report.superseded).toBe(2000)
    const lines = readFileSync(rejectFile, 'utf8').split('\n').filter(Boolean)
    expect(lines[0]).toBe('line,column,code,reason,raw')
    expect(lines.length - 1).toBeGreaterThanOrEqual(report.rejected)
  })

  it("sends the data directory's admin token only to the server started from it", async () => {
    const token = readFileSync(adminTokenFile(dataDir), 'utf8').trim()
    const seen: { url: string; authorization: string | undefined }[] = []
    const other = createServer((req, res) => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(req.url?.endsWith('/datasets') ? '{"datasets":[]}' : '{"tokens":[]}')
    })
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    const port = (other.address() as AddressInfo).port
    try {
      const elsewhere = `http://127.0.0.1:${port}`
      for (const args of [
        ['dataset', 'list'],
        ['token', 'list'],
      ]) {
        const run = await ahub(dataDir, '--server', elsewhere, ...args, '--json')
        expect(run.code, run.stderr).toBe(5)
        expect(json<ErrorOutput>(run).error.code).toBe('UNAUTHENTICATED')
        expect(json<ErrorOutput>(run).error.message).toContain(server.url)
      }
      expect(seen.filter((r) => r.authorization?.includes(token))).toEqual([])
      // A token given explicitly goes where the caller sends it.
      const explicit = await ok<unknown[]>(
        dataDir,
        '--server',
        elsewhere,
        '--token',
        'ahub_explicit',
        'dataset',
        'list',
      )
      expect(explicit).toEqual([])
      expect(seen.map((r) => r.authorization)).toEqual(['Bearer ahub_explicit'])
      // The announced server itself, also named by another loopback name, still gets it.
      const same = server.url.replace('127.0.0.1', 'localhost')
      const list = await ok<DatasetSummary[]>(dataDir, '--server', same, 'dataset', 'list')
      expect(list.map((d) => d.table)).toEqual(['profiles', 'purchases', 'visitor_links'])
      expect(seen.filter((r) => r.authorization?.includes(token))).toEqual([])
    } finally {
      await new Promise((resolve) => other.close(resolve))
    }
  })

  it('exits with the same codes over HTTP', async () => {
    const run = await ahub(dataDir, 'ingest', 'customers', join(dataDir, 'demo', 'profiles.csv'), '--json')
    expect(run.code).toBe(4)
    expect(json<ErrorOutput>(run).error.code).toBe('SCHEMA_NOT_FOUND')
  })
})
