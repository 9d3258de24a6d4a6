import { AppError } from '@ahub/core'
import { z } from 'zod'

/** SMTP relay settings: pooled connections, STARTTLS when the server offers it, DKIM when a key is given. */
export const SmtpSettings = z
  .object({
    kind: z.literal('email'),
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65_535).default(587),
    /** Implicit TLS from the first byte (port 465); otherwise STARTTLS is used when offered. */
    secure: z.boolean().default(false),
    /** Refuse to send in clear when the server does not offer STARTTLS. */
    requireTls: z.boolean().default(false),
    /** Check the server certificate (turn off only for a test relay with a self-signed certificate). */
    verifyCertificate: z.boolean().default(true),
    user: z.string().max(255).optional(),
    password: z.string().max(1024).optional(),
    maxConnections: z.number().int().min(1).max(50).default(5),
    /** Default sender when a template gives none. */
    from: z.string().max(320).optional(),
    dkim: z
      .object({
        domainName: z.string().min(1).max(255),
        keySelector: z.string().min(1).max(63),
        privateKey: z.string().min(1).max(16_384),
      })
      .strict()
      .optional(),
  })
  .strict()
export type SmtpSettings = z.infer<typeof SmtpSettings>

/** Settings of any provider kind (SMS, push and webhooks join this union). */
export const ProviderSettings = z.discriminatedUnion('kind', [SmtpSettings])
export type ProviderSettings = z.infer<typeof ProviderSettings>

/** Parses settings given through the API or CLI; CHANNEL_PROVIDER_INVALID lists every problem (never the values). */
export function parseProviderSettings(input: unknown): ProviderSettings {
  const r = ProviderSettings.safeParse(input)
  if (r.success) return r.data
  throw new AppError('CHANNEL_PROVIDER_INVALID', 'The provider settings have problems', {
    details: { issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
  })
}

/** The non-secret facts about a provider the API may show: never a host credential or key. */
export interface ProviderInfo {
  id: string
  kind: ProviderSettings['kind']
  /** Names of the settings that are set (values stay sealed). */
  configured: string[]
  createdAt: string
  updatedAt: string
}
