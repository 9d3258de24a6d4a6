import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { HubService, InProcessHubClient } from '@ahub/hub'
import { migrateSharing, reconcile, SharingService } from '@ahub/sharing'
import { NEXT_TABLE, type Store } from '@ahub/store'

interface Result {
  name: string
  value: number
  unit: string
  target?: string
}

const round2 = (x: number) => Math.round(x * 100) / 100

/**
 * Sharing through the in-process hub (SPEC 6.4): every profile of `org` exported as SHA-256
 * e-mails and imported into a second org holding the same profiles (`share_export_import_1m_s`),
 * then the reconciliation alone of those IDs with the second org's profiles (`reconcile_1m_ids_ms`).
 */
export async function benchSharing(store: Store, org: string): Promise<Result[]> {
  const out: Result[] = []
  await migrateSharing(store.engine)
  const dir = join(store.dataDir, 'bench-sharing')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const hub = await HubService.open({ dataDir: join(dir, 'hub'), env: {} })
  const target = `${org}_import`
  try {
    if (!(await store.orgs.find(target))) {
      await store.createOrg(target, `${org} (import)`)
      const { relationships: _, ...profiles } = (await store.catalog.definitions(org)).profiles!
      await store.catalog.apply(target, { tables: { profiles } })
      await store.engine.run(`INSERT INTO org_${target}.profiles SELECT * FROM org_${org}.profiles`)
      await store.engine.run(
        `INSERT INTO org_${target}._identity_links SELECT * FROM org_${org}._identity_links
         WHERE dimension = 'profiles' AND namespace = 'email'`,
      )
    }
    const sharing = new SharingService(store, {
      hub: (o) => new InProcessHubClient(hub, o),
      reportDir: join(dir, 'reports'),
    })
    const all = await store.audiences.create(org, {
      type: 'query',
      label: `bench share ${Date.now()}`,
      rule: { kind: 'condition', field: 'profile_id', op: 'is not empty' },
    })
    const ds = await sharing.createDataSource(org, {
      label: 'E-mail SHA-256',
      alias: `bench-${Date.now()}`,
      idType: 'declared',
      namespace: 'email',
      channel: 'email',
      protection: { kind: 'sha256' },
    })
    const t = performance.now()
    const exported = await sharing.exportAudience(org, {
      audience: all.audience.id,
      dataSource: ds.id,
      target: { newName: `bench ${Date.now()}`, sharedWith: [target] },
    })
    const imported = await sharing.importShared(target, {
      sharedAudience: exported.sharedAudience!,
      label: `bench import ${Date.now()}`,
    })
    out.push({
      name: 'share_export_import_1m_s',
      value: round2((performance.now() - t) / 1000),
      unit: 's',
      target: '< 10 (in-process hub)',
    })
    out.push({ name: 'share_export_job_ms', value: Math.round(exported.durationMs ?? 0), unit: 'ms' })
    out.push({ name: 'share_import_job_ms', value: Math.round(imported.job.durationMs ?? 0), unit: 'ms' })
    out.push({ name: 'share_import_matched', value: imported.job.counts.matched, unit: 'ids' })

    const ids = join(dir, 'ids.txt')
    const received = await new InProcessHubClient(hub, target).downloadMembers(exported.sharedAudience!, ids)
    const ms = await store.engine.withSession(async (s) => {
      await s.run(`CREATE OR REPLACE TEMP TABLE ${NEXT_TABLE} (member VARCHAR NOT NULL, attrs VARCHAR)`)
      const r = performance.now()
      await reconcile(
        s,
        { org: target, dimension: 'profiles', namespace: 'email', protection: { kind: 'sha256' } },
        { ids, report: join(dir, 'report.csv') },
      )
      return performance.now() - r
    })
    out.push({ name: 'reconcile_1m_ids_ms', value: Math.round(ms), unit: 'ms', target: '< 1500' })
    out.push({ name: 'reconcile_ids', value: received, unit: 'ids' })
    return out
  } finally {
    await hub.close()
  }
}
