import type { ComponentType } from 'react'
import { createBrowserRouter, type LoaderFunctionArgs, Navigate, useRouteError } from 'react-router'
import { queries } from '../api/queries'
import { queryClient } from '../api/query-client'
import { Empty, ErrorNotice, Loading } from '../ui/states'
import { useSession } from './session'

/**
 * Each area is its own chunk: the first screen loads only what it draws. The router loads a
 * screen's chunk (route `lazy`) and starts its data (route `loader`) at the same time, when the
 * navigation starts (for the first screen: as soon as this module runs, before anything is
 * drawn), instead of one after the other from a Suspense boundary.
 */
function screen<P extends object>(load: () => Promise<{ default: ComponentType<P> }>, props?: P) {
  return async () => {
    const { default: Screen } = await load()
    return { element: <Screen {...(props ?? ({} as P))} /> }
  }
}

/** A loader that starts the screen's queries (without waiting: the screen shows its own loading state). */
function starting(start: (org: string, cache: typeof queryClient) => unknown) {
  return ({ params }: LoaderFunctionArgs) => {
    if (params.org) start(params.org, queryClient)
    return null
  }
}

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
  { path: '/', element: <Home />, errorElement: <RouteError />, hydrateFallbackElement: <Loading /> },
  {
    path: '/o/:org',
    // The frame too is a chunk: it draws with the component kit, which is loaded (and evaluated)
    // while the screen's data is on its way rather than before it is asked for.
    lazy: async () => ({ Component: (await import('./layout')).AppLayout }),
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
    loader: () => {
      void queryClient.prefetchQuery(queries.orgs())
      return null
    },
    children: [
      {
        index: true,
        loader: starting((org, c) => {
          void c.prefetchQuery(queries.datasets(org))
          void c.prefetchQuery(queries.audiences(org))
          void c.prefetchQuery(queries.recentBatches(org))
        }),
        lazy: screen(() => import('../features/overview/overview-page')),
      },
      {
        path: 'audiences',
        loader: starting((org, c) => c.prefetchQuery(queries.audiences(org))),
        lazy: screen(() => import('../features/audiences/audience-list-page')),
      },
      {
        path: 'audiences/new',
        loader: starting((org, c) => {
          void c.prefetchQuery(queries.schemas(org))
          void c.prefetchQuery(queries.audiences(org))
        }),
        lazy: screen(() => import('../features/rules/rule-page'), { mode: 'new-audience' }),
      },
      { path: 'audiences/:id', lazy: screen(() => import('../features/audiences/audience-detail-page')) },
      {
        path: 'audiences/:id/rule',
        loader: starting((org, c) => {
          void c.prefetchQuery(queries.schemas(org))
          void c.prefetchQuery(queries.audiences(org))
        }),
        lazy: screen(() => import('../features/rules/rule-page'), { mode: 'edit-audience' }),
      },
      {
        path: 'rules',
        loader: starting((org, c) => {
          void c.prefetchQuery(queries.schemas(org))
          void c.prefetchQuery(queries.audiences(org))
        }),
        lazy: screen(() => import('../features/rules/rule-page'), { mode: 'scratch' }),
      },
      { path: 'campaigns', lazy: screen(() => import('../campaigns/campaign-list-page')) },
      { path: 'campaigns/new', lazy: screen(() => import('../campaigns/campaign-editor-page')) },
      { path: 'campaigns/:id', lazy: screen(() => import('../campaigns/campaign-editor-page')) },
      { path: 'sharing/data-sources', lazy: screen(() => import('../sharing/data-sources-page')) },
      { path: 'sharing/jobs', lazy: screen(() => import('../sharing/jobs-page')) },
      { path: 'sharing/shared-audiences', lazy: screen(() => import('../sharing/shared-audiences-page')) },
      { path: 'data', element: <Navigate to="datasets" replace /> },
      {
        path: 'data/datasets',
        loader: starting((org, c) => c.prefetchQuery(queries.datasets(org))),
        lazy: screen(() => import('../features/data/datasets-page')),
      },
      { path: 'data/datasets/:table', lazy: screen(() => import('../features/data/dataset-page')) },
      {
        path: 'data/schemas',
        loader: starting((org, c) => c.prefetchQuery(queries.schemas(org))),
        lazy: screen(() => import('../features/data/schemas-page')),
      },
      { path: 'admin', element: <Navigate to="members" replace /> },
      { path: 'admin/members', lazy: screen(() => import('../features/admin/members-page')) },
      { path: 'admin/tokens', lazy: screen(() => import('../features/admin/tokens-page')) },
      { path: 'admin/audit', lazy: screen(() => import('../features/admin/audit-page')) },
      { path: '*', element: <NotFound /> },
    ],
  },
  { path: '*', element: <NotFound /> },
])
