import { z } from 'zod'

/** What a person may do in one organisation. */
export const Role = z.enum(['viewer', 'marketer', 'admin'])
export type Role = z.infer<typeof Role>

/** What an API token may do, never more than its creator's role grants. */
export const Scope = z.enum(['read', 'write', 'share', 'admin'])
export type Scope = z.infer<typeof Scope>
