import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ColumnDef } from '@tanstack/react-table'
import { useMemo, useState } from 'react'
import { Link, useParams } from 'react-router'
import { api, call } from '../../api/client'
import { keys, useOrg } from '../../app/org'
import { can } from '../../app/session'
import { Button } from '../../ui/button'
import { DataTable } from '../../ui/data-table'
import { SelectField, TextField } from '../../ui/fields'
import { formatDuration, formatNumber, formatTime } from '../../ui/format'
import { Page, Section } from '../../ui/page'
import { Progress } from '../../ui/progress'
import { Empty, ErrorNotice, Loading } from '../../ui/states'
import { SizeHistoryChart } from './size-history-chart'

type Member = Awaited<ReturnType<typeof fetchMembers>>['members'][number]

function fetchMembers(org: string, id: string, search: string, cursor: string | null, signal: AbortSignal) {
  return call(
    api.GET('/v1/orgs/{org}/audiences/{id}/members', {
      params: {
        path: { org, id },
        query: { limit: 100, ...(search ? { search } : {}), ...(cursor ? { cursor } : {}) },
      },
      signal,
    }),
  )
}

/** An audience: definition, size history, members, export, schedule and refresh. */
export default function AudienceDetailPage() {
  const { org, role } = useOrg()
  const id = useParams().id!
  const queryClient = useQueryClient()
  const detail = useQuery({
    queryKey: keys.audience(org, id),
    queryFn: ({ signal }) =>
      call(api.GET('/v1/orgs/{org}/audiences/{id}', { params: { path: { org, id } }, signal })),
  })
  const refresh = useMutation({
    mutationFn: () =>
      call(api.POST('/v1/orgs/{org}/audiences/{id}/refresh', { params: { path: { org, id } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.audience(org, id) })
      void queryClient.invalidateQueries({ queryKey: keys.audiences(org) })
    },
  })
  if (detail.isPending)
    return (
      <Page title="Audience">
        <Loading />
      </Page>
    )
  if (detail.error)
    return (
      <Page title="Audience">
        <ErrorNotice error={detail.error} onRetry={() => void detail.refetch()} />
      </Page>
    )
  const { audience, versions, usedBy } = detail.data
  const writable = can(role, 'write')
  return (
    <Page
      title={audience.label}
      actions={
        <>
          {audience.type === 'query' && writable ? (
            <Link className="btn" to={`/o/${org}/audiences/${id}/rule`}>
              Edit rule
            </Link>
          ) : null}
          {audience.type === 'query' && writable ? (
            <Button variant="primary" isDisabled={refresh.isPending} onPress={() => refresh.mutate()}>
              Refresh now
            </Button>
          ) : null}
        </>
      }
    >
      {refresh.isPending ? <Progress label="Refreshing" /> : null}
      {refresh.error ? <ErrorNotice error={refresh.error} /> : null}
      {refresh.data ? (
        <p role="status">
          Version {refresh.data.version.version}: {formatNumber(refresh.data.version.size)} members,{' '}
          {formatNumber(refresh.data.version.entered)} entered, {formatNumber(refresh.data.version.exited)}{' '}
          exited ({formatDuration(refresh.data.version.durationMs)})
        </p>
      ) : null}
      <div className="grid-3">
        <Section title="Size">
          <span className="stat">{formatNumber(audience.size)}</span>
          <span className="stat-label">
            {audience.dimension ?? 'identifiers'}, version {audience.version}
          </span>
        </Section>
        <Section title="About">
          <dl className="facts">
            <dt>Type</dt>
            <dd>{audience.type}</dd>
            <dt>Identity</dt>
            <dd>{audience.identityField ?? audience.identityNamespace ?? '–'}</dd>
            <dt>Owner</dt>
            <dd>{audience.owner}</dd>
            <dt>Updated</dt>
            <dd>{formatTime(audience.updatedAt)}</dd>
          </dl>
        </Section>
        <Section title="Used by">
          {usedBy.length === 0 ? (
            <p className="muted">Nothing uses this audience.</p>
          ) : (
            <ul>
              {usedBy.map((u) => (
                <li key={`${u.kind}:${u.id}`}>
                  {u.kind}: {u.label}
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>
      <div className="grid-2">
        <Section title="Size history">
          {versions.length === 0 ? (
            <Empty title="No version yet" />
          ) : (
            <>
              <SizeHistoryChart versions={versions} />
              <table className="table">
                <caption className="visually-hidden">Versions</caption>
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Size</th>
                    <th scope="col">Entered</th>
                    <th scope="col">Exited</th>
                    <th scope="col">Written</th>
                  </tr>
                </thead>
                <tbody>
                  {versions.slice(0, 10).map((v) => (
                    <tr key={v.version}>
                      <td>{v.version}</td>
                      <td>{formatNumber(v.size)}</td>
                      <td>{formatNumber(v.entered)}</td>
                      <td>{formatNumber(v.exited)}</td>
                      <td>{formatTime(v.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </Section>
        <div className="stack">
          <ExportPanel org={org} id={id} />
          <SchedulePanel org={org} id={id} writable={writable && audience.type === 'query'} />
        </div>
      </div>
      <MembersPanel org={org} id={id} version={audience.version} />
      {audience.rule ? (
        <Section
          title="Definition"
          actions={
            writable ? <Link to={`/o/${org}/audiences/${id}/rule`}>Open in the rule builder</Link> : null
          }
        >
          <pre>{JSON.stringify(audience.rule, null, 2)}</pre>
        </Section>
      ) : null}
    </Page>
  )
}

const FORMATS = [
  { id: 'csv', label: 'CSV' },
  { id: 'ndjson', label: 'NDJSON' },
  { id: 'parquet', label: 'Parquet' },
]
const HASHING = [
  { id: 'none', label: 'Plain values' },
  { id: 'generic', label: 'SHA-256 (generic)' },
  { id: 'google', label: 'SHA-256 for Google' },
  { id: 'meta', label: 'SHA-256 for Meta' },
]

function ExportPanel({ org, id }: { org: string; id: string }) {
  const [format, setFormat] = useState('csv')
  const [hash, setHash] = useState('none')
  const query = new URLSearchParams({ format, ...(hash === 'none' ? {} : { hashProfile: hash }) })
  const href = `/v1/orgs/${encodeURIComponent(org)}/audiences/${encodeURIComponent(id)}/export?${query}`
  return (
    <Section title="Export">
      <div className="row">
        <SelectField label="Format" options={FORMATS} value={format} onChange={setFormat} />
        <SelectField label="Identities" options={HASHING} value={hash} onChange={setHash} />
        <a className="btn btn-primary" href={href} download>
          Download
        </a>
      </div>
    </Section>
  )
}

function SchedulePanel({ org, id, writable }: { org: string; id: string; writable: boolean }) {
  const queryClient = useQueryClient()
  const key = [...keys.audience(org, id), 'schedule']
  const schedule = useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      call(api.GET('/v1/orgs/{org}/audiences/{id}/schedule', { params: { path: { org, id } }, signal })),
  })
  const [cron, setCron] = useState('0 6 * * *')
  const set = useMutation({
    mutationFn: () =>
      call(
        api.PUT('/v1/orgs/{org}/audiences/{id}/schedule', {
          params: { path: { org, id } },
          body: { cron, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  })
  const remove = useMutation({
    mutationFn: () =>
      call(api.DELETE('/v1/orgs/{org}/audiences/{id}/schedule', { params: { path: { org, id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  })
  return (
    <Section title="Schedule">
      {schedule.isPending ? (
        <Loading />
      ) : schedule.error ? (
        <ErrorNotice error={schedule.error} />
      ) : schedule.data.schedule ? (
        <>
          <p>
            Refreshed on <code>{schedule.data.schedule.cron}</code> ({schedule.data.schedule.timeZone}); next:{' '}
            {schedule.data.nextLaunches.slice(0, 3).map(formatTime).join(', ')}
          </p>
          {writable ? (
            <Button variant="danger" onPress={() => remove.mutate()}>
              Stop the schedule
            </Button>
          ) : null}
        </>
      ) : (
        <p className="muted">Not refreshed on a schedule.</p>
      )}
      {writable && !schedule.data?.schedule ? (
        <div className="row">
          <TextField
            label="Cron"
            value={cron}
            onChange={setCron}
            error={set.error ? String((set.error as Error).message) : null}
          />
          <Button onPress={() => set.mutate()}>Schedule</Button>
        </div>
      ) : null}
    </Section>
  )
}

function MembersPanel({ org, id, version }: { org: string; id: string; version: number }) {
  const [search, setSearch] = useState('')
  const [cursors, setCursors] = useState<(string | null)[]>([null])
  const cursor = cursors[cursors.length - 1] ?? null
  const members = useQuery({
    queryKey: [...keys.audience(org, id), 'members', version, search, cursor],
    queryFn: ({ signal }) => fetchMembers(org, id, search, cursor, signal),
  })
  const [selected, setSelected] = useState<Member | null>(null)
  const columns = useMemo<ColumnDef<Member, unknown>[]>(
    () => [
      { header: 'Member', accessorKey: 'member' },
      { header: 'Identity', accessorKey: 'identity' },
      { header: 'Entered in version', accessorKey: 'enteredVersion' },
    ],
    [],
  )
  return (
    <Section title="Members">
      <div className="row">
        <TextField
          label="Search by identity"
          type="search"
          value={search}
          onChange={(s) => {
            setSearch(s)
            setCursors([null])
          }}
        />
        <Button isDisabled={cursors.length < 2} onPress={() => setCursors((c) => c.slice(0, -1))}>
          Previous page
        </Button>
        <Button
          isDisabled={!members.data?.next}
          onPress={() => setCursors((c) => [...c, members.data?.next ?? null])}
        >
          Next page
        </Button>
        <span className="muted">Page {cursors.length}</span>
      </div>
      {members.isPending ? (
        <Loading />
      ) : members.error ? (
        <ErrorNotice error={members.error} />
      ) : members.data.members.length === 0 ? (
        <Empty title="No members" />
      ) : (
        <div className="members-layout">
          <DataTable
            label="Members"
            columns={columns}
            data={members.data.members}
            getRowId={(m) => m.member}
            height={360}
            onRowClick={setSelected}
          />
          {selected ? <ProfilePanel org={org} member={selected} onClose={() => setSelected(null)} /> : null}
        </div>
      )}
    </Section>
  )
}

function ProfilePanel({ org, member, onClose }: { org: string; member: Member; onClose: () => void }) {
  const audiences = useQuery({
    queryKey: ['org', org, 'profile-audiences', member.member],
    queryFn: ({ signal }) =>
      call(
        api.GET('/v1/orgs/{org}/profiles/{id}/audiences', {
          params: { path: { org, id: member.member } },
          signal,
        }),
      ),
  })
  return (
    <aside className="profile-panel" aria-label={`Profile ${member.member}`}>
      <div className="section-header">
        <h3>{member.member}</h3>
        <Button variant="quiet" onPress={onClose}>
          Close
        </Button>
      </div>
      <dl className="facts">
        <dt>Identity</dt>
        <dd>{member.identity ?? '–'}</dd>
        {Object.entries(member.attributes).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{String(v)}</dd>
          </div>
        ))}
      </dl>
      <h4>Audiences it belongs to</h4>
      {audiences.isPending ? (
        <Loading />
      ) : audiences.error ? (
        <ErrorNotice error={audiences.error} />
      ) : (
        <ul>
          {audiences.data.audiences.map((a) => (
            <li key={a.id}>{a.label}</li>
          ))}
        </ul>
      )}
    </aside>
  )
}
