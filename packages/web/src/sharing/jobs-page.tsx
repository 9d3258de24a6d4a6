import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api, call } from '../api/client'
import { useOrg } from '../app/org'
import { formatTime } from '../ui/format'
import { Page, Section } from '../ui/page'
import { Progress } from '../ui/progress'
import { Empty, ErrorNotice, Loading } from '../ui/states'
import { MatchReportChart } from './match-report-chart'

/** Sync jobs (exports and imports) with their state; an import's match report as a picture. */
export default function JobsPage() {
  const { org } = useOrg()
  const [open, setOpen] = useState<string | null>(null)
  const jobs = useQuery({
    queryKey: ['org', org, 'sharing', 'jobs'],
    queryFn: ({ signal }) =>
      call(api.GET('/v1/orgs/{org}/sharing/jobs', { params: { path: { org } }, signal })),
    refetchInterval: (q) =>
      q.state.data?.jobs.some((j) => j.state === 'queued' || j.state === 'running') ? 1000 : false,
  })
  const job = jobs.data?.jobs.find((j) => j.id === open)
  return (
    <Page title="Sharing jobs">
      {jobs.isPending ? (
        <Loading />
      ) : jobs.error ? (
        <ErrorNotice error={jobs.error} onRetry={() => jobs.refetch()} />
      ) : jobs.data.jobs.length === 0 ? (
        <Empty title="No sharing job yet" />
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Job</th>
              <th>Direction</th>
              <th>State</th>
              <th>Shared audience</th>
              <th>Received</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {jobs.data.jobs.map((j) => (
              <tr key={j.id}>
                <td>
                  <button type="button" className="linkish" onClick={() => setOpen(j.id)}>
                    {j.id}
                  </button>
                </td>
                <td>{j.direction}</td>
                <td data-state={j.state}>
                  {j.state === 'running' || j.state === 'queued' ? <Progress label={j.state} /> : j.state}
                  {j.error ? ` — ${j.error.message}` : ''}
                </td>
                <td>
                  {j.sharedAudience ?? '—'}
                  {j.sharedVersion ? ` v${j.sharedVersion}` : ''}
                </td>
                <td>{j.counts.received}</td>
                <td>{formatTime(j.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {job ? (
        <Section title={`Match report of ${job.id}`}>
          <MatchReportChart counts={job.counts} />
          <p>
            <a
              href={`/v1/orgs/${encodeURIComponent(org)}/sharing/jobs/${encodeURIComponent(job.id)}/report`}
              download
            >
              Download the report (CSV)
            </a>
            {job.latencyMs !== null ? ` · latency ${job.latencyMs} ms` : ''}
          </p>
        </Section>
      ) : null}
    </Page>
  )
}
