import { AppError } from '@ahub/core'
import { createTransport, type Transporter } from 'nodemailer'
import type { ChannelProvider, OutgoingMessage, SendOutcome } from './provider'
import type { SmtpSettings } from './settings'

/** Error shape nodemailer gives (code such as ECONNECTION, EAUTH; responseCode for SMTP replies). */
interface SmtpError {
  code?: string
  responseCode?: number
  response?: string
  message?: string
}

/** Codes of failures on the way to the server: the message did not reach it, a retry may. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ETLS', 'ECONNRESET'])

/** Classifies a send error: SMTP 5xx and refused content are permanent, 4xx and lost connections temporary. */
export function classifySmtpError(err: unknown): Extract<SendOutcome, { status: 'failed' }> {
  const e = err as SmtpError
  const reason = (e.response ?? e.message ?? String(err)).slice(0, 500)
  if (typeof e.responseCode === 'number') {
    return { status: 'failed', permanent: e.responseCode >= 500, code: e.responseCode, reason }
  }
  if (e.code !== undefined && TRANSIENT_CODES.has(e.code))
    return { status: 'failed', permanent: false, reason }
  // EAUTH, EENVELOPE (no valid recipient), EMESSAGE: sending the same message again cannot help.
  return { status: 'failed', permanent: true, reason }
}

/** The domain part for Message-IDs: the sender's domain, or a fixed local one. */
function messageDomain(from: string | undefined): string {
  const m = from?.match(/@([A-Za-z0-9.-]+)>?\s*$/)
  return m?.[1] ?? 'audience-hub.invalid'
}

/**
 * E-mail over SMTP with nodemailer: a pool of `maxConnections` connections, STARTTLS whenever the
 * server offers it (required with `requireTls`), implicit TLS with `secure`, DKIM signing when a key
 * is configured. The message's stable id becomes its Message-ID.
 */
export class SmtpProvider implements ChannelProvider {
  readonly kind = 'email' as const
  private readonly transport: Transporter

  constructor(private readonly settings: SmtpSettings) {
    this.transport = createTransport({
      pool: true,
      maxConnections: settings.maxConnections,
      maxMessages: Number.POSITIVE_INFINITY,
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: settings.requireTls,
      tls: { rejectUnauthorized: settings.verifyCertificate },
      ...(settings.user !== undefined
        ? { auth: { user: settings.user, pass: settings.password ?? '' } }
        : {}),
      ...(settings.dkim ? { dkim: { ...settings.dkim } } : {}),
      // Never log: the transport would write addresses and content.
      logger: false,
      debug: false,
    })
  }

  async verify(): Promise<void> {
    try {
      await this.transport.verify()
    } catch (cause) {
      const e = classifySmtpError(cause)
      throw new AppError('CHANNEL_PROVIDER_UNREACHABLE', `The SMTP server refused: ${e.reason}`, {
        details: { reason: e.reason, host: this.settings.host, port: this.settings.port },
        cause,
      })
    }
  }

  async send(message: OutgoingMessage): Promise<SendOutcome> {
    const from = message.from ?? this.settings.from
    if (from === undefined || from === '') {
      return {
        status: 'failed',
        permanent: true,
        reason: 'no sender: the template and the provider give no "from"',
      }
    }
    try {
      const info = await this.transport.sendMail({
        from,
        to: message.to,
        subject: message.subject ?? '',
        ...(message.replyTo ? { replyTo: message.replyTo } : {}),
        ...(message.html !== undefined ? { html: message.html } : {}),
        ...(message.text !== undefined ? { text: message.text } : {}),
        ...(message.headers ? { headers: message.headers } : {}),
        messageId: `<${message.messageId}@${messageDomain(from)}>`,
      })
      if ((info.rejected ?? []).length > 0) {
        return {
          status: 'failed',
          permanent: true,
          reason: `rejected: ${String(info.response).slice(0, 500)}`,
        }
      }
      return { status: 'sent', providerId: info.messageId, response: String(info.response).slice(0, 500) }
    } catch (err) {
      return classifySmtpError(err)
    }
  }

  async close(): Promise<void> {
    this.transport.close()
  }
}
