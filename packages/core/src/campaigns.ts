import { z } from 'zod'
import { Principal } from './access'
import { ShareExportRequest } from './sharing'

/** Activity types of an orchestrated campaign (docs/campaigns.md). */
export const ActivityType = z.enum([
  'scheduler',
  'signal',
  'build_audience',
  'read_audience',
  'combine',
  'deduplication',
  'enrichment',
  'split',
  'reconciliation',
  'change_dimension',
  'export_file',
  'channel',
  'fork',
  'and_join',
  'wait',
  'save_audience',
  'end',
])
export type ActivityType = z.infer<typeof ActivityType>

/** What happens when an activity fails after its retries: suspend the run, ignore and continue, or abort. */
export const ErrorManagement = z.enum(['suspend', 'ignore', 'abort'])
export type ErrorManagement = z.infer<typeof ErrorManagement>

const NodeId = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _, at most 40')

/** One activity on the canvas; `options` are checked against the schema of its type. */
export const ActivityDef = z
  .object({
    id: NodeId,
    type: ActivityType,
    label: z.string().max(200).optional(),
    options: z.record(z.string(), z.unknown()).default({}),
    /** Overrides the campaign's error management for this activity. */
    onError: ErrorManagement.optional(),
  })
  .strict()
export type ActivityDef = z.infer<typeof ActivityDef>

/** An edge carrying a population; `output` names the source's outlet (default `out`; `complement`, a split subset code, ...). */
export const TransitionDef = z
  .object({
    id: NodeId,
    from: NodeId,
    to: NodeId,
    output: z.string().max(40).optional(),
    label: z.string().max(200).optional(),
  })
  .strict()
export type TransitionDef = z.infer<typeof TransitionDef>

export const CampaignSettings = z
  .object({
    /** Table the populations are rows of. */
    dimension: z.string().default('profiles'),
    errorManagement: ErrorManagement.default('suspend'),
    /** Keep work tables after the run (for inspection) instead of dropping them. */
    keepInterimResults: z.boolean().default(false),
    timeZone: z.string().default('UTC'),
    /** A run still going after this many minutes raises an alert (log and run), once. */
    maxDurationMinutes: z.number().positive().max(5_256_000).optional(),
  })
  .strict()
export type CampaignSettings = z.infer<typeof CampaignSettings>

/** Most activities a campaign may have. */
export const MAX_CAMPAIGN_ACTIVITIES = 500

/** A campaign definition as JSON (or YAML in files). */
export const CampaignDefinition = z
  .object({
    label: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    activities: z.array(ActivityDef),
    transitions: z.array(TransitionDef).default([]),
    settings: CampaignSettings.default({
      dimension: 'profiles',
      errorManagement: 'suspend',
      keepInterimResults: false,
      timeZone: 'UTC',
    }),
  })
  .strict()
export type CampaignDefinition = z.infer<typeof CampaignDefinition>
export type CampaignDefinitionInput = z.input<typeof CampaignDefinition>

/**
 * The "share" option of Save audience (docs/campaigns.md, docs/sharing.md): after each live save, the saved audience's
 * new version is exported to the hub. The same fields as an export request, without the audience
 * (the one the activity saves): the data source, the target (an existing shared audience of the
 * org, or a new one by name with the orgs it is shared with), `add` or `mirror`, and an optional
 * boolean consent field of the dimension.
 */
export const SaveAudienceShare = ShareExportRequest.omit({ audience: true })
export type SaveAudienceShare = z.infer<typeof SaveAudienceShare>

/** Lifecycle of a campaign as users see it: the stored status combined with its latest run. */
export const CampaignState = z.enum([
  'draft',
  'testing',
  'scheduled',
  'running',
  'paused',
  'stopped',
  'completed',
  'failed',
  'archived',
])
export type CampaignState = z.infer<typeof CampaignState>

/** Type of a campaign parameter (declared by a Signal activity). */
export const ParameterType = z.enum(['string', 'integer', 'number', 'boolean', 'date', 'timestamp'])
export type ParameterType = z.infer<typeof ParameterType>

/** A parameter value as sent with a signal: dates and timestamps are ISO text. */
export const ParameterValue = z.union([z.string().max(10_000), z.number(), z.boolean()])
export type ParameterValue = z.infer<typeof ParameterValue>

/** State of one run. */
export const RunState = z.enum(['running', 'paused', 'stopped', 'completed', 'failed'])
export type RunState = z.infer<typeof RunState>

/** A run either changes the outside world (`live`) or not (`test`: Save audience is simulated). */
export const RunMode = z.enum(['live', 'test'])
export type RunMode = z.infer<typeof RunMode>

export const Campaign = z.object({
  id: z.string(),
  org: z.string(),
  label: z.string(),
  status: z.enum(['draft', 'published', 'archived']),
  state: CampaignState,
  revision: z.number().int(),
  definition: CampaignDefinition,
  createdAt: z.string(),
  updatedAt: z.string(),
  lastRun: z.string().nullable(),
})
export type Campaign = z.infer<typeof Campaign>

/** Status of one activity in a run (its task). */
export const TaskStatus = z.enum(['pending', 'running', 'waiting', 'done', 'skipped', 'failed', 'ignored'])
export type TaskStatus = z.infer<typeof TaskStatus>

/** One outlet's work table and its count. */
export const WorkTableInfo = z.object({ table: z.string().nullable(), count: z.number().int() })

export const ActivityTask = z.object({
  activity: z.string(),
  type: ActivityType,
  status: TaskStatus,
  attempts: z.number().int(),
  notBefore: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  outputs: z.record(z.string(), WorkTableInfo),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
})
export type ActivityTask = z.infer<typeof ActivityTask>

export const CampaignRun = z.object({
  id: z.string(),
  campaign: z.string(),
  mode: RunMode,
  state: RunState,
  /** Activity the run stops before (a breakpoint), if any. */
  breakpoint: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  tasks: z.array(ActivityTask),
  /** Count of every transition that carries a population. */
  transitions: z.record(z.string(), z.number().int()),
  /** When the run outlived the campaign's maximum duration (its alert), if it did. */
  alertedAt: z.string().nullable(),
  /** Values of the campaign's parameters bound for this run (a Signal's, or their defaults). */
  parameters: z.record(z.string(), ParameterValue),
  /** Who started the run (or published the scheduled campaign that did), checked again at each effect. */
  startedBy: Principal.nullable(),
})
export type CampaignRun = z.infer<typeof CampaignRun>

/** One line of a run's log. */
export const RunEvent = z.object({
  seq: z.number().int(),
  at: z.string(),
  activity: z.string().nullable(),
  level: z.enum(['info', 'warn', 'alert', 'error']),
  message: z.string(),
  code: z.string().nullable(),
})
export type RunEvent = z.infer<typeof RunEvent>

/** Schema and first rows of a transition's work table. */
export const TransitionPreview = z.object({
  transition: z.string(),
  count: z.number().int(),
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.record(z.string(), z.unknown())),
})
export type TransitionPreview = z.infer<typeof TransitionPreview>
