import type { Role, Scope } from '@ahub/core'

export type { Role, Scope }

export interface User {
  id: string
  email: string
  name: string | null
  disabled: boolean
  createdAt: string
}

export interface Member {
  user: User
  role: Role
  /** active; invited (an existing user added here, until they accept); disabled (in this org only). */
  status: 'active' | 'invited' | 'disabled'
}

/** An organisation whose admin added you, waiting for your answer. */
export interface Invitation {
  org: string
  orgName: string
  role: Role
  invitedBy: string | null
}

export interface OrgSummary {
  id: string
  name: string
  createdAt: string
  role: Role | null
}

export interface Me {
  user: User
  via: 'token' | 'oidc'
  token: { id: string; org: string; scopes: Scope[] } | null
  issuer: string | null
  memberships: { org: string; role: Role }[]
}

/** An API token as listed: prefix and metadata, never the secret. */
export interface TokenInfo {
  id: string
  org: string
  userId: string | null
  name: string
  prefix: string
  scopes: Scope[]
  createdAt: string
  expiresAt: string | null
  revokedAt: string | null
  lastUsedAt: string | null
}

export interface CreateTokenInput {
  name: string
  scopes?: Scope[]
  expiresInDays?: number
  expiresAt?: string
}

export interface AuditEvent {
  id: string
  at: string
  org: string | null
  actorUser: string | null
  actorToken: string | null
  action: string
  target: string | null
  outcome: 'ok' | 'denied' | 'failed'
  reason: string | null
  ip: string | null
  userAgent: string | null
  requestId: string | null
  details: Record<string, unknown>
}

export interface AuditQuery {
  /** ISO date or time, or a duration back from now: 15m, 24h, 7d. */
  since?: string
  /** An action, or a prefix ending in `*`. */
  action?: string
  /** Only this outcome: `denied` shows refusals and failed or throttled sign-ins. */
  outcome?: 'ok' | 'denied' | 'failed'
  limit?: number
  cursor?: string
}
