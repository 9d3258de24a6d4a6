/**
 * What the canvas knows about each activity type of the engine (docs/campaigns.md): its name in
 * the palette, its group, the options a newly placed one starts with, how many inputs it takes and
 * the outlets it has given its options. A test checks the list against the engine's own
 * (`ActivityType` of @ahub/core, `ACTIVITIES[type].outlets` of @ahub/campaigns), so an activity
 * added to the engine without a palette entry fails the web package's tests.
 */

export type ActivityType =
  | 'scheduler'
  | 'signal'
  | 'build_audience'
  | 'read_audience'
  | 'combine'
  | 'deduplication'
  | 'enrichment'
  | 'split'
  | 'reconciliation'
  | 'change_dimension'
  | 'export_file'
  | 'channel'
  | 'fork'
  | 'and_join'
  | 'wait'
  | 'save_audience'
  | 'end'

export type ActivityGroup = 'start' | 'targeting' | 'flow' | 'output'

export interface ActivityInfo {
  type: ActivityType
  title: string
  group: ActivityGroup
  /** Allowed number of incoming transitions. */
  inputs: { min: number; max: number }
  /** Options of a newly placed activity (the forms fill the rest; validation says what is missing). */
  initialOptions: () => Record<string, unknown>
  /** Outlets the activity may emit given its options (the engine's `outlets`). */
  outlets: (options: Record<string, unknown>) => string[]
}

const out = () => ['out']
const withComplement = (o: Record<string, unknown>) => (o.complement ? ['out', 'complement'] : ['out'])

export const ACTIVITY_INFO: Record<ActivityType, ActivityInfo> = {
  scheduler: {
    type: 'scheduler',
    title: 'Scheduler',
    group: 'start',
    inputs: { min: 0, max: 0 },
    initialOptions: () => ({ schedule: { kind: 'daily', times: ['09:00'] } }),
    outlets: out,
  },
  signal: {
    type: 'signal',
    title: 'Signal',
    group: 'start',
    inputs: { min: 0, max: 0 },
    initialOptions: () => ({ parameters: [] }),
    outlets: out,
  },
  build_audience: {
    type: 'build_audience',
    title: 'Build audience',
    group: 'targeting',
    inputs: { min: 0, max: 1 },
    initialOptions: () => ({}),
    outlets: out,
  },
  read_audience: {
    type: 'read_audience',
    title: 'Read audience',
    group: 'targeting',
    inputs: { min: 0, max: 1 },
    initialOptions: () => ({}),
    outlets: out,
  },
  combine: {
    type: 'combine',
    title: 'Combine',
    group: 'targeting',
    inputs: { min: 2, max: 50 },
    initialOptions: () => ({ operation: 'union' }),
    outlets: withComplement,
  },
  deduplication: {
    type: 'deduplication',
    title: 'Deduplication',
    group: 'targeting',
    inputs: { min: 1, max: 1 },
    initialOptions: () => ({ fields: [] }),
    outlets: withComplement,
  },
  enrichment: {
    type: 'enrichment',
    title: 'Enrichment',
    group: 'targeting',
    inputs: { min: 1, max: 10 },
    initialOptions: () => ({}),
    outlets: out,
  },
  split: {
    type: 'split',
    title: 'Split',
    group: 'targeting',
    inputs: { min: 1, max: 1 },
    initialOptions: () => ({ subsets: [{ code: 'subset_1' }], complement: true }),
    outlets: (o) => {
      const subsets = Array.isArray(o.subsets) ? (o.subsets as { code?: unknown }[]) : []
      const codes = o.oneTable
        ? ['out']
        : subsets.map((s) => s?.code).filter((c): c is string => typeof c === 'string' && c !== '')
      return [...codes, ...(o.complement ? ['complement'] : [])]
    },
  },
  reconciliation: {
    type: 'reconciliation',
    title: 'Reconciliation',
    group: 'targeting',
    inputs: { min: 1, max: 1 },
    initialOptions: () => ({ keepUnreconciled: true }),
    // The engine's default keeps unreconciled rows: an absent flag means true.
    outlets: (o) => (o.keepUnreconciled === false ? ['out'] : ['out', 'unreconciled']),
  },
  change_dimension: {
    type: 'change_dimension',
    title: 'Change dimension',
    group: 'targeting',
    inputs: { min: 1, max: 1 },
    initialOptions: () => ({}),
    outlets: out,
  },
  export_file: {
    type: 'export_file',
    title: 'Export file',
    group: 'output',
    inputs: { min: 1, max: 1 },
    initialOptions: () => ({ format: 'csv' }),
    outlets: out,
  },
  channel: {
    type: 'channel',
    title: 'Channel',
    group: 'output',
    inputs: { min: 1, max: 1 },
    initialOptions: () => ({ channel: 'email' }),
    outlets: out,
  },
  fork: {
    type: 'fork',
    title: 'Fork',
    group: 'flow',
    inputs: { min: 1, max: 1 },
    initialOptions: () => ({}),
    outlets: out,
  },
  and_join: {
    type: 'and_join',
    title: 'And-join',
    group: 'flow',
    inputs: { min: 2, max: 50 },
    initialOptions: () => ({}),
    outlets: out,
  },
  wait: {
    type: 'wait',
    title: 'Wait',
    group: 'flow',
    inputs: { min: 1, max: 1 },
    initialOptions: () => ({ duration: { hours: 1 } }),
    outlets: out,
  },
  save_audience: {
    type: 'save_audience',
    title: 'Save audience',
    group: 'output',
    inputs: { min: 1, max: 1 },
    initialOptions: () => ({ label: 'New audience', mode: 'create_or_update' }),
    outlets: (o) => (o.share ? ['out', 'exported', 'unmapped'] : ['out']),
  },
  end: {
    type: 'end',
    title: 'End',
    group: 'flow',
    inputs: { min: 1, max: 50 },
    initialOptions: () => ({}),
    outlets: () => [],
  },
}

export const ACTIVITY_TYPES = Object.keys(ACTIVITY_INFO) as ActivityType[]

export const GROUP_TITLES: Record<ActivityGroup, string> = {
  start: 'Start',
  targeting: 'Targeting',
  flow: 'Flow control',
  output: 'Output',
}

export function isActivityType(t: string): t is ActivityType {
  return Object.hasOwn(ACTIVITY_INFO, t)
}
