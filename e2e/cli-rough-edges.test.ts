/**
 * Rough edges a new user of the CLI hit (issue 17 item 14), each run through `ahub` in process on
 * a data directory of its own: a live start of a definition file, what publish prints, the
 * attributes of `audience show`, the units of an export's counts, and the preview of a run whose
 * work tables are gone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '@ahub/cli'
import { parseSchemaText } from '@ahub/core'
import { adminTokenFile, startServer } from '@ahub/server'
import { Store } from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const SCHEMA = `
tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      email: { type: string, identity: { namespace: email, primary: true } }
      country: { type: string }
`

let dir: string
let audience: string

/** Runs `ahub --data-dir <dir> --org acme ...args`; returns the exit code and what it printed. */
async function ahub(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const write = {
    out: process.stdout.write.bind(process.stdout),
    err: process.stderr.write.bind(process.stderr),
  }
  process.stdout.write = ((c: string | Uint8Array) => {
    out += String(c)
    return true
  }) as typeof process.stdout.write
  process.stderr.write = ((c: string | Uint8Array) => {
    err += String(c)
    return true
  }) as typeof process.stderr.write
  try {
    const code = await main(['node', 'ahub', '--data-dir', join(dir, 'data'), '--org', 'acme', ...args])
    return { code, out, err }
  } finally {
    process.stdout.write = write.out
    process.stderr.write = write.err
  }
}

const definition = {
  label: 'French profiles',
  activities: [
    {
      id: 'fr',
      type: 'build_audience',
      options: { rule: { kind: 'condition', field: 'country', op: '=', value: 'FR' } },
    },
    { id: 'end', type: 'end' },
  ],
  transitions: [{ id: 't1', from: 'fr', to: 'end' }],
  settings: { dimension: 'profiles' },
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ahub-cli-edges-'))
  const store = await Store.open({ dataDir: join(dir, 'data') })
  try {
    await store.createOrg('acme', 'Acme')
    await store.catalog.apply('acme', parseSchemaText(SCHEMA))
    const csv = join(dir, 'profiles.csv')
    // p3 and p4 share an address: three members with an e-mail export two IDs.
    writeFileSync(
      csv,
      'id,email,country\np1,ann@example.com,FR\np2,bob@example.com,FR\np3,cat@example.com,DE\np4,cat@example.com,DE\n',
    )
    await store.ingestor.ingest('acme', 'profiles', csv)
    const made = await store.audiences.create('acme', {
      type: 'list',
      label: 'Scored',
      attributes: [{ name: 'score', type: 'integer' }],
      members: [
        { key: 'p1', attributes: { score: 3 } },
        { key: 'p3', attributes: { score: 5 } },
        { key: 'p4', attributes: { score: 1 } },
      ],
    })
    audience = made.audience.id
  } finally {
    await store.close()
  }
  writeFileSync(join(dir, 'campaign.json'), JSON.stringify(definition))
}, 60_000)

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('ahub rough edges (issue 17 item 14)', () => {
  it('refuses a live start of a definition file without leaving a draft behind', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await ahub('campaign', 'start', join(dir, 'campaign.json'))
      expect(r.code).not.toBe(0)
      expect(r.err).toContain('CAMPAIGN_BAD_STATE')
      expect(r.err).toContain('ahub campaign publish')
    }
    const list = await ahub('--json', 'campaign', 'list')
    expect(JSON.parse(list.out).campaigns).toEqual([])
  }, 60_000)

  it('says what publish did, then a finished run previews with CAMPAIGN_WORK_TABLE_DROPPED', async () => {
    const published = await ahub('campaign', 'publish', join(dir, 'campaign.json'))
    expect(published.code).toBe(0)
    const id = /^(cmp_\w+)/.exec(published.out)?.[1] as string
    expect(published.out).toContain(
      `"French profiles" published, revision 1; start it with: ahub campaign start ${id}`,
    )
    expect(published.out).not.toContain('(draft)')
    const run = await ahub('--json', 'campaign', 'start', id)
    expect(run.code).toBe(0)
    expect(JSON.parse(run.out).state).toBe('completed')
    const preview = await ahub('campaign', 'preview', id, 't1')
    expect(preview.code).not.toBe(0)
    expect(preview.err).toContain('CAMPAIGN_WORK_TABLE_DROPPED')
    expect(preview.err).toContain('keepInterimResults')
  }, 60_000)

  it("prints an audience's attributes in audience show", async () => {
    const r = await ahub('audience', 'show', audience)
    expect(r.code).toBe(0)
    expect(r.out).toContain('attributes score integer')
  }, 60_000)

  it('labels the units of an export: members received, IDs exported', async () => {
    writeFileSync(
      join(dir, 'source.json'),
      JSON.stringify({
        label: 'Mails',
        alias: 'mails',
        idType: 'declared',
        namespace: 'email',
        protection: { kind: 'sha256' },
      }),
    )
    const created = await ahub('share', 'sources', '--create', join(dir, 'source.json'))
    expect(created.code).toBe(0)
    const ds = /data source (ds_\w+)/.exec(created.out)?.[1] as string
    const r = await ahub('share', 'export', audience, '--data-source', ds, '--name', 'Scored')
    expect(r.err).toBe('')
    expect(r.out).toContain('members: received 3, unmapped 0; IDs exported 2')
  }, 60_000)
})

describe('a first start without the demo (issue 17 item 11)', () => {
  it('creates the organisation given, makes admin@localhost its admin and prints how to sign in', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ahub-no-demo-'))
    try {
      const lines: string[] = []
      const options = {
        dataDir,
        port: 0,
        host: '127.0.0.1',
        demo: false as const,
        webApp: false as const,
        firstOrg: { id: 'acme', name: 'Acme Inc' },
        log: (l: string) => lines.push(l),
      }
      let server = await startServer(options)
      const token = readFileSync(adminTokenFile(dataDir), 'utf8').trim()
      try {
        const text = lines.join('\n')
        expect(text).toContain('Created organisation "acme" (Acme Inc)')
        expect(text).toContain(`admin token of org "acme" kept in ${adminTokenFile(dataDir)} (created now)`)
        expect(text).toMatch(/admin@localhost \/ \S{24}/)
        const auth = { authorization: `Bearer ${token}` }
        const datasets = await fetch(`${server.url}/v1/orgs/acme/datasets`, { headers: auth })
        expect(datasets.status).toBe(200)
        // The admin of the first org may create the next one.
        const created = await fetch(`${server.url}/v1/orgs`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ id: 'beta', name: 'Beta' }),
        })
        expect(created.status).toBeLessThan(300)
      } finally {
        await server.stop()
      }
      // A second start creates nothing and keeps the token.
      lines.length = 0
      server = await startServer(options)
      await server.stop()
      expect(lines.join('\n')).not.toContain('Created organisation')
      expect(readFileSync(adminTokenFile(dataDir), 'utf8').trim()).toBe(token)
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 120_000)
})
