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
