import { randomUUID } from 'node:crypto'
import { AppError } from '@ahub/core'
import { ident, type SchemaCatalog, type Session } from '@ahub/store'
import { EMAIL } from './delivery'
import type { ProviderStore } from './provider-store'
import { openProvider } from './registry'
import { CompiledTemplate, MessageTemplate, type RenderedMessage } from './template'

/** What preview and proof need of a channel activity: its options and the dimension it reads. */
export interface ActivityContent {
  provider: string
  template: unknown
  address: string
  personalisation: string[]
  /** Table whose rows the campaign's population are (its primary key is the profile id). */
  dimension: string
}

/** A message rendered for one profile, as the activity would send it. */
export interface Preview {
  profile: string
  /** The profile's address (null when empty). */
  to: string | null
  message: RenderedMessage
  /** Personalisation columns the dimension does not hold (enrichment columns): shown with their defaults. */
  missing: string[]
}

/** What became of a proof message to one test address. */
export interface ProofOutcome {
  to: string
  status: 'sent' | 'failed'
  reason?: string
}

/** Most test addresses of one proof send. */
export const MAX_PROOF_ADDRESSES = 20

/**
 * Preview and proof send of a channel activity's template. Values come from the campaign's
 * dimension row of the chosen profile (columns an enrichment adds during a run are not there and
 * take their declared defaults); a composite key is given as a JSON array, as the delivery log
 * names members.
 */
export class ChannelTools {
  constructor(
    private readonly providers: ProviderStore,
    private readonly catalog: SchemaCatalog,
  ) {}

  /** Renders the template for a profile; CHANNEL_PROFILE_NOT_FOUND when the dimension has no such row. */
  async preview(s: Session, org: string, content: ActivityContent, profile: string): Promise<Preview> {
    const template = CompiledTemplate.compile(
      MessageTemplate.parse(content.template),
      content.personalisation,
    )
    const { values, missing } = await this.profileValues(s, org, content, profile)
    const to = values[content.address]
    return {
      profile,
      to: to === null || to === undefined || String(to).trim() === '' ? null : String(to),
      message: template.render(values),
      missing,
    }
  }

  /**
   * Sends the template to test addresses through the activity's provider, rendered for `profile`
   * (or with the declared defaults only), subject marked "[Proof]". Nothing is written to the
   * delivery ledger. Invalid addresses fail with CHANNEL_ADDRESS_INVALID before anything is sent,
   * a provider that does not answer with CHANNEL_PROVIDER_UNREACHABLE.
   */
  async proof(
    s: Session,
    org: string,
    content: ActivityContent,
    request: { to: string[]; profile?: string },
  ): Promise<ProofOutcome[]> {
    const bad = request.to.filter((a) => !EMAIL.test(a.trim()))
    if (bad.length > 0)
      throw new AppError('CHANNEL_ADDRESS_INVALID', `Not a valid e-mail address: ${bad.join(', ')}`, {
        details: { addresses: bad },
      })
    const template = CompiledTemplate.compile(
      MessageTemplate.parse(content.template),
      content.personalisation,
    )
    const values = request.profile ? (await this.profileValues(s, org, content, request.profile)).values : {}
    const rendered = template.render(values)
    const provider = openProvider(await this.providers.open(s, org, content.provider))
    try {
      await provider.verify()
      const outcomes: ProofOutcome[] = []
      for (const address of request.to) {
        const outcome = await provider.send({
          ...rendered,
          subject: `[Proof] ${rendered.subject ?? ''}`,
          to: address.trim(),
          headers: { 'X-Audience-Hub-Proof': 'true' },
          messageId: `proof.${randomUUID()}`,
        })
        outcomes.push(
          outcome.status === 'sent'
            ? { to: address, status: 'sent' }
            : { to: address, status: 'failed', reason: outcome.reason },
        )
      }
      return outcomes
    } finally {
      await provider.close()
    }
  }

  /** The dimension row's values of the columns the activity reads; identifiers come from the schema. */
  private async profileValues(
    s: Session,
    org: string,
    content: ActivityContent,
    profile: string,
  ): Promise<{ values: Record<string, unknown>; missing: string[] }> {
    const table = (await this.catalog.definitions(org))[content.dimension]
    if (!table) throw profileNotFound(profile, content.dimension)
    const wanted = [...new Set([content.address, ...content.personalisation])]
    const present = wanted.filter((c) => c in table.fields)
    const keys = table.primaryKey
    let key: unknown[]
    try {
      key = keys.length === 1 ? [profile] : (JSON.parse(profile) as unknown[])
    } catch {
      throw profileNotFound(profile, content.dimension)
    }
    if (!Array.isArray(key) || key.length !== keys.length) throw profileNotFound(profile, content.dimension)
    const where = keys.map((k, i) => `CAST(${ident(k)} AS VARCHAR) = $${i + 1}`).join(' AND ')
    const select = present.length > 0 ? present.map(ident).join(', ') : '1 AS "_"'
    const rows = await s.query<Record<string, unknown>>(
      `SELECT ${select} FROM ${ident(`org_${org}`)}.${ident(content.dimension)} WHERE ${where} LIMIT 1`,
      key.map(String),
    )
    if (rows.length === 0) throw profileNotFound(profile, content.dimension)
    const values: Record<string, unknown> = {}
    for (const c of present) values[c] = rows[0]![c]
    return { values, missing: wanted.filter((c) => !present.includes(c)) }
  }
}

function profileNotFound(profile: string, dimension: string): AppError {
  return new AppError('CHANNEL_PROFILE_NOT_FOUND', `No row "${profile}" in ${dimension}`, {
    details: { profile, dimension },
  })
}
