import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { Link } from 'react-router'
import { api, call } from '../api/client'
import { keys, useOrg } from '../app/org'
import { can } from '../app/session'
import { formatTime } from '../ui/format'
import { Page } from '../ui/page'
import { Empty, ErrorNotice, Loading } from '../ui/states'

/** The org's campaigns with their state; a new one opens an empty canvas. */
export default function CampaignListPage() {
  const { org, role } = useOrg()
  // The canvas (React Flow, dagre) is the next screen a user of this list opens: fetch and
  // evaluate its chunk now rather than on the click (web_canvas_50_render_ms).
  useEffect(() => {
    void import('./campaign-editor-page')
  }, [])
  const list = useQuery({
    queryKey: keys.campaigns(org),
    queryFn: ({ signal }) => call(api.GET('/v1/orgs/{org}/campaigns', { params: { path: { org } }, signal })),
  })
  return (
    <Page
      title="Campaigns"
      actions={
        can(role, 'write') ? (
          <Link className="btn btn-primary" to={`/o/${org}/campaigns/new`}>
            New campaign
          </Link>
        ) : null
      }
    >
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorNotice error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.campaigns.length === 0 ? (
        <Empty title="No campaign yet">
          <p>Draw one on the canvas with “New campaign”.</p>
        </Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Campaign</th>
              <th>State</th>
              <th>Revision</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {list.data.campaigns.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/o/${org}/campaigns/${c.id}`}>{c.label}</Link>
                </td>
                <td>{c.state}</td>
                <td>{c.revision}</td>
                <td>{formatTime(c.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  )
}
