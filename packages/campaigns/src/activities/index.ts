import type { ActivityType } from '@ahub/core'
import { buildAudience } from './build-audience'
import { combine } from './combine'
import { deduplication } from './deduplication'
import { enrichment } from './enrichment'
import { andJoin, end, fork, wait } from './flow'
import { readAudience } from './read-audience'
import { saveAudience } from './save-audience'
import { scheduler } from './scheduler'
import { split } from './split'
import type { ActivityModule } from './types'

/** Every activity type with its module. */
export const ACTIVITIES: Record<ActivityType, ActivityModule> = {
  scheduler,
  build_audience: buildAudience,
  read_audience: readAudience,
  combine,
  deduplication,
  enrichment,
  split,
  fork,
  and_join: andJoin,
  wait,
  save_audience: saveAudience,
  end,
} as unknown as Record<ActivityType, ActivityModule>

export { enrichmentColumns } from './enrichment'
export * from './types'
