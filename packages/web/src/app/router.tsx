import { lazy, type ReactNode, Suspense } from 'react'
import { createBrowserRouter, Navigate, useRouteError } from 'react-router'
import { Empty, ErrorNotice, Loading } from '../ui/states'
import { AppLayout } from './layout'
import { useSession } from './session'

// Each area is its own chunk: the first screen loads only what it draws.
const OverviewPage = lazy(() => import('../features/overview/overview-page'))
const AudienceListPage = lazy(() => import('../features/audiences/audience-list-page'))
const AudienceDetailPage = lazy(() => import('../features/audiences/audience-detail-page'))
const RulePage = lazy(() => import('../features/rules/rule-page'))
const DatasetsPage = lazy(() => import('../features/data/datasets-page'))
const DatasetPage = lazy(() => import('../features/data/dataset-page'))
const SchemasPage = lazy(() => import('../features/data/schemas-page'))
const MembersPage = lazy(() => import('../features/admin/members-page'))
const TokensPage = lazy(() => import('../features/admin/tokens-page'))
const AuditPage = lazy(() => import('../features/admin/audit-page'))
const CampaignListPage = lazy(() => import('../campaigns/campaign-list-page'))
const CampaignEditorPage = lazy(() => import('../campaigns/campaign-editor-page'))
const DataSourcesPage = lazy(() => import('../sharing/data-sources-page'))
const SharingJobsPage = lazy(() => import('../sharing/jobs-page'))
const SharedAudiencesPage = lazy(() => import('../sharing/shared-audiences-page'))

const screen = (node: ReactNode) => <Suspense fallback={<Loading />}>{node}</Suspense>

/** `/` opens the person's first organisation. */
function Home() {
  const me = useSession()
  const first = me.memberships[0]
  if (!first)
    return (
      <main className="centered">
        <Empty title="You do not belong to any organisation yet">
          <p>Ask an admin to add you as a member.</p>
        </Empty>
      </main>
    )
  return <Navigate to={`/o/${first.org}`} replace />
}

function RouteError() {
  const error = useRouteError()
  return (
    <main className="centered">
      <ErrorNotice error={error} />
    </main>
  )
}

function NotFound() {
  return (
    <Empty title="There is no such screen">
      <p>
        <a href="/">Go to the overview</a>
      </p>
    </Empty>
  )
}

export const router = createBrowserRouter([
  { path: '/', element: <Home />, errorElement: <RouteError /> },
  {
    path: '/o/:org',
    element: <AppLayout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: screen(<OverviewPage />) },
      { path: 'audiences', element: screen(<AudienceListPage />) },
      { path: 'audiences/new', element: screen(<RulePage mode="new-audience" />) },
      { path: 'audiences/:id', element: screen(<AudienceDetailPage />) },
      { path: 'audiences/:id/rule', element: screen(<RulePage mode="edit-audience" />) },
      { path: 'rules', element: screen(<RulePage mode="scratch" />) },
      { path: 'campaigns', element: screen(<CampaignListPage />) },
      { path: 'campaigns/new', element: screen(<CampaignEditorPage />) },
      { path: 'campaigns/:id', element: screen(<CampaignEditorPage />) },
      { path: 'sharing/data-sources', element: screen(<DataSourcesPage />) },
      { path: 'sharing/jobs', element: screen(<SharingJobsPage />) },
      { path: 'sharing/shared-audiences', element: screen(<SharedAudiencesPage />) },
      { path: 'data', element: <Navigate to="datasets" replace /> },
      { path: 'data/datasets', element: screen(<DatasetsPage />) },
      { path: 'data/datasets/:table', element: screen(<DatasetPage />) },
      { path: 'data/schemas', element: screen(<SchemasPage />) },
      { path: 'admin', element: <Navigate to="members" replace /> },
      { path: 'admin/members', element: screen(<MembersPage />) },
      { path: 'admin/tokens', element: screen(<TokensPage />) },
      { path: 'admin/audit', element: screen(<AuditPage />) },
      { path: '*', element: <NotFound /> },
    ],
  },
  { path: '*', element: <NotFound /> },
])
