import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AppError, parseSchemaText } from '@ahub/core'
import { type HubClient, HubService, InProcessHubClient } from '@ahub/hub'
import { Store } from '@ahub/store'
import { migrateSharing } from './migrations'
import { type SharingOptions, SharingService } from './sharing-service'

/** Schema of both test orgs: profiles with e-mail and CRM identities, and visitor links (ECID). */
export const TEST_SCHEMA = `
tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      email: { type: string, identity: { namespace: email, primary: true } }
      crm_id: { type: string, identity: { namespace: crm } }
      consent: { type: boolean, labels: [consent] }
  visitor_links:
    primaryKey: [visitor_id, profile_id]
    linksTo: { table: profiles, field: profile_id }
    fields:
      visitor_id: { type: string, nullable: false, identity: { namespace: ecid, primary: true } }
      profile_id: { type: string, nullable: false }
`

/** A profile row of the test data. */
export interface Person {
  id: string
  email?: string
  crm?: string
  consent?: boolean
}

export interface SharingFixture {
  dir: string
  store: Store
  hubService: HubService
  sharing: SharingService
  /** The in-process hub client of an org (what the sharing service uses unless `hubFor` overrides it). */
  client(org: string): HubClient
  /** Replaces an org's profiles (and visitor links) with these rows. */
  load(org: string, people: Person[], visitors?: { ecid: string; profile: string }[]): Promise<void>
  /** Creates a list audience of the org holding these profile ids. */
  listAudience(org: string, label: string, ids: string[]): Promise<string>
  /** The member keys of an audience's current version, sorted. */
  members(org: string, audience: string): Promise<string[]>
  /** Rows of a report CSV (without its header). */
  report(org: string, job: string): string[][]
  close(): Promise<void>
}

/**
 * A store with orgs `acme` (exporter) and `beta` (importer) on the test schema, the real hub in
 * the same process (its own data directory), and a sharing service over both.
 */
export async function openSharingFixture(
  options: { hubFor?: (org: string, real: HubClient) => HubClient; retry?: SharingOptions['retry'] } = {},
): Promise<SharingFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'ahub-sharing-'))
  const store = await Store.open({ dataDir: join(dir, 'data') })
  await migrateSharing(store.engine)
  for (const org of ['acme', 'beta']) {
    await store.createOrg(org, org)
    await store.catalog.apply(org, parseSchemaText(TEST_SCHEMA))
  }
  const hubService = await HubService.open({ dataDir: join(dir, 'hub'), env: {} })
  const clients = new Map<string, HubClient>()
  const client = (org: string) => {
    let c = clients.get(org)
    if (!c) {
      c = new InProcessHubClient(hubService, org)
      clients.set(org, c)
    }
    return c
  }
  const sharing = new SharingService(store, {
    hub: (org) => (options.hubFor ? options.hubFor(org, client(org)) : client(org)),
    retry: options.retry ?? { attempts: 3, delayMs: 5 },
  })
  let batch = 0
  return {
    dir,
    store,
    hubService,
    sharing,
    client,
    async load(org, people, visitors = []) {
      batch++
      await store.engine.run(`DELETE FROM org_${org}.visitor_links`)
      await store.engine.run(`DELETE FROM org_${org}.profiles`)
      const p = join(dir, `profiles-${batch}.csv`)
      const rows = people.map(
        (x) => `${x.id},${x.email ?? ''},${x.crm ?? ''},${x.consent === undefined ? '' : x.consent}`,
      )
      writeFileSync(p, `id,email,crm_id,consent\n${rows.join('\n')}\n`)
      await store.ingestor.ingest(org, 'profiles', p)
      if (visitors.length > 0) {
        const v = join(dir, `visitors-${batch}.csv`)
        writeFileSync(
          v,
          `visitor_id,profile_id\n${visitors.map((x) => `${x.ecid},${x.profile}`).join('\n')}\n`,
        )
        await store.ingestor.ingest(org, 'visitor_links', v)
      }
    },
    async listAudience(org, label, ids) {
      const r = await store.audiences.create(org, { type: 'list', label, members: ids })
      return r.audience.id
    },
    async members(org, audience) {
      const page = await store.audiences.members(org, audience, { limit: 10_000 })
      return page.members.map((m) => m.member).sort()
    },
    report(org, job) {
      void org
      const path = join(store.dataDir, 'share-reports', `${job}.csv`)
      const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1)
      return lines.filter((l) => l !== '').map(csvCells)
    },
    async close() {
      await sharing.stopFollowing()
      await store.close()
      await hubService.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** The AppError a promise rejects with. */
export async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (e) {
    return e as AppError
  }
  throw new Error('expected the call to fail')
}

/** The cells of one CSV line (double-quoted cells may hold commas and doubled quotes). */
function csvCells(line: string): string[] {
  const cells: string[] = []
  let i = 0
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = ''
      i++
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          v += '"'
          i += 2
        } else if (line[i] === '"') {
          i++
          break
        } else v += line[i++]
      }
      cells.push(v)
      i++
    } else {
      const end = line.indexOf(',', i)
      cells.push(line.slice(i, end === -1 ? line.length : end))
      i = end === -1 ? line.length + 1 : end + 1
    }
  }
  return cells
}
