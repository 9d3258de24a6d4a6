export {
  ACTIVITIES,
  type ActivityModule,
  type ChannelMessage,
  type ChannelReport,
  type ChannelSender,
  type ChannelTransport,
  DEFAULT_RETRY,
  exportFolder,
  type RetryPolicy,
} from './activities'
export { type ActivityDescription, describeActivities } from './activities/catalog'
export type { AudienceSharer } from './activities/share'
export type { AudienceSink } from './audience-sink'
export {
  type Authority,
  activityCapabilities,
  type CapabilityNeed,
  type CommandCaller,
  neededCapabilities,
} from './authority'
export {
  CampaignService,
  MAX_PREVIEW_ROWS,
  type RunListener,
  type ScheduleTick,
  type StartOptions,
} from './campaign-service'
export { flowDimensions } from './dimensions'
export { backoffMs, type Decision, decide, type TaskView } from './interpreter'
export { migrateCampaigns } from './migrations'
export { ParameterDecl, resolveParameters } from './parameters'
export {
  checkSchedule,
  checkTimeZone,
  nextLaunches,
  parseCron,
  type Schedule,
  ScheduleConfig,
} from './schedule'
export { topoOrder, type ValidationEnv, type ValidationResult, validateCampaign } from './validate'
