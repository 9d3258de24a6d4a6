import { useParams } from 'react-router'
import { type Role, useSession } from './session'

/** The org of the current screen (from `/o/:org/...`) and the person's role in it. */
export function useOrg(): { org: string; role: Role | null } {
  const { org } = useParams()
  const me = useSession()
  if (!org) throw new Error('useOrg outside /o/:org')
  const role = me.memberships.find((m) => m.org === org)?.role ?? null
  return { org, role }
}

export { keys } from '../api/queries'
