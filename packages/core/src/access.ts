import { z } from 'zod'
import { ROLES, SCOPES } from './access-names'

/** What a person may do in one organisation. */
export const Role = z.enum(ROLES)
export type Role = z.infer<typeof Role>

/**
 * What an API token may do, never more than its creator's role grants. `share` exchanges audiences
 * with the hub; `send` delivers messages (campaign channel activities).
 */
export const Scope = z.enum(SCOPES)
export type Scope = z.infer<typeof Scope>

/** The scopes that guard an effect outside the installation, which a campaign run may need. */
export const Capability = z.enum(['share', 'send'])
export type Capability = z.infer<typeof Capability>

/**
 * Who answers for a campaign run's effects: the person or token that started it (or that published
 * a scheduled campaign), with the capabilities it held in the organisation at that moment.
 */
export const Principal = z.object({
  kind: z.enum(['user', 'token']),
  userId: z.string(),
  /** The API token, when the principal is one. */
  tokenId: z.string().nullable(),
  capabilities: z.array(Capability),
})
export type Principal = z.infer<typeof Principal>
