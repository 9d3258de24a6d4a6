import './sharing.css'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api, call } from '../api/client'
import { keys, useOrg } from '../app/org'
import { can } from '../app/session'
import { formatNumber, formatTime } from '../ui/format'
import { Page, Section } from '../ui/page'
import { Empty, ErrorNotice, Loading } from '../ui/states'
import { dataSourcesKey } from './data-sources-page'

const sharedKey = (org: string) => ['org', org, 'sharing', 'shared-audiences'] as const
const importsKey = (org: string) => ['org', org, 'sharing', 'imports'] as const

/**
 * Shared audiences in the hub (owned or shared with the org) with their version and who they are
 * shared with; export an audience (new or existing shared audience, add or mirror); import one
 * (label, force reconciliation); the audiences that follow a shared one with their last update.
 */
export default function SharedAudiencesPage() {
  const { org, role } = useOrg()
  const queryClient = useQueryClient()
  const shared = useQuery({
    queryKey: sharedKey(org),
    queryFn: ({ signal }) =>
      call(api.GET('/v1/orgs/{org}/sharing/shared-audiences', { params: { path: { org } }, signal })),
  })
  const imports = useQuery({
    queryKey: importsKey(org),
    queryFn: ({ signal }) =>
      call(api.GET('/v1/orgs/{org}/sharing/imports', { params: { path: { org } }, signal })),
  })
  const audiences = useQuery({
    queryKey: keys.audiences(org),
    queryFn: ({ signal }) => call(api.GET('/v1/orgs/{org}/audiences', { params: { path: { org } }, signal })),
  })
  const sources = useQuery({
    queryKey: dataSourcesKey(org),
    queryFn: ({ signal }) =>
      call(api.GET('/v1/orgs/{org}/sharing/data-sources', { params: { path: { org } }, signal })),
  })
  const jobs = useQuery({
    queryKey: ['org', org, 'sharing', 'jobs'],
    queryFn: ({ signal }) =>
      call(api.GET('/v1/orgs/{org}/sharing/jobs', { params: { path: { org } }, signal })),
  })
  // Latency of the latest finished import of each followed audience.
  const latency = new Map<string, number>()
  for (const j of [...(jobs.data?.jobs ?? [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt)))
    if (j.direction === 'import' && j.audience && j.latencyMs !== null) latency.set(j.audience, j.latencyMs)
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['org', org] })

  const [exp, setExp] = useState({
    audience: '',
    dataSource: '',
    target: '',
    newName: '',
    sharedWith: '',
    mode: 'add',
  })
  const exportJob = useMutation({
    mutationFn: () =>
      call(
        api.POST('/v1/orgs/{org}/sharing/exports', {
          params: { path: { org } },
          body: {
            audience: exp.audience,
            dataSource: exp.dataSource,
            target: exp.target
              ? { sharedAudience: exp.target }
              : {
                  newName: exp.newName,
                  sharedWith: exp.sharedWith
                    .split(',')
                    .map((s) => s.trim())
                    .filter(Boolean),
                },
            mode: exp.mode as 'add' | 'mirror',
          },
        }),
      ),
    onSettled: refresh,
  })
  const [imp, setImp] = useState({ sharedAudience: '', label: '', forceReconciliation: false })
  const importJob = useMutation({
    mutationFn: () =>
      call(api.POST('/v1/orgs/{org}/sharing/imports', { params: { path: { org } }, body: imp })),
    onSettled: refresh,
  })
  const mayShare = can(role, 'share')
  const own = (shared.data?.sharedAudiences ?? []).filter((s) => s.owner === org)

  return (
    <Page title="Shared audiences">
      {shared.isPending ? (
        <Loading />
      ) : shared.error ? (
        <ErrorNotice error={shared.error} onRetry={() => shared.refetch()} />
      ) : shared.data.sharedAudiences.length === 0 ? (
        <Empty title="No shared audience yet" />
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Shared audience</th>
              <th>Owner</th>
              <th>Version</th>
              <th>Size</th>
              <th>Shared with</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {shared.data.sharedAudiences.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.name} <code>{s.id}</code>
                </td>
                <td>{s.owner}</td>
                <td>{s.version}</td>
                <td>{formatNumber(s.size)}</td>
                <td>{s.sharedWith.join(', ') || '—'}</td>
                <td>{formatTime(s.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Section title="Followed audiences">
        {imports.data?.imports.length ? (
          <table className="table">
            <thead>
              <tr>
                <th>Audience</th>
                <th>Shared audience</th>
                <th>Version</th>
                <th>Last update</th>
                <th>Latency</th>
              </tr>
            </thead>
            <tbody>
              {imports.data.imports.map((i) => (
                <tr key={i.audience}>
                  <td>{i.audience}</td>
                  <td>{i.sharedAudience}</td>
                  <td>
                    v{i.lastVersion} · {i.kind}
                    {i.forceReconciliation ? ' · reconciled' : ''}
                  </td>
                  <td>{formatTime(i.updatedAt)}</td>
                  <td>{latency.has(i.audience) ? `${latency.get(i.audience)} ms` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>No audience follows a shared audience.</p>
        )}
      </Section>
      {mayShare ? (
        <>
          <Section title="Export an audience">
            <form
              className="stack-form"
              onSubmit={(e: FormEvent) => {
                e.preventDefault()
                exportJob.mutate()
              }}
            >
              <label>
                Audience
                <select
                  required
                  value={exp.audience}
                  onChange={(e) => setExp({ ...exp, audience: e.target.value })}
                >
                  <option value="">—</option>
                  {(audiences.data?.audiences ?? []).map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.label}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Data source
                <select
                  required
                  value={exp.dataSource}
                  onChange={(e) => setExp({ ...exp, dataSource: e.target.value })}
                >
                  <option value="">—</option>
                  {(sources.data?.dataSources ?? []).map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.label}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Into
                <select value={exp.target} onChange={(e) => setExp({ ...exp, target: e.target.value })}>
                  <option value="">a new shared audience</option>
                  {own.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </label>
              {exp.target ? null : (
                <>
                  <label>
                    Name{' '}
                    <input
                      required
                      value={exp.newName}
                      onChange={(e) => setExp({ ...exp, newName: e.target.value })}
                    />
                  </label>
                  <label>
                    Shared with (org ids, comma separated)
                    <input
                      value={exp.sharedWith}
                      onChange={(e) => setExp({ ...exp, sharedWith: e.target.value })}
                    />
                  </label>
                </>
              )}
              <label>
                Mode
                <select value={exp.mode} onChange={(e) => setExp({ ...exp, mode: e.target.value })}>
                  <option value="add">add</option>
                  <option value="mirror">mirror</option>
                </select>
              </label>
              <button type="submit" className="btn btn-primary" disabled={exportJob.isPending}>
                Export
              </button>
              {exportJob.error ? <ErrorNotice error={exportJob.error} /> : null}
              {exportJob.data ? (
                <p role="status">
                  Sync job {exportJob.data.id}: {exportJob.data.state}
                </p>
              ) : null}
            </form>
          </Section>
          <Section title="Import a shared audience">
            <form
              className="stack-form"
              onSubmit={(e: FormEvent) => {
                e.preventDefault()
                importJob.mutate()
              }}
            >
              <label>
                Shared audience
                <select
                  required
                  value={imp.sharedAudience}
                  onChange={(e) => setImp({ ...imp, sharedAudience: e.target.value })}
                >
                  <option value="">—</option>
                  {(shared.data?.sharedAudiences ?? []).map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name} ({s.owner})
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Label{' '}
                <input
                  required
                  value={imp.label}
                  onChange={(e) => setImp({ ...imp, label: e.target.value })}
                />
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  checked={imp.forceReconciliation}
                  onChange={(e) => setImp({ ...imp, forceReconciliation: e.target.checked })}
                />{' '}
                Force reconciliation with profiles
              </label>
              <button type="submit" className="btn btn-primary" disabled={importJob.isPending}>
                Import
              </button>
              {importJob.error ? <ErrorNotice error={importJob.error} /> : null}
              {importJob.data ? (
                <p role="status">
                  Imported into {importJob.data.audience.label}; sync job {importJob.data.job.id}:{' '}
                  {importJob.data.job.state}
                </p>
              ) : null}
            </form>
          </Section>
        </>
      ) : null}
    </Page>
  )
}
