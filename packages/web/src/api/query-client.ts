import { QueryCache, QueryClient } from '@tanstack/react-query'
import { ApiError } from './client'

/** Server state lives here, keyed per org and object (`['org', org, 'audiences', id]`). */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      // A session that expired mid-use: ask who is signed in again, which shows the sign-in screen.
      onError: (error, query) => {
        if (error instanceof ApiError && error.status === 401 && query.queryKey[0] !== 'me')
          void client.invalidateQueries({ queryKey: ['me'] })
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
        refetchOnWindowFocus: false,
      },
    },
  })
  return client
}

/** The app's one cache: the entry module and the router start queries in it before anything is drawn. */
export const queryClient = createQueryClient()
