import {
  type ActivityDef,
  CampaignDefinition,
  type Issue,
  MAX_CAMPAIGN_ACTIVITIES,
  type TableDef,
} from '@ahub/core'
import { type CompileContext, checkJsonDepth } from '@ahub/query'
import { ACTIVITIES, enrichmentAdded } from './activities'
import { flowDimensions, inputDimension, transitionDimension } from './dimensions'
import { bindParameters, declaredParameters, placeholderValues } from './parameters'
import { checkTimeZone } from './schedule'

/** What validation needs to know about the org: its tables, audiences and a compile context. */
export interface ValidationEnv {
  tables: Record<string, TableDef>
  audiences: Map<string, { dimension: string | null; type: string }>
  /** Compile context of the org (its dimension is replaced by the campaign's). */
  compile: CompileContext
}

export interface ValidationResult {
  /** The parsed definition, when its shape is valid (graph issues may remain). */
  definition?: CampaignDefinition
  issues: Issue[]
}

/**
 * Checks a campaign definition and lists every issue with its path and code: shape, options of
 * each activity, unknown references, cycles, unconnected inputs, activities that cannot follow
 * their predecessor, Scheduler not first, wrong dimension, unknown fields (through the rule and
 * expression validators), more than 500 activities.
 */
export async function validateCampaign(input: unknown, env: ValidationEnv): Promise<ValidationResult> {
  // Depth and size first, without recursion: the rules and options a definition embeds are walked
  // recursively further on (parameter binding, zod, storing it as JSON).
  const bounds = checkJsonDepth(input)
  if (bounds.length > 0) return { issues: bounds }
  const parsed = CampaignDefinition.safeParse(input)
  if (!parsed.success)
    return {
      issues: parsed.error.issues.map((i) => ({
        path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        code: 'CAMPAIGN_MALFORMED',
        message: i.message,
      })),
    }
  const def = parsed.data
  const issues: Issue[] = []
  const { activities, transitions, settings } = def
  if (activities.length > MAX_CAMPAIGN_ACTIVITIES)
    issues.push({
      path: ['activities'],
      code: 'CAMPAIGN_TOO_MANY_ACTIVITIES',
      message: `A campaign has at most ${MAX_CAMPAIGN_ACTIVITIES} activities, not ${activities.length}`,
    })
  const dimensionOk = env.tables[settings.dimension] !== undefined
  if (!dimensionOk)
    issues.push({
      path: ['settings', 'dimension'],
      code: 'CAMPAIGN_WRONG_DIMENSION',
      message: `No table "${settings.dimension}" to target`,
    })
  issues.push(...checkTimeZone(settings.timeZone, ['settings', 'timeZone']))
  const byId = new Map<string, { def: ActivityDef; index: number }>()
  const seen = new Set<string>()
  activities.forEach((a, index) => {
    if (seen.has(a.id))
      issues.push({
        path: ['activities', index, 'id'],
        code: 'CAMPAIGN_DUPLICATE_ID',
        message: `Id "${a.id}" is used twice`,
      })
    seen.add(a.id)
    if (!byId.has(a.id)) byId.set(a.id, { def: a, index })
  })
  const incoming = new Map<string, number[]>()
  const outgoing = new Map<string, number[]>()
  transitions.forEach((t, i) => {
    if (seen.has(t.id))
      issues.push({
        path: ['transitions', i, 'id'],
        code: 'CAMPAIGN_DUPLICATE_ID',
        message: `Id "${t.id}" is used twice`,
      })
    seen.add(t.id)
    for (const end of ['from', 'to'] as const)
      if (!byId.has(t[end]))
        issues.push({
          path: ['transitions', i, end],
          code: 'CAMPAIGN_UNKNOWN_ACTIVITY',
          message: `No activity "${t[end]}"`,
        })
    if (byId.has(t.from) && byId.has(t.to)) {
      outgoing.set(t.from, [...(outgoing.get(t.from) ?? []), i])
      incoming.set(t.to, [...(incoming.get(t.to) ?? []), i])
    }
  })

  // Parameters of the Signal: a typed sample value stands for each while options are checked.
  const decls = declaredParameters(activities)
  const signals = activities.filter((a) => a.type === 'signal')
  if (signals.length > 1)
    issues.push({
      path: ['activities', activities.indexOf(signals[1]!)],
      code: 'CAMPAIGN_DUPLICATE_SIGNAL',
      message: 'A campaign has at most one Signal activity',
    })
  const samples = placeholderValues(decls)
  const types = new Map(decls.map((d) => [d.name, d.type]))

  // Options of every activity, parameters bound, parsed by its module.
  const options = new Map<string, unknown>()
  activities.forEach((a, index) => {
    // Options are walked recursively below (parameters, schemas, rules): bound their depth first.
    if (deeperThan(a.options, MAX_OPTION_DEPTH)) {
      issues.push({
        path: ['activities', index, 'options'],
        code: 'RULE_TOO_DEEP',
        message: `The options nest deeper than ${MAX_OPTION_DEPTH} levels`,
      })
      return
    }
    const bound = bindParameters(a.options, samples, types)
    for (const i of bound.issues) issues.push({ ...i, path: ['activities', index, 'options', ...i.path] })
    const parsedOptions = ACTIVITIES[a.type].options.safeParse(bound.value)
    if (parsedOptions.success) options.set(a.id, parsedOptions.data)
    else
      for (const i of parsedOptions.error.issues)
        issues.push({
          path: [
            'activities',
            index,
            'options',
            ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
          ],
          code: 'CAMPAIGN_BAD_OPTIONS',
          message: i.message,
        })
  })

  // Inputs, outlets and what may follow what.
  for (const [id, { def: a, index }] of byId) {
    const m = ACTIVITIES[a.type]
    const ins = incoming.get(id) ?? []
    if ((a.type === 'scheduler' || a.type === 'signal') && ins.length > 0)
      issues.push({
        path: ['activities', index],
        code: 'CAMPAIGN_SCHEDULER_NOT_FIRST',
        message: `A ${a.type === 'signal' ? 'Signal' : 'Scheduler'} starts the campaign: nothing may lead into it`,
      })
    else if (ins.length < m.inputs.min)
      issues.push({
        path: ['activities', index],
        code: 'CAMPAIGN_UNCONNECTED_INPUT',
        message: `${a.type} "${id}" needs ${m.inputs.min === 1 ? 'an incoming transition' : `at least ${m.inputs.min} incoming transitions`}`,
      })
    else if (ins.length > m.inputs.max)
      issues.push({
        path: ['activities', index],
        code: 'CAMPAIGN_BAD_PREDECESSOR',
        message: `${a.type} "${id}" takes at most ${m.inputs.max} incoming transition(s), not ${ins.length}`,
      })
    const o = options.get(id)
    if (o === undefined) continue
    const outlets = m.outlets(o)
    for (const ti of outgoing.get(id) ?? []) {
      const outlet = transitions[ti]!.output ?? 'out'
      if (outlets.length === 0)
        issues.push({
          path: ['transitions', ti, 'from'],
          code: 'CAMPAIGN_BAD_PREDECESSOR',
          message: `Nothing can follow ${a.type} "${id}"`,
        })
      else if (!outlets.includes(outlet))
        issues.push({
          path: ['transitions', ti, 'output'],
          code: 'CAMPAIGN_UNKNOWN_OUTPUT',
          message: `${a.type} "${id}" has no outlet "${outlet}" (it has ${outlets.join(', ')})`,
        })
    }
  }

  // Cycles (Kahn): what cannot be ordered lies on or after a cycle.
  const order = topoOrder(
    [...byId.keys()],
    transitions.filter((t) => byId.has(t.from) && byId.has(t.to)),
  )
  if (order.length < byId.size) {
    const left = new Set([...byId.keys()].filter((k) => !order.includes(k)))
    transitions.forEach((t, i) => {
      if (left.has(t.from) && left.has(t.to) && reaches(t.to, t.from, transitions))
        issues.push({
          path: ['transitions', i],
          code: 'CAMPAIGN_CYCLE',
          message: `Transition "${t.id}" closes a cycle`,
        })
    })
  }

  // Which activities carry a population (a Scheduler carries only a start signal).
  const carries = new Map<string, boolean>()
  for (const id of order) {
    const a = byId.get(id)!.def
    const m = ACTIVITIES[a.type]
    const ins = (incoming.get(id) ?? []).map((i) => carries.get(transitions[i]!.from) ?? false)
    const passThrough = a.type === 'wait' || a.type === 'fork' || a.type === 'and_join'
    carries.set(id, passThrough ? ins.some(Boolean) : m.producesPopulation)
    if (m.needsPopulation || a.type === 'fork')
      (incoming.get(id) ?? []).forEach((ti) => {
        const from = transitions[ti]!.from
        if (carries.get(from) === false && a.type !== 'fork')
          issues.push({
            path: ['transitions', ti],
            code: 'CAMPAIGN_BAD_PREDECESSOR',
            message: `${a.type} "${id}" needs a population, and ${byId.get(from)!.def.type} "${from}" carries none`,
          })
      })
  }

  // Options against the schema: rule fields, expressions, audiences.
  if (dimensionOk) {
    const compile = { ...env.compile, tables: env.tables, dimension: settings.dimension }
    const added = new Set<string>(['segment_code'])
    for (const a of activities) {
      const o = options.get(a.id)
      if (a.type === 'enrichment' && o) for (const c of enrichmentAdded(o as never)) added.add(c)
      if (a.type === 'read_audience' && o)
        for (const c of (o as { attributes: string[] }).attributes) added.add(c)
    }
    const dims = flowDimensions(def, options, env.audiences)
    for (const [id, { def: a, index }] of byId) {
      const m = ACTIVITIES[a.type]
      const o = options.get(id)
      const inDim = inputDimension(def, id, dims)
      const arriving = new Set(
        transitions.filter((t) => t.to === id).map((t) => transitionDimension(def, t, dims)),
      )
      arriving.delete(undefined)
      const raw = m.needsPopulation && arriving.has(null) && !m.acceptsRaw
      if (raw)
        issues.push({
          path: ['activities', index],
          code: 'CAMPAIGN_WRONG_DIMENSION',
          message: `${a.type} "${id}" needs members of a dimension, not unreconciled rows (add a Reconciliation)`,
        })
      else if (arriving.size > 1)
        issues.push({
          path: ['activities', index],
          code: 'CAMPAIGN_WRONG_DIMENSION',
          message: `The inputs of ${a.type} "${id}" are of different dimensions (${[...arriving].map((d) => d ?? 'raw rows').join(', ')})`,
        })
      // Options of an activity fed raw rows cannot be checked against any dimension.
      if (o === undefined || !m.check || raw) continue
      const out = dims.get(id)
      const dimension =
        typeof out === 'string' && env.tables[out]
          ? out
          : typeof inDim === 'string' && env.tables[inDim]
            ? inDim
            : settings.dimension
      const found = await m.check(o, {
        compile: { ...compile, dimension },
        dimension,
        inputDimension: inDim,
        tables: env.tables,
        audiences: env.audiences,
        inputs: (incoming.get(id) ?? []).map((i) => transitions[i]!.id),
        timeZone: settings.timeZone,
        addedColumns: added,
      })
      for (const i of found) issues.push({ ...i, path: ['activities', index, 'options', ...i.path] })
    }
  }
  return { definition: def, issues }
}

/** Activity ids in an order where every transition goes forward; ids on a cycle are left out. */
export function topoOrder(ids: string[], transitions: { from: string; to: string }[]): string[] {
  const indegree = new Map(ids.map((id) => [id, 0]))
  for (const t of transitions) indegree.set(t.to, (indegree.get(t.to) ?? 0) + 1)
  const queue = ids.filter((id) => indegree.get(id) === 0)
  const out: string[] = []
  while (queue.length > 0) {
    const id = queue.shift()!
    out.push(id)
    for (const t of transitions)
      if (t.from === id) {
        const n = indegree.get(t.to)! - 1
        indegree.set(t.to, n)
        if (n === 0) queue.push(t.to)
      }
  }
  return out
}

function reaches(from: string, to: string, transitions: { from: string; to: string }[]): boolean {
  const seen = new Set<string>()
  const stack = [from]
  while (stack.length > 0) {
    const id = stack.pop()!
    if (id === to) return true
    if (seen.has(id)) continue
    seen.add(id)
    for (const t of transitions) if (t.from === id) stack.push(t.to)
  }
  return false
}

/**
 * JSON levels an activity's options may nest: well above what a rule within its limits needs (64
 * rule levels, two JSON levels each, plus the option's own), far below what overflows the stack.
 */
export const MAX_OPTION_DEPTH = 200

/** True when `value` nests objects and arrays deeper than `max`, found without recursion. */
export function deeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number]
    if (v === null || typeof v !== 'object') continue
    if (depth >= max) return true
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1])
  }
  return false
}
