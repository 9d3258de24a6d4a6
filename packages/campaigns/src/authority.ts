import { AppError, type CampaignDefinition, type Capability, type Principal } from '@ahub/core'
import { ACTIVITIES } from './activities'

/**
 * Answers what a principal may do in an organisation now. The embedding (the server) implements it
 * with the same rules as its auth hook: a revoked or expired token, a disabled user or a removed
 * membership hold nothing; otherwise the role's grants (intersected with a token's scopes).
 */
export interface Authority {
  capabilities(
    org: string,
    principal: Pick<Principal, 'kind' | 'userId' | 'tokenId'>,
  ): Promise<{ capabilities: Capability[]; reason?: string }>
}

/** One activity's need: the activity and the capability its effect requires. */
export interface CapabilityNeed {
  activity: string
  capability: Capability
}

/** The capabilities one activity's effect needs, from its (parameter-bound) options. */
export function activityCapabilities(
  type: CampaignDefinition['activities'][number]['type'],
  options: unknown,
) {
  const m = ACTIVITIES[type]
  if (m.capabilities) {
    const parsed = m.options.safeParse(options)
    // Options with unbound parameters may not parse yet; the hook reads only their shape.
    return m.capabilities(parsed.success ? parsed.data : options)
  }
  return m.channel ? (['send'] as Capability[]) : []
}

/** What a definition's live effects need (share for Save audience's "share", send for channels). */
export function neededCapabilities(def: CampaignDefinition): CapabilityNeed[] {
  return def.activities.flatMap((a) =>
    activityCapabilities(a.type, a.options).map((capability) => ({ activity: a.id, capability })),
  )
}

/** What `principal` holds of `needs` now, as recorded intersected with `authority`'s answer. */
export async function missingCapabilities(
  authority: Authority,
  org: string,
  principal: Principal,
  needs: Capability[],
): Promise<{ missing: Capability[]; reason?: string }> {
  const now = await authority.capabilities(org, principal)
  const missing = needs.filter((c) => !principal.capabilities.includes(c) || !now.capabilities.includes(c))
  return {
    missing: [...new Set(missing)],
    reason:
      now.reason ??
      (missing.some((c) => !now.capabilities.includes(c)) ? 'CAPABILITY_WITHDRAWN' : 'NOT_GRANTED_AT_START'),
  }
}

/**
 * Refuses a command (publish, start, resume) whose caller lacks a capability the campaign's live
 * effects need: `FORBIDDEN`, naming the capabilities and the activities.
 */
export async function assertCanCommand(
  authority: Authority | undefined,
  org: string,
  caller: CommandCaller | undefined,
  needs: CapabilityNeed[],
  what: string,
): Promise<Principal | null> {
  if (!caller) {
    if (authority && needs.length > 0)
      throw new AppError(
        'FORBIDDEN',
        `Nobody answers for the effects of this campaign: ${what} needs a caller`,
        {
          details: { needs: [...new Set(needs.map((n) => n.capability))] },
        },
      )
    return null
  }
  if (!authority) return { ...caller, capabilities: [] }
  const held = await authority.capabilities(org, caller)
  const missing = [...new Set(needs.map((n) => n.capability).filter((c) => !held.capabilities.includes(c)))]
  if (missing.length > 0)
    throw new AppError(
      'FORBIDDEN',
      `To ${what} this campaign you need the ${missing.join(' and ')} permission: ${needs
        .filter((n) => missing.includes(n.capability))
        .map((n) => `activity "${n.activity}" needs ${n.capability}`)
        .join(', ')}`,
      {
        details: {
          needs: missing,
          activities: needs.filter((n) => missing.includes(n.capability)).map((n) => n.activity),
        },
      },
    )
  return { ...caller, capabilities: held.capabilities }
}

/** Who issues a command: a person, or an API token and its creator. */
export type CommandCaller = Pick<Principal, 'kind' | 'userId' | 'tokenId'>
