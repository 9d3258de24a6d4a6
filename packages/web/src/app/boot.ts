import { queries } from '../api/queries'
import { queryClient } from '../api/query-client'

// Imported first by the entry: who is signed in is asked before the router starts loading the
// screen's code and data (which happens as soon as its module runs), not after either.
void queryClient.prefetchQuery(queries.me())
