/** What the API shows of a channel provider (docs/channels.md): never a setting's value. */
export interface ChannelProviderInfo {
  id: string
  kind: 'email'
  /** Names of the settings that are set; values are write-only. */
  configured: string[]
  createdAt: string
  updatedAt: string
}

/** Settings of a provider, write-only (e-mail over SMTP: docs/channels.md). */
export interface ChannelProviderSettings {
  kind: 'email'
  host: string
  port?: number
  secure?: boolean
  requireTls?: boolean
  verifyCertificate?: boolean
  user?: string
  password?: string
  maxConnections?: number
  from?: string
  dkim?: { domainName: string; keySelector: string; privateKey: string }
}

/** A channel activity's message rendered for one profile. */
export interface ChannelPreview {
  profile: string
  to: string | null
  message: { subject?: string; from?: string; replyTo?: string; html?: string; text?: string }
  /** Personalisation columns the dimension does not hold (enrichment): shown with their defaults. */
  missing: string[]
}

export interface ProofOutcome {
  to: string
  status: 'sent' | 'failed'
  reason?: string
}

export type DeliveryStatus = 'queued' | 'sending' | 'retry' | 'sent' | 'failed' | 'lost' | 'excluded'

/** One recipient's line of a delivery log. */
export interface DeliveryEntry {
  member: string
  address: string | null
  status: DeliveryStatus
  reason: string | null
  attempts: number
  updatedAt: string
}

export interface DeliveryLogPage {
  total: number
  offset: number
  entries: DeliveryEntry[]
}

/** Counts of a run's channel activity by outcome, and of excluded recipients by reason. */
export interface DeliveryReport {
  recipients: number
  byStatus: Record<DeliveryStatus, number>
  excluded: Record<string, number>
}
