import { z } from 'zod'
import { checkSchedule, ScheduleConfig } from '../schedule'
import { DEFAULT_RETRY, defineActivity } from './types'

/** Scheduler: the first activity; a start marker carrying no population. */
export const scheduler = defineActivity({
  type: 'scheduler',
  options: z
    .object({
      schedule: ScheduleConfig,
      validFrom: z.iso.datetime({ offset: true }).optional(),
      validUntil: z.iso.datetime({ offset: true }).optional(),
    })
    .strict(),
  inputs: { min: 0, max: 0 },
  producesPopulation: false,
  needsPopulation: false,
  outlets: () => ['out'],
  retry: DEFAULT_RETRY,
  // The zone is checked once, on the campaign's settings.
  check: (o, ctx) =>
    checkSchedule({
      config: o.schedule,
      timeZone: ctx.timeZone,
      validFrom: o.validFrom,
      validUntil: o.validUntil,
    }).filter((i) => i.path[0] !== 'timeZone'),
  execute: async () => ({ out: null }),
})
