// The names of roles and scopes as plain lists: the CLI's help lists them without loading zod.

/** What a person may do in one organisation, least first. */
export const ROLES = ['viewer', 'marketer', 'admin'] as const

/** What an API token may do (see Scope in access.ts). */
export const SCOPES = ['read', 'write', 'share', 'send', 'admin'] as const
