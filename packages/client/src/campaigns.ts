import type {
  Campaign,
  CampaignDefinitionInput,
  CampaignRun,
  RunEvent,
  RunMode,
  TransitionPreview,
} from '@ahub/core'

export type { Campaign, CampaignDefinitionInput, CampaignRun, RunEvent, RunMode, TransitionPreview }

/** One problem of a campaign definition, with its path and code (docs/campaigns.md). */
export interface CampaignIssue {
  path: (string | number)[]
  code: string
  message: string
}

/** A campaign with the next launches of its Scheduler. */
export interface CampaignDetail {
  campaign: Campaign
  nextLaunches: string[]
}

/** How to start a run: live or test, a breakpoint, and the values of the campaign's parameters. */
export interface StartRunInput {
  mode?: RunMode
  breakpoint?: string
  parameters?: Record<string, string | number | boolean>
}

/** A Signal: the values of the parameters its Signal activity declares. */
export interface SignalInput {
  parameters?: Record<string, string | number | boolean>
  mode?: RunMode
}
