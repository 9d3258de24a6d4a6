/** One message after personalisation, ready for a transport. */
export interface OutgoingMessage {
  /** Recipient address: an e-mail address, a phone number, a push subscription, a webhook key. */
  to: string
  subject?: string
  from?: string
  replyTo?: string
  html?: string
  text?: string
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post). */
  headers?: Record<string, string>
  /**
   * Stable id of the message, `(run, activity, member)` for campaign sends: the transport passes
   * it to the peer (Message-ID for e-mail) so a re-send after a crash is recognisable.
   */
  messageId: string
}

/**
 * What became of one message. `temporary` failures (SMTP 4xx, connection lost) may be retried
 * with backoff; `permanent` ones (SMTP 5xx, invalid address) are recorded and never retried.
 */
export type SendOutcome =
  | { status: 'sent'; providerId?: string; response?: string }
  | { status: 'failed'; permanent: boolean; code?: number; reason: string }

/** A delivery transport behind one interface: e-mail, SMS, web push, webhook. */
export interface ChannelProvider {
  readonly kind: ProviderKind
  /** Checks that the peer accepts the connection and credentials; throws CHANNEL_PROVIDER_UNREACHABLE. */
  verify(): Promise<void>
  /** Sends one message; never throws for a refused message, returns its outcome. */
  send(message: OutgoingMessage): Promise<SendOutcome>
  /** Closes pooled connections. */
  close(): Promise<void>
}

export type ProviderKind = 'email' | 'sms' | 'push' | 'webhook'
