import { QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { RouterProvider } from 'react-router'
import { queries } from './api/queries'
import { queryClient } from './api/query-client'
import { router } from './app/router'
import { SessionGate } from './app/session'
import './ui/styles.css'

// Who is signed in is asked now, while the router loads the screen's code and data, not after.
void queryClient.prefetchQuery(queries.me())

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionGate>
        <RouterProvider router={router} />
      </SessionGate>
    </QueryClientProvider>
  </StrictMode>,
)
