import type { ActivityType } from '@ahub/core'
import { buildAudience } from './build-audience'
import { changeDimension } from './change-dimension'
import { channel } from './channel'
import { combine } from './combine'
import { deduplication } from './deduplication'
import { enrichment } from './enrichment'
import { exportFile } from './export-file'
import { andJoin, end, fork, wait } from './flow'
import { readAudience } from './read-audience'
import { reconciliation } from './reconciliation'
import { saveAudience } from './save-audience'
import { scheduler } from './scheduler'
import { signal } from './signal'
import { split } from './split'
import type { ActivityModule } from './types'

/** Every activity type with its module. */
export const ACTIVITIES: Record<ActivityType, ActivityModule> = {
  scheduler,
  signal,
  build_audience: buildAudience,
  read_audience: readAudience,
  combine,
  deduplication,
  enrichment,
  split,
  reconciliation,
  change_dimension: changeDimension,
  export_file: exportFile,
  channel,
  fork,
  and_join: andJoin,
  wait,
  save_audience: saveAudience,
  end,
} as unknown as Record<ActivityType, ActivityModule>

export type { ChannelMessage, ChannelReport, ChannelSender, ChannelTransport } from './channel'
export { enrichmentAdded, enrichmentColumns } from './enrichment'
export { exportFolder } from './export-file'
export * from './types'
