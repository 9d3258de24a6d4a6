import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { api, call } from '../../api/client'
import { queries } from '../../api/queries'
import { keys, useOrg } from '../../app/org'
import { formatNumber, formatTime } from '../../ui/format'
import { Page, Section } from '../../ui/page'
import { Empty, ErrorNotice, Loading } from '../../ui/states'

/** The org at a glance: datasets with rows and last batch, audiences, recent batches, campaigns. */
export default function OverviewPage() {
  const { org } = useOrg()
  const path = { params: { path: { org } } }
  const datasets = useQuery(queries.datasets(org))
  const audiences = useQuery(queries.audiences(org))
  const batches = useQuery(queries.recentBatches(org))
  const campaigns = useQuery({
    queryKey: keys.campaigns(org),
    queryFn: ({ signal }) => call(api.GET('/v1/orgs/{org}/campaigns', { ...path, signal })),
  })
  const recentAudiences = [...(audiences.data?.audiences ?? [])]
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .slice(0, 8)
  return (
    <Page title="Overview">
      <div className="grid-2">
        <Section title="Datasets">
          {datasets.isPending ? (
            <Loading />
          ) : datasets.error ? (
            <ErrorNotice error={datasets.error} onRetry={() => void datasets.refetch()} />
          ) : datasets.data.datasets.length === 0 ? (
            <Empty title="No datasets yet">
              <p>
                Describe your tables in <Link to={`/o/${org}/data/schemas`}>Schemas</Link>, then upload files.
              </p>
            </Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Dataset</th>
                  <th scope="col">Rows</th>
                  <th scope="col">Last batch</th>
                </tr>
              </thead>
              <tbody>
                {datasets.data.datasets.map((d) => (
                  <tr key={d.table}>
                    <td>
                      <Link to={`/o/${org}/data/datasets/${d.table}`}>{d.table}</Link>
                    </td>
                    <td>{formatNumber(d.rows)}</td>
                    <td>
                      {d.lastBatch ? `${d.lastBatch.status}, ${formatTime(d.lastBatch.finishedAt)}` : '–'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
        <Section title="Audiences" actions={<Link to={`/o/${org}/audiences`}>All audiences</Link>}>
          {audiences.isPending ? (
            <Loading />
          ) : audiences.error ? (
            <ErrorNotice error={audiences.error} onRetry={() => void audiences.refetch()} />
          ) : recentAudiences.length === 0 ? (
            <Empty title="No audiences yet">
              <p>
                Build one in the <Link to={`/o/${org}/audiences/new`}>rule builder</Link>.
              </p>
            </Empty>
          ) : (
            <>
              <p className="muted">
                {formatNumber(audiences.data.audiences.length)} audiences; recently changed:
              </p>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Audience</th>
                    <th scope="col">Type</th>
                    <th scope="col">Size</th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {recentAudiences.map((a) => (
                    <tr key={a.id}>
                      <td>
                        <Link to={`/o/${org}/audiences/${a.id}`}>{a.label}</Link>
                      </td>
                      <td>{a.type}</td>
                      <td>{formatNumber(a.size)}</td>
                      <td>{formatTime(a.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </Section>
        <Section title="Recent batches">
          {batches.isPending ? (
            <Loading />
          ) : batches.error ? (
            <ErrorNotice error={batches.error} onRetry={() => void batches.refetch()} />
          ) : batches.data.batches.length === 0 ? (
            <Empty title="No batches yet" />
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Dataset</th>
                  <th scope="col">Status</th>
                  <th scope="col">Started</th>
                </tr>
              </thead>
              <tbody>
                {batches.data.batches.map((b) => (
                  <tr key={b.id}>
                    <td>{b.file}</td>
                    <td>{b.table}</td>
                    <td>
                      <span
                        className={`badge ${b.status === 'succeeded' ? 'badge-ok' : b.status === 'failed' ? 'badge-bad' : ''}`}
                      >
                        {b.status}
                      </span>
                    </td>
                    <td>{formatTime(b.startedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
        <Section title="Campaigns">
          {campaigns.isPending ? (
            <Loading />
          ) : campaigns.error ? (
            <ErrorNotice error={campaigns.error} onRetry={() => void campaigns.refetch()} />
          ) : campaigns.data.campaigns.length === 0 ? (
            <Empty title="No campaigns yet" />
          ) : (
            <ul>
              {campaigns.data.campaigns.slice(0, 8).map((c) => (
                <li key={c.id}>{c.label}</li>
              ))}
            </ul>
          )}
        </Section>
      </div>
    </Page>
  )
}
