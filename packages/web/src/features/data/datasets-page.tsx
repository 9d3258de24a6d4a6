import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { queries } from '../../api/queries'
import { api, call } from '../../api/client'
import { keys, useOrg } from '../../app/org'
import { formatNumber, formatTime } from '../../ui/format'
import { Page } from '../../ui/page'
import { Empty, ErrorNotice, Loading } from '../../ui/states'

/** The datasets of the org with their rows and last batch. */
export default function DatasetsPage() {
  const { org } = useOrg()
  const datasets = useQuery(queries.datasets(org))
  return (
    <Page title="Datasets">
      {datasets.isPending ? (
        <Loading />
      ) : datasets.error ? (
        <ErrorNotice error={datasets.error} onRetry={() => void datasets.refetch()} />
      ) : datasets.data.datasets.length === 0 ? (
        <Empty title="No datasets yet">
          <p>
            A dataset appears for each table of a <Link to={`/o/${org}/data/schemas`}>schema</Link>.
          </p>
        </Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Dataset</th>
              <th scope="col">Rows</th>
              <th scope="col">Revision</th>
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
                <td>{d.revision}</td>
                <td>{d.lastBatch ? `${d.lastBatch.status}, ${formatTime(d.lastBatch.finishedAt)}` : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  )
}
