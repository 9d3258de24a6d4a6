import type { ActivityDef, ActivityType, Capability, ErrorCode, Issue, RunMode, TableDef } from '@ahub/core'
import type { CompileContext } from '@ahub/query'
import type { Session } from '@ahub/store'
import type { z } from 'zod'
import type { AudienceSink } from '../audience-sink'
import type { ChannelSender } from './channel'
import type { AudienceSharer } from './share'

/** How an activity is retried after a transient error, as data the interpreter reads. */
export interface RetryPolicy {
  maxAttempts: number
  initialDelayMs: number
  backoffFactor: number
  maxDelayMs: number
  /** Error codes that count as transient. */
  retryOn: ErrorCode[]
}

/** The default policy: two more tries on a busy audience or an engine hiccup. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 3,
  initialDelayMs: 200,
  backoffFactor: 4,
  maxDelayMs: 30_000,
  retryOn: ['AUDIENCE_BUSY'],
}

/** One incoming population: the transition and its work table (null for a start marker). */
export interface InputTable {
  transition: string
  table: string | null
}

/** What an activity gets to run: its inputs, where to write, and the org's compile context. */
export interface ExecuteContext<O> {
  session: Session
  org: string
  /** The campaign's id. */
  campaign: string
  runId: string
  mode: RunMode
  activity: ActivityDef
  options: O
  inputs: InputTable[]
  /** Compile context on the campaign's dimension (with the org's audiences). */
  compile: CompileContext
  dimension: TableDef
  /** Primary-key columns of the dimension: the member keys of every work table. */
  keys: string[]
  /** Dimension of the incoming population (`null`: raw rows; undefined: none). */
  inputDimension: string | null | undefined
  /** Key columns of the incoming population (empty for raw rows). */
  inputKeys: string[]
  /** Organisation data folder for files an activity writes (Export file). */
  dataDir: string | undefined
  /** Qualified name of the work table of an outlet. */
  outTable(outlet: string): string
  /** Column names of a work table. */
  columns(table: string): Promise<string[]>
  audiences: AudienceSink
  /** Run creation time: the "as of" of rules and the timestamp of "create new" labels. */
  runAt: Date
  /** The hub link for Save audience's "share" (undefined when this process has none). */
  sharer: AudienceSharer | undefined
  /** Message delivery of Channel activities (undefined: a live run fails with CAMPAIGN_CHANNEL_UNAVAILABLE). */
  sender?: ChannelSender | undefined
  /** Writes a line to the run's log, under this activity. */
  log(level: 'info' | 'warn', message: string): Promise<void>
}

/** Outlet name to the work table it carries (an input's table may be passed through); absent = not emitted. */
export type ActivityOutputs = Record<string, string | null>

/** Everything the validator can check about an activity's options without running it. */
export interface CheckContext {
  compile: CompileContext
  dimension: string
  tables: Record<string, TableDef>
  audiences: Map<string, { dimension: string | null; type: string }>
  /** Transition ids entering this activity. */
  inputs: string[]
  timeZone: string
  /** Columns that activities of the campaign add to work tables (usable as dedup fields). */
  addedColumns: Set<string>
  /** Dimension of the incoming population (`null`: raw rows; undefined: none arrives). */
  inputDimension: string | null | undefined
}

/** One activity type: its options schema, graph rules, retry policy and effect. */
export interface ActivityModule<S extends z.ZodType = z.ZodType> {
  type: ActivityType
  options: S
  /** Allowed number of incoming transitions. */
  inputs: { min: number; max: number }
  /** Whether it produces a population (false: a start marker such as Scheduler). */
  producesPopulation: boolean
  /** Whether it needs a population on its inputs (false: it can follow a start marker). */
  needsPopulation: boolean
  /** Outlets it may emit, given its options. */
  outlets(options: z.infer<S>): string[]
  retry: RetryPolicy
  /** Extra checks against the schema (rule fields, expressions, audiences); paths are relative to `options`. */
  check?(options: z.infer<S>, ctx: CheckContext): Issue[] | Promise<Issue[]>
  /** Dimension of what it emits when not the input's (Build / Read audience, Change dimension, Reconciliation). */
  outputDimension?(
    options: z.infer<S>,
    input: string | null | undefined,
    env: { campaign: string; audiences: Map<string, { dimension: string | null }> },
  ): string | null
  /** Accepts raw rows (not yet members of a dimension) on its inputs. */
  acceptsRaw?: boolean
  /** Outlets carrying raw rows whatever the activity's dimension (Reconciliation's `unreconciled`). */
  rawOutlets?: string[]
  /** Sends messages: test mode pauses before it (docs/campaigns.md); see channel.ts for the contract. */
  channel?: boolean
  /**
   * Capabilities its live effect needs from whoever answers for the run (`share` to publish to the
   * hub, `send` to deliver messages). Checked when a campaign is published, started or resumed, and
   * again just before the activity runs (docs/security.md). Without the hook a channel activity
   * needs `send` and any other activity nothing. Gets the parsed options, or the raw ones when
   * unbound parameters keep them from parsing: read only their shape.
   */
  capabilities?(options: z.infer<S>): Capability[]
  /** When the activity may run, given when it was first reached (Wait). */
  dueAt?(options: z.infer<S>, reachedAt: Date, timeZone: string): Date
  execute(ctx: ExecuteContext<z.infer<S>>): Promise<ActivityOutputs>
}

/** Defines an activity module with its option types inferred. */
export function defineActivity<S extends z.ZodType>(m: ActivityModule<S>): ActivityModule<S> {
  return m
}
