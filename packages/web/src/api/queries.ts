import { queryOptions } from '@tanstack/react-query'
import { api, call } from './client'

/** Cache keys of server state, per org and object. */
export const keys = {
  org: (org: string) => ['org', org] as const,
  datasets: (org: string) => ['org', org, 'datasets'] as const,
  dataset: (org: string, table: string) => ['org', org, 'datasets', table] as const,
  batches: (org: string, table?: string) => ['org', org, 'batches', table ?? null] as const,
  schemas: (org: string) => ['org', org, 'schemas'] as const,
  audiences: (org: string) => ['org', org, 'audiences'] as const,
  audience: (org: string, id: string) => ['org', org, 'audiences', id] as const,
  members: (org: string) => ['org', org, 'members'] as const,
  tokens: (org: string) => ['org', org, 'tokens'] as const,
  audit: (org: string, filters: object) => ['org', org, 'audit', filters] as const,
  campaigns: (org: string) => ['org', org, 'campaigns'] as const,
}

const path = (org: string) => ({ params: { path: { org } } })

const fetchMe = (signal: AbortSignal) => call(api.GET('/v1/me', { signal }))
const fetchAudiences = (org: string, signal: AbortSignal) =>
  call(api.GET('/v1/orgs/{org}/audiences', { ...path(org), signal }))

/** The signed-in person: their user and memberships (org and role). */
export type Me = Awaited<ReturnType<typeof fetchMe>>
/** An audience as the list shows it. */
export type AudienceSummary = Awaited<ReturnType<typeof fetchAudiences>>['audiences'][number]

/**
 * The queries the first screens draw, each with its key and its call: the screens read them, and
 * the router starts them while it loads a screen's code (not after it), so they run side by side.
 */
export const queries = {
  me: () =>
    queryOptions({
      queryKey: ['me'],
      queryFn: ({ signal }) => fetchMe(signal),
      staleTime: 60_000,
    }),
  orgs: () =>
    queryOptions({
      queryKey: ['orgs'],
      queryFn: ({ signal }) => call(api.GET('/v1/orgs', { signal })),
    }),
  audiences: (org: string) =>
    queryOptions({
      queryKey: keys.audiences(org),
      queryFn: ({ signal }) => fetchAudiences(org, signal),
    }),
  datasets: (org: string) =>
    queryOptions({
      queryKey: keys.datasets(org),
      queryFn: ({ signal }) => call(api.GET('/v1/orgs/{org}/datasets', { ...path(org), signal })),
    }),
  recentBatches: (org: string) =>
    queryOptions({
      queryKey: keys.batches(org),
      queryFn: ({ signal }) =>
        call(api.GET('/v1/orgs/{org}/batches', { params: { path: { org }, query: { limit: 8 } }, signal })),
    }),
  schemas: (org: string) =>
    queryOptions({
      queryKey: keys.schemas(org),
      queryFn: ({ signal }) => call(api.GET('/v1/orgs/{org}/schemas', { ...path(org), signal })),
    }),
}
