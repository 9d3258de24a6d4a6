import { useQuery } from '@tanstack/react-query'
import { createContext, type ReactNode, useContext } from 'react'
import { ApiError } from '../api/client'
import { type Me, queries } from '../api/queries'
import { ErrorNotice, Loading } from '../ui/states'

export type Role = 'viewer' | 'marketer' | 'admin'

const SessionContext = createContext<Me | null>(null)

/** The signed-in person: their user and memberships (org and role). */
export function useSession(): Me {
  const me = useContext(SessionContext)
  if (!me) throw new Error('useSession outside <SessionGate>')
  return me
}

/** What a role may do in an org, mirroring the server's grants (the server still checks every call). */
export function can(role: Role | null | undefined, action: 'read' | 'write' | 'share' | 'admin'): boolean {
  if (!role) return false
  if (role === 'admin') return true
  if (role === 'marketer') return action !== 'admin'
  return action === 'read'
}

/** Where the built-in (or external) OpenID provider's sign-in starts; it comes back to `path`. */
export function signInUrl(path: string): string {
  return `/auth/login?redirect=${encodeURIComponent(path)}`
}

/** Asks the server who is signed in; shows the sign-in screen when nobody is. */
export function SessionGate({ children }: { children: ReactNode }) {
  const me = useQuery(queries.me())
  if (me.isPending) return <Loading label="Checking your session…" />
  if (me.error) {
    if (me.error instanceof ApiError && (me.error.status === 401 || me.error.code === 'TOKEN_EXPIRED'))
      return <SignInScreen />
    return (
      <main className="centered">
        <ErrorNotice error={me.error} onRetry={() => void me.refetch()} />
      </main>
    )
  }
  return <SessionContext.Provider value={me.data}>{children}</SessionContext.Provider>
}

function SignInScreen() {
  const here = `${window.location.pathname}${window.location.search}`
  return (
    <main className="centered sign-in">
      <h1>Audience Hub</h1>
      <p>Build audiences from your customer data and share them. Sign in to continue.</p>
      <a className="btn btn-primary" href={signInUrl(here)}>
        Sign in
      </a>
    </main>
  )
}

export type Membership = Me['memberships'][number]
