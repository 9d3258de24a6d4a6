import type { ActivityType } from '@ahub/core'
import { z } from 'zod'
import { ACTIVITIES } from './index'

/** One activity type as clients see it: its graph rules and its options as JSON Schema. */
export interface ActivityDescription {
  type: ActivityType
  inputs: { min: number; max: number }
  producesPopulation: boolean
  needsPopulation: boolean
  /** JSON Schema (2020-12) of the options as written in a definition (before defaults apply). */
  options: Record<string, unknown>
}

let cached: ActivityDescription[] | undefined

/**
 * Every activity type with its options schema converted from the zod schema the validator uses,
 * so the API document, the web forms and the engine read the same schema (ADR 0019). Parts zod
 * cannot express in JSON Schema (rules, refinements) come out as `{}`: any value, which the
 * validate route then checks.
 */
export function describeActivities(): ActivityDescription[] {
  cached ??= (Object.entries(ACTIVITIES) as [ActivityType, (typeof ACTIVITIES)[ActivityType]][]).map(
    ([type, m]) => ({
      type,
      inputs: { ...m.inputs },
      producesPopulation: m.producesPopulation,
      needsPopulation: m.needsPopulation,
      options: z.toJSONSchema(m.options, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    }),
  )
  return cached
}
