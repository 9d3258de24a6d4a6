/**
 * The whole sharing loop across processes (docs/sharing.md): one hub (`ahub hub serve`) and two Audience
 * Hub servers (`ahub start`), each its own process on loopback with its own data directory. Org A
 * exports an audience through the hub; org B imports it, with the match report checked against
 * B's own profiles; then A's audience changes and B's import follows by push. An encrypted
 * e-mail data source gives B a file audience holding every contact.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AudienceHubClient } from '@ahub/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = mkdtempSync(join(tmpdir(), 'ahub-two-servers-'))
const AHUB = join(__dirname, '..', 'packages/cli/bin/ahub.js')
const MASTER_KEY = randomBytes(32).toString('hex')
const children: ChildProcess[] = []

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AHUB_CONFIG: join(root, 'config.json'), LOG_LEVEL: 'warn' }
  for (const name of Object.keys(env))
    if (name.startsWith('AHUB_') && name !== 'AHUB_CONFIG') delete env[name]
  return { ...env, ...extra }
}

/** Runs an `ahub` command to its end; resolves with its output, rejects on a non-zero exit. */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [AHUB, ...args], { env }, (error, stdout, stderr) =>
      error ? reject(new Error(`ahub ${args.join(' ')} failed: ${stderr}`)) : resolve(stdout),
    ),
  )
}

/** Starts a long-running `ahub` process and resolves with the first URL matching `pattern` in its output. */
function serve(args: string[], env: NodeJS.ProcessEnv, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AHUB, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    children.push(child)
    let output = ''
    const timer = setTimeout(() => reject(new Error(`no URL after 60 s:\n${output}`)), 60_000)
    const read = (d: Buffer) => {
      output += d.toString()
      const m = pattern.exec(output)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    child.on('exit', (code) => reject(new Error(`exited with ${code} before it was ready:\n${output}`)))
  })
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** The SHA-256 values of a hashed audience export (CSV with a header line), with their multiplicity. */
async function hashedEmails(api: AudienceHubClient, audience: string): Promise<Map<string, number>> {
  const body = await api.exportAudience(audience, { format: 'csv', hashProfile: 'generic' })
  const [, ...lines] = (await new Response(body).text()).trim().split('\n')
  const counts = new Map<string, number>()
  for (const line of lines) {
    const hash = line.split(',').at(-1)!
    counts.set(hash, (counts.get(hash) ?? 0) + 1)
  }
  return counts
}

let a: AudienceHubClient
let b: AudienceHubClient

beforeAll(async () => {
  const hubDir = join(root, 'hub')
  const hubEnv = cleanEnv({ AHUB_HUB_DATA_DIR: hubDir, AHUB_HUB_MASTER_KEY: MASTER_KEY })
  const tokenA = (await run(['hub', 'token', 'create', '--org', 'shopa'], hubEnv)).trim()
  const tokenB = (await run(['hub', 'token', 'create', '--org', 'shopb'], hubEnv)).trim()
  const hubUrl = await serve(['hub', 'serve', '--port', '0'], hubEnv, /hub listening on (http:\/\/\S+)/)
  const start = async (name: string, token: string, profiles: number) => {
    const dataDir = join(root, name)
    const url = await serve(
      [
        '--data-dir',
        dataDir,
        'start',
        '--port',
        '0',
        '--demo-profiles',
        String(profiles),
        '--demo-purchases',
        String(profiles * 2),
      ],
      cleanEnv({ AHUB_HUB_URL: hubUrl, AHUB_HUB_TOKEN: token, AHUB_HUB_ORG: 'demo' }),
      /Audience Hub is running at (http:\/\/\S+)/,
    )
    return new AudienceHubClient(url, readFileSync(join(dataDir, 'admin-token'), 'utf8').trim(), 'demo')
  }
  // Same generator, different sizes: B knows some of A's customers, not all.
  ;[a, b] = await Promise.all([start('server-a', tokenA, 3000), start('server-b', tokenB, 2000)])
}, 120_000)

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM')
  await Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)),
  )
  rmSync(root, { recursive: true, force: true })
})

describe('two Audience Hub servers and one hub, as separate processes', () => {
  it('shares an audience from A to B with a match report, and B follows A by push', async () => {
    const emails = await a.createDataSource({
      label: 'Hashed e-mails',
      alias: 'emails',
      idType: 'declared',
      namespace: 'email',
      channel: 'email',
      protection: { kind: 'sha256' },
    })
    const rule = (countries: string[]) => ({
      kind: 'condition',
      field: 'country',
      op: 'in',
      values: countries,
    })
    const fr = await a.createAudience({ type: 'query', label: 'FR customers', rule: rule(['FR']) })
    const exported = await a.shareExport({
      audience: fr.audience.id,
      dataSource: emails.id,
      target: { newName: 'FR customers of A', sharedWith: ['shopb'] },
      mode: 'mirror',
    })
    expect(exported).toMatchObject({ direction: 'export', state: 'succeeded' })
    // Every member is counted: exported IDs are distinct e-mails (two members may share one).
    expect(exported.counts.received).toBe(fr.audience.size)
    expect(exported.counts.exported).toBeGreaterThan(0)
    expect(exported.counts.exported).toBeLessThanOrEqual(exported.counts.received - exported.counts.unmapped)

    // B sees it, imports it, and every ID is accounted for.
    const shared = await until('the shared audience on B', async () =>
      (await b.listSharedAudiences()).sharedAudiences.find((s) => s.name === 'FR customers of A'),
    )
    const imported = await b.shareImport({ sharedAudience: shared.id, label: 'FR customers from A' })
    const counts = imported.job.counts
    expect(imported.audience.type).toBe('shared')
    expect(counts.received).toBe(exported.counts.exported)
    expect(counts.matched + counts.unmatched + counts.invalid + counts.ambiguous).toBe(counts.received)

    // The expected outcome of each ID, from B's own profiles hashed the same way.
    const all = await b.createAudience({
      type: 'query',
      label: 'everyone',
      rule: { kind: 'condition', field: 'email', op: 'is not empty' },
    })
    const mine = await hashedEmails(b, all.audience.id)
    const theirs = await hashedEmails(a, fr.audience.id)
    const expected = { matched: 0, unmatched: 0, ambiguous: 0 }
    for (const hash of theirs.keys()) {
      const n = mine.get(hash) ?? 0
      if (n === 0) expected.unmatched++
      else if (n === 1) expected.matched++
      else expected.ambiguous++
    }
    expect(theirs.size).toBe(counts.received)
    expect(expected.unmatched).toBeGreaterThan(0)
    expect(counts).toMatchObject(expected)
    expect((await b.getAudience(imported.audience.id)).audience.size).toBe(expected.matched)

    // The match report lists every ID that did not become a member, with its outcome.
    const report = (await b.syncJobReport(imported.job.id)).trim().split('\n')
    expect(report[0]).toBe('id,outcome,reason')
    const outcomes = report.slice(1).map((l) => l.split(',')[1])
    expect(outcomes.filter((o) => o === 'unmatched')).toHaveLength(expected.unmatched)
    expect(outcomes.filter((o) => o === 'ambiguous')).toHaveLength(expected.ambiguous)
    expect(outcomes).not.toContain('matched')

    // A's audience grows; the export publishes a new version and B's import follows by push.
    await a.updateAudience(fr.audience.id, { rule: rule(['FR', 'DE']) })
    const second = await a.shareExport({
      audience: fr.audience.id,
      dataSource: emails.id,
      target: { sharedAudience: shared.id },
      mode: 'mirror',
    })
    expect(second.sharedVersion).toBe((exported.sharedVersion ?? 0) + 1)
    const t = Date.now()
    const followed = await until('B to follow', async () => {
      const row = (await b.listImports()).imports.find((i) => i.audience === imported.audience.id)
      return row && row.lastVersion === second.sharedVersion ? row : undefined
    })
    expect(followed.lastVersion).toBe(second.sharedVersion)
    expect(Date.now() - t).toBeLessThan(10_000)
    const after = await b.getAudience(imported.audience.id)
    expect(after.audience.version).toBe(2)
    expect(after.audience.size).toBeGreaterThan(expected.matched)
    const jobs = (await b.listSyncJobs({ audience: imported.audience.id })).jobs
    expect(jobs[0]).toMatchObject({
      direction: 'import',
      state: 'succeeded',
      sharedVersion: second.sharedVersion,
    })
    expect(jobs[0]!.latencyMs).not.toBeNull()
  }, 120_000)

  it('gives B a file audience of every decrypted e-mail from an encrypted data source', async () => {
    const encrypted = await a.createDataSource({
      label: 'Encrypted e-mails',
      alias: 'emails-aes',
      idType: 'declared',
      namespace: 'email',
      channel: 'email',
      protection: {
        kind: 'aes-cbc',
        bits: 256,
        key: randomBytes(32).toString('hex'),
        iv: randomBytes(16).toString('hex'),
      },
    })
    expect(encrypted.protection).toEqual({ kind: 'aes-cbc', bits: 256, hasKey: true })
    expect(JSON.stringify(await a.listDataSources())).not.toMatch(/"key"|"iv"/)
    const gb = await a.createAudience({
      type: 'query',
      label: 'GB customers',
      rule: { kind: 'condition', field: 'country', op: '=', value: 'GB' },
    })
    const exported = await a.shareExport({
      audience: gb.audience.id,
      dataSource: encrypted.id,
      target: { newName: 'GB contacts of A', sharedWith: ['shopb'] },
    })
    const shared = (await b.listSharedAudiences()).sharedAudiences.find((s) => s.name === 'GB contacts of A')!
    const imported = await b.shareImport({ sharedAudience: shared.id, label: 'GB contacts from A' })
    expect(imported.audience.type).toBe('file')
    expect(imported.job.counts).toMatchObject({ received: exported.counts.exported, invalid: 0 })
    expect(imported.audience.size).toBe(exported.counts.exported)
    // The contacts are readable e-mails, the same A exported.
    const members = await b.audienceMembers(imported.audience.id, { limit: 5 })
    for (const m of members.members) expect(m.member).toMatch(/^[^@\s]+@[^@\s]+$/)
  }, 120_000)
})
