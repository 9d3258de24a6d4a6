/**
 * Audience benchmarks (docs/audiences.md): refreshing a ~500 k-member query audience with its stored delta,
 * the enter / exit delta between two ~500 k versions, a CSV export of ~1 M members and the
 * single-profile membership check, and deleting the ~500 k-member audience (the call, then the background purge). Runs on an opened store whose org holds the demo data.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { membersTable, type Store } from '@ahub/store'

export interface BenchResult {
  name: string
  value: number
  unit: string
  target?: string
}

const countries = (values: string[]) => ({ kind: 'condition', field: 'country', op: 'in', values })

/** Runs the audience benchmarks on `org` (demo data already ingested) and returns the figures. */
export async function runAudienceBench(store: Store, org: string): Promise<BenchResult[]> {
  const out: BenchResult[] = []
  const dir = mkdtempSync(join(tmpdir(), 'ahub-bench-audiences-'))
  const created: string[] = []
  try {
    // Four of the eight demo countries: about half of the profiles.
    const first = await store.audiences.create(org, {
      type: 'query',
      label: `bench half ${Date.now()}`,
      rule: countries(['FR', 'DE', 'GB', 'US']),
    })
    const id = first.audience.id
    created.push(id)
    out.push({ name: 'audience_create_size', value: first.version.size, unit: 'members' })
    out.push({ name: 'audience_create_ms', value: Math.round(first.version.durationMs), unit: 'ms' })

    // The rule moves by one country: a quarter of the members exit, as many enter.
    const t = performance.now()
    await store.audiences.update(org, id, { rule: countries(['DE', 'GB', 'US', 'ES']) })
    const refreshMs = performance.now() - t
    const [v2] = await store.audiences.versions(org, id, 1)
    out.push({ name: 'audience_refresh_1m_ms', value: Math.round(refreshMs), unit: 'ms', target: '< 2000' })
    out.push({ name: 'audience_refresh_size', value: v2!.size, unit: 'members' })
    out.push({ name: 'audience_refresh_entered', value: v2!.entered, unit: 'members' })
    out.push({ name: 'audience_refresh_exited', value: v2!.exited, unit: 'members' })
    const same = await store.audiences.refresh(org, id)
    out.push({
      name: 'audience_refresh_unchanged_ms',
      value: Math.round(same.version.durationMs),
      unit: 'ms',
    })

    const d = performance.now()
    await store.audiences.delta(org, id, 1, 2)
    out.push({
      name: 'audience_delta_ms',
      value: Math.round(performance.now() - d),
      unit: 'ms',
      target: '< 500',
    })

    const all = await store.audiences.create(org, {
      type: 'query',
      label: `bench all ${Date.now()}`,
      rule: { kind: 'condition', field: 'profile_id', op: 'is not empty' },
    })
    created.push(all.audience.id)
    const e = performance.now()
    const rows = await store.audiences.export(org, all.audience.id, join(dir, 'all.csv'), { format: 'csv' })
    out.push({ name: 'audience_export_csv_1m_s', value: round2((performance.now() - e) / 1000), unit: 's' })
    out.push({ name: 'audience_export_csv_rows', value: rows, unit: 'rows' })
    const h = performance.now()
    await store.audiences.export(org, all.audience.id, join(dir, 'all-hashed.csv'), {
      format: 'csv',
      hashProfile: 'generic',
    })
    out.push({
      name: 'audience_export_csv_hashed_1m_s',
      value: round2((performance.now() - h) / 1000),
      unit: 's',
    })

    const sample = await store.audiences.members(org, all.audience.id, { limit: 5000 })
    const keys = sample.members.filter((_, i) => i % 5 === 0).map((m) => m.member)
    const times: number[] = []
    for (const key of keys) {
      const s = performance.now()
      await store.audiences.profileAudiences(org, key)
      times.push(performance.now() - s)
    }
    times.sort((a, b) => a - b)
    out.push({
      name: 'audience_membership_p99_ms',
      value: round2(times[Math.floor(times.length * 0.99)] ?? 0),
      unit: 'ms',
    })

    // Deleting the ~750 k-range audience refreshed above: the call, then the background purge.
    const ranges = Number(
      (
        await store.engine.query<{ n: number }>(
          `SELECT count(*) AS n FROM ${membersTable(org)} WHERE audience = $1`,
          [id],
        )
      )[0]?.n ?? 0,
    )
    const del = performance.now()
    await store.audiences.delete(org, id)
    out.push({
      name: 'audience_delete_500k_ms',
      value: Math.round(performance.now() - del),
      unit: 'ms',
      target: '< 1000',
    })
    created.splice(created.indexOf(id), 1)
    await store.audiences.purge.idle()
    out.push({ name: 'audience_delete_ranges', value: ranges, unit: 'ranges' })
    out.push({
      name: 'audience_purge_background_s',
      value: round2((performance.now() - del) / 1000),
      unit: 's',
    })
    return out
  } finally {
    for (const id of created.reverse()) await store.audiences.delete(org, id)
    // The next benchmarks measure their own work, not this purge.
    await store.audiences.purge.idle()
    rmSync(dir, { recursive: true, force: true })
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}
