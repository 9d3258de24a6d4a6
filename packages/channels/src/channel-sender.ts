import { ident, type Session } from '@ahub/store'
import { DEFAULT_CONFIRM_ABOVE } from './confirmation'
import { type DeliveryReport, deliver, type Recipient } from './delivery'
import type { ProviderStore } from './provider-store'
import { openProvider } from './registry'
import { CompiledTemplate, MessageTemplate } from './template'

/** What the Channel activity asks for (the shape of @ahub/campaigns' ChannelSender request). */
export interface SendRequest {
  session: Session
  org: string
  runId: string
  activity: string
  provider: string
  template: unknown
  table: string
  keys: string[]
  address: string
  consent: string | undefined
  personalisation: string[]
  throttle: number | undefined
  confirm: boolean
  confirmAbove: number | undefined
  log(message: string): Promise<void>
}

/**
 * The Channel activity's sender: opens the org's provider and checks that it answers, compiles the template against the
 * personalisation columns (coded errors before anything is sent), reads the recipients from the
 * work table and delivers through the ledger. Columns were checked by the activity; identifiers
 * are quoted, values never reach SQL text.
 */
export class ChannelDelivery {
  constructor(
    private readonly providers: ProviderStore,
    private readonly tuning: {
      backoffMs?: number
      maxAttempts?: number
      concurrency?: number
      /** Confirmation threshold of activities that name none (DEFAULT_CONFIRM_ABOVE). */
      confirmAbove?: number
    } = {},
  ) {}

  async deliver(req: SendRequest): Promise<DeliveryReport> {
    const template = CompiledTemplate.compile(MessageTemplate.parse(req.template), req.personalisation)
    const provider = openProvider(await this.providers.open(req.session, req.org, req.provider))
    try {
      // A provider that refuses the connection or the credentials fails the activity before any
      // recipient is queued (CHANNEL_PROVIDER_UNREACHABLE): nothing sent, nothing lost.
      await provider.verify()
      const cols = [
        ...req.keys.map((k, i) => `${ident(k)} AS ${ident(`k${i}`)}`),
        `${ident(req.address)} AS "address"`,
        ...(req.consent ? [`${ident(req.consent)} AS "consent"`] : []),
        ...req.personalisation.map((p, i) => `${ident(p)} AS ${ident(`f${i}`)}`),
      ]
      const sql = `SELECT ${cols.join(', ')} FROM ${req.table}`
      return await deliver(req.session, {
        org: req.org,
        runId: req.runId,
        activity: req.activity,
        provider,
        template,
        ...(req.throttle !== undefined ? { throttle: req.throttle } : {}),
        backoffMs: this.tuning.backoffMs,
        maxAttempts: this.tuning.maxAttempts,
        concurrency: this.tuning.concurrency,
        ...(req.confirm
          ? { confirmAbove: req.confirmAbove ?? this.tuning.confirmAbove ?? DEFAULT_CONFIRM_ABOVE }
          : {}),
        log: req.log,
        recipients: async (onBatch) => {
          // Read first, then write the ledger: one session cannot stream and write at once.
          const all: Recipient[] = []
          await req.session.stream(sql, [], (rows) => {
            for (const r of rows as Record<string, unknown>[]) {
              const key = req.keys.map((_, i) => r[`k${i}`])
              const fields: Record<string, unknown> = {}
              req.personalisation.forEach((p, i) => {
                fields[p] = r[`f${i}`]
              })
              all.push({
                member: key.length === 1 ? String(key[0]) : JSON.stringify(key),
                address: r.address === null || r.address === undefined ? null : String(r.address),
                ...(req.consent ? { consent: r.consent === true } : {}),
                fields,
              })
            }
          })
          await onBatch(all)
        },
      })
    } finally {
      await provider.close()
    }
  }
}
