import type { Issue } from '@ahub/core'
import { z } from 'zod'
import { primaryInput, single } from './common'
import { DEFAULT_RETRY, defineActivity } from './types'

/** Fork: the same population on every outgoing transition (parallel branches). */
export const fork = defineActivity({
  type: 'fork',
  options: z.object({}).strict(),
  inputs: { min: 1, max: 1 },
  producesPopulation: true,
  needsPopulation: true,
  outlets: () => ['out'],
  retry: DEFAULT_RETRY,
  execute: async (ctx) => ({ out: single(ctx.inputs) }),
})

/** And-join: fires when every input has arrived; passes on the primary input's population. */
export const andJoin = defineActivity({
  type: 'and_join',
  options: z.object({ primary: z.string().optional() }).strict(),
  inputs: { min: 2, max: 50 },
  producesPopulation: true,
  needsPopulation: false,
  outlets: () => ['out'],
  retry: DEFAULT_RETRY,
  check(o, ctx): Issue[] {
    if (o.primary !== undefined && !ctx.inputs.includes(o.primary))
      return [
        { path: ['primary'], code: 'CAMPAIGN_UNKNOWN_INPUT', message: `"${o.primary}" is not an input` },
      ]
    return []
  },
  execute: async (ctx) => ({ out: primaryInput(ctx.inputs, ctx.options.primary).table }),
})

const Duration = z
  .object({
    days: z.number().int().min(0).max(36_600).default(0),
    hours: z.number().int().min(0).default(0),
    minutes: z.number().int().min(0).default(0),
    seconds: z.number().min(0).default(0),
  })
  .strict()

/** Wait: holds the population for a duration (from when the run reached it) or until a fixed time. */
export const wait = defineActivity({
  type: 'wait',
  options: z
    .object({ duration: Duration.optional(), until: z.iso.datetime({ offset: true }).optional() })
    .strict()
    .refine((o) => (o.duration === undefined) !== (o.until === undefined), {
      message: 'give duration or until',
    }),
  inputs: { min: 1, max: 1 },
  producesPopulation: true,
  needsPopulation: false,
  outlets: () => ['out'],
  retry: DEFAULT_RETRY,
  dueAt(o, reachedAt) {
    if (o.until !== undefined) return new Date(o.until)
    const d = o.duration!
    return new Date(
      reachedAt.getTime() + ((d.days * 24 + d.hours) * 60 + d.minutes) * 60_000 + d.seconds * 1000,
    )
  },
  execute: async (ctx) => ({ out: ctx.inputs[0]?.table ?? null }),
})

/** End: marks the end of a branch. */
export const end = defineActivity({
  type: 'end',
  options: z.object({}).strict(),
  inputs: { min: 1, max: 50 },
  producesPopulation: false,
  needsPopulation: false,
  outlets: () => [],
  retry: DEFAULT_RETRY,
  execute: async () => ({}),
})
