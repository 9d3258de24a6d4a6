import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { HttpHubClient, type HubClient, HubService, InProcessHubClient, serveHub } from '@ahub/hub'
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
 * Sharing (docs/sharing.md): every profile of `org` exported as SHA-256 e-mails and imported into a
 * second org holding the same profiles, through a hub served over HTTP on loopback
 * (`share_export_import_1m_s`, the target) and through the in-process hub of the embedded default
 * (`share_export_import_1m_inprocess_s`); then the reconciliation alone of those IDs with the
 * second org's profiles (`reconcile_1m_ids_ms`).
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
    await store.engine.run(`DROP TABLE IF EXISTS org_${target}."_share_sha256_profiles__email"`)
    const exportImport = async (via: SharingService, dataSource: string) => {
      const t = performance.now()
      const exported = await via.exportAudience(org, {
        audience: all.audience.id,
        dataSource,
        target: { newName: `bench ${Date.now()}`, sharedWith: [target] },
      })
      const imported = await via.importShared(target, {
        sharedAudience: exported.sharedAudience!,
        label: `bench import ${Date.now()}`,
      })
      return { exported, imported, s: round2((performance.now() - t) / 1000) }
    }

    // The same through `ahub hub serve` over HTTP, each org with its own hub token.
    const served = await serveHub({ dataDir: join(dir, 'hub-http'), port: 0, env: {} })
    try {
      const clients = new Map<string, HubClient>()
      for (const o of [org, target]) {
        const { secret } = await served.hub.tokens.create(o, 'bench')
        clients.set(o, await HttpHubClient.connect({ url: served.url, token: secret }))
      }
      const overHttp = new SharingService(store, {
        hub: (o) => clients.get(o)!,
        reportDir: join(dir, 'reports-http'),
      })
      const httpDs = await overHttp.createDataSource(org, {
        label: 'E-mail SHA-256',
        alias: `bench-http-${Date.now()}`,
        idType: 'declared',
        namespace: 'email',
        channel: 'email',
        protection: { kind: 'sha256' },
      })
      const http = await exportImport(overHttp, httpDs.id)
      out.push({ name: 'share_export_import_1m_s', value: http.s, unit: 's', target: '< 10 (hub over HTTP)' })
      out.push({ name: 'share_import_matched_http', value: http.imported.job.counts.matched, unit: 'ids' })

      // Push: a 1 000-member audience shared and imported, then 1 000 more members exported to it;
      // from the start of that export to the importing side's new version, followed by push.
      const rule = (below: string) => ({ kind: 'condition', field: 'profile_id', op: '<', value: below })
      const small = await store.audiences.create(org, {
        type: 'query',
        label: `bench push ${Date.now()}`,
        rule: rule('p0001001'),
      })
      const first = await overHttp.exportAudience(org, {
        audience: small.audience.id,
        dataSource: httpDs.id,
        target: { newName: `bench push ${Date.now()}`, sharedWith: [target] },
        mode: 'mirror',
      })
      const followed = await overHttp.importShared(target, {
        sharedAudience: first.sharedAudience!,
        label: `bench push import ${Date.now()}`,
      })
      await overHttp.startFollowing()
      await store.audiences.update(org, small.audience.id, { rule: rule('p0002001') })
      const t = performance.now()
      await overHttp.exportAudience(org, {
        audience: small.audience.id,
        dataSource: httpDs.id,
        target: { sharedAudience: first.sharedAudience! },
        mode: 'mirror',
      })
      const before = followed.audience.version
      while ((await store.audiences.get(target, followed.audience.id)).version === before) {
        if (performance.now() - t > 30_000) throw new Error('the import did not follow within 30 s')
        await new Promise((r) => setTimeout(r, 5))
      }
      const total = Math.round(performance.now() - t)
      await overHttp.idle()
      const [job] = await overHttp.listJobs(target, { audience: followed.audience.id, limit: 1 })
      // From the hub's publish of the new version to the end of the import that wrote it.
      out.push({
        name: 'share_push_latency_ms',
        value: Math.round(job?.latencyMs ?? -1),
        unit: 'ms',
        target: '< 1000',
      })
      // The same from the start of the export (members read, protected, published) to the new version.
      out.push({ name: 'share_push_export_to_version_ms', value: total, unit: 'ms' })
      await overHttp.stopFollowing()
    } finally {
      await served.close()
    }
    // Second, so that the target above is measured cold (no hashed keys kept from an earlier import).
    const { exported, imported, s: inProcess } = await exportImport(sharing, ds.id)
    out.push({ name: 'share_export_import_1m_inprocess_s', value: inProcess, unit: 's' })
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
