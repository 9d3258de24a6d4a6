import dagre from '@dagrejs/dagre'
import { ACTIVITY_INFO, type ActivityType, isActivityType } from './activity-catalog'

/**
 * The campaign canvas as plain data, apart from React: activities with a position, transitions
 * leaving a named outlet, and the rest of the definition kept as it came. Every edit is a pure
 * function from a state to the next one, so undo/redo is a list of states and a definition saved
 * from the canvas is exactly the JSON the CLI reads (positions are not part of a definition: the
 * canvas lays a definition out when it opens it, ADR 0019).
 */

export interface Position {
  x: number
  y: number
}

/** An activity of the definition (`id`, `type`, `label`, `options`, `onError`) with where it is drawn. */
export interface CanvasActivity {
  id: string
  type: ActivityType
  label?: string
  options: Record<string, unknown>
  onError?: 'suspend' | 'ignore' | 'abort'
  position: Position
  /** The definition had no `options` key (saved without one while they stay empty). */
  bare?: true
}

/** A transition of the definition. */
export interface CanvasTransition {
  id: string
  from: string
  to: string
  output?: string
  label?: string
}

export interface CanvasState {
  activities: CanvasActivity[]
  transitions: CanvasTransition[]
  /** Every other key of the definition (label, description, settings), kept as it came. */
  rest: Record<string, unknown>
  /** Order of the definition's keys as it came (saved in the same order). */
  order?: string[]
}

/** A campaign definition as JSON (docs/campaigns.md); the engine checks it, the canvas only draws it. */
export interface DefinitionJson {
  label: string
  activities: Record<string, unknown>[]
  transitions?: Record<string, unknown>[]
  [key: string]: unknown
}

export const NODE_WIDTH = 180
export const NODE_HEIGHT = 64

const ACTIVITY_KEYS = new Set(['id', 'type', 'label', 'options', 'onError'])
const TRANSITION_KEYS = new Set(['id', 'from', 'to', 'output', 'label'])

/** A definition as canvas state, laid out automatically. Throws on a shape the canvas cannot draw. */
export function fromDefinition(definition: DefinitionJson): CanvasState {
  if (!Array.isArray(definition.activities)) throw new Error('The definition has no "activities" list')
  const { activities, transitions, ...rest } = definition
  const state: CanvasState = {
    activities: activities.map((a, i) => {
      for (const k of Object.keys(a))
        if (!ACTIVITY_KEYS.has(k)) throw new Error(`Activity ${i} has an unknown key "${k}"`)
      if (typeof a.id !== 'string' || typeof a.type !== 'string' || !isActivityType(a.type))
        throw new Error(`Activity ${i} has no id or an unknown type`)
      const act: CanvasActivity = {
        id: a.id,
        type: a.type,
        options: (a.options as Record<string, unknown> | undefined) ?? {},
        position: { x: 0, y: 0 },
      }
      if (typeof a.label === 'string') act.label = a.label
      if (a.onError !== undefined) act.onError = a.onError as CanvasActivity['onError']
      if (!Object.hasOwn(a, 'options')) act.bare = true
      return act
    }),
    transitions: (transitions ?? []).map((t, i) => {
      for (const k of Object.keys(t))
        if (!TRANSITION_KEYS.has(k)) throw new Error(`Transition ${i} has an unknown key "${k}"`)
      const tr: CanvasTransition = { id: String(t.id), from: String(t.from), to: String(t.to) }
      if (typeof t.output === 'string') tr.output = t.output
      if (typeof t.label === 'string') tr.label = t.label
      return tr
    }),
    rest,
    order: Object.keys(definition),
  }
  return autoLayout(state)
}

/** The definition the canvas holds: the JSON the CLI and the API read (same keys, same order). */
export function toDefinition(state: CanvasState): DefinitionJson {
  const activities = state.activities.map((a) => {
    const out: Record<string, unknown> = { id: a.id, type: a.type }
    if (a.label !== undefined) out.label = a.label
    if (!(a.bare && Object.keys(a.options).length === 0)) out.options = a.options
    if (a.onError !== undefined) out.onError = a.onError
    return out
  })
  const transitions = state.transitions.map((t) => {
    const out: Record<string, unknown> = { id: t.id, from: t.from, to: t.to }
    if (t.output !== undefined) out.output = t.output
    if (t.label !== undefined) out.label = t.label
    return out
  })
  const all: Record<string, unknown> = { ...state.rest, activities, transitions }
  const order = [...(state.order ?? []), ...Object.keys(all)]
  return Object.fromEntries(
    [...new Set(order)].filter((k) => Object.hasOwn(all, k)).map((k) => [k, all[k]]),
  ) as DefinitionJson
}

/** An empty campaign of a dimension. */
export function emptyCanvas(label = 'New campaign', dimension = 'profiles'): CanvasState {
  return { activities: [], transitions: [], rest: { label, settings: { dimension } } }
}

/** The first id `base`, `base_2`, `base_3`... not taken (ids: lower-case letters, digits and _, at most 40). */
export function freshId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken)
  const clean =
    base
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_')
      .replace(/^[^a-z]+/, '')
      .slice(0, 34) || 'a'
  if (!used.has(clean)) return clean
  for (let n = 2; ; n++) if (!used.has(`${clean}_${n}`)) return `${clean}_${n}`
}

/** The first `t1`, `t2`... not taken (transition ids). */
export function freshTransitionId(taken: Iterable<string>): string {
  const used = new Set(taken)
  for (let n = 1; ; n++) if (!used.has(`t${n}`)) return `t${n}`
}

/** Places a new activity of a type; returns the state and its id. */
export function addActivity(
  state: CanvasState,
  type: ActivityType,
  position: Position,
): { state: CanvasState; id: string } {
  const id = freshId(
    type,
    state.activities.map((a) => a.id),
  )
  const activity: CanvasActivity = { id, type, options: ACTIVITY_INFO[type].initialOptions(), position }
  return { state: { ...state, activities: [...state.activities, activity] }, id }
}

/** Outlets of an activity given its current options. */
export function outletsOf(activity: Pick<CanvasActivity, 'type' | 'options'>): string[] {
  return ACTIVITY_INFO[activity.type].outlets(activity.options)
}

/** Why a connection cannot be made, or null when it can. */
export function connectionProblem(
  state: CanvasState,
  from: string,
  outlet: string,
  to: string,
): string | null {
  const source = state.activities.find((a) => a.id === from)
  const target = state.activities.find((a) => a.id === to)
  if (!source || !target) return 'No such activity'
  if (from === to) return 'An activity cannot lead to itself'
  if (!outletsOf(source).includes(outlet)) return `${source.id} has no outlet "${outlet}"`
  const incoming = state.transitions.filter((t) => t.to === to).length
  if (incoming >= ACTIVITY_INFO[target.type].inputs.max)
    return `${target.id} takes at most ${ACTIVITY_INFO[target.type].inputs.max} input(s)`
  if (state.transitions.some((t) => t.from === from && (t.output ?? 'out') === outlet && t.to === to))
    return 'These are already connected'
  if (reaches(state, to, from)) return 'The transition would close a cycle'
  return null
}

function reaches(state: CanvasState, start: string, goal: string): boolean {
  const seen = new Set<string>()
  const stack = [start]
  while (stack.length > 0) {
    const id = stack.pop()!
    if (id === goal) return true
    if (seen.has(id)) continue
    seen.add(id)
    for (const t of state.transitions) if (t.from === id) stack.push(t.to)
  }
  return false
}

/** Connects an outlet to an activity's input; throws with the reason when it cannot. */
export function connect(
  state: CanvasState,
  from: string,
  outlet: string,
  to: string,
): { state: CanvasState; id: string } {
  const problem = connectionProblem(state, from, outlet, to)
  if (problem) throw new Error(problem)
  const id = freshTransitionId(state.transitions.map((t) => t.id))
  const transition: CanvasTransition = { id, from, to }
  if (outlet !== 'out') transition.output = outlet
  return { state: { ...state, transitions: [...state.transitions, transition] }, id }
}

/** Removes activities (with their transitions) and transitions. */
export function remove(
  state: CanvasState,
  ids: { activities?: string[]; transitions?: string[] },
): CanvasState {
  const acts = new Set(ids.activities ?? [])
  const trs = new Set(ids.transitions ?? [])
  return {
    ...state,
    activities: state.activities.filter((a) => !acts.has(a.id)),
    transitions: state.transitions.filter((t) => !trs.has(t.id) && !acts.has(t.from) && !acts.has(t.to)),
  }
}

/** Moves activities to new positions. */
export function move(state: CanvasState, positions: Record<string, Position>): CanvasState {
  return {
    ...state,
    activities: state.activities.map((a) => (positions[a.id] ? { ...a, position: positions[a.id]! } : a)),
  }
}

/** Replaces an activity's options, label or error management. */
export function updateActivity(
  state: CanvasState,
  id: string,
  patch: Partial<Pick<CanvasActivity, 'options' | 'label' | 'onError'>>,
): CanvasState {
  return {
    ...state,
    activities: state.activities.map((a) => {
      if (a.id !== id) return a
      const next = { ...a, ...patch }
      for (const k of ['label', 'onError'] as const)
        if (next[k] === undefined || next[k] === '') delete next[k]
      return next
    }),
  }
}

/** What copy takes: the chosen activities and the transitions between them. */
export interface Clipboard {
  activities: CanvasActivity[]
  transitions: CanvasTransition[]
}

export function copy(state: CanvasState, ids: string[]): Clipboard {
  const chosen = new Set(ids)
  return structuredClone({
    activities: state.activities.filter((a) => chosen.has(a.id)),
    transitions: state.transitions.filter((t) => chosen.has(t.from) && chosen.has(t.to)),
  })
}

/** Pastes a copy with fresh ids, shifted by `offset`; returns the state and the new activity ids. */
export function paste(
  state: CanvasState,
  clip: Clipboard,
  offset: Position = { x: 40, y: 40 },
): { state: CanvasState; ids: string[] } {
  const taken = state.activities.map((a) => a.id)
  const rename = new Map<string, string>()
  const activities = clip.activities.map((a) => {
    const id = freshId(a.id.replace(/_\d+$/, ''), taken)
    taken.push(id)
    rename.set(a.id, id)
    return {
      ...structuredClone(a),
      id,
      position: { x: a.position.x + offset.x, y: a.position.y + offset.y },
    }
  })
  const trTaken = state.transitions.map((t) => t.id)
  const transitions = clip.transitions.map((t) => {
    const id = freshTransitionId(trTaken)
    trTaken.push(id)
    return { ...t, id, from: rename.get(t.from)!, to: rename.get(t.to)! }
  })
  return {
    state: {
      ...state,
      activities: [...state.activities, ...activities],
      transitions: [...state.transitions, ...transitions],
    },
    ids: activities.map((a) => a.id),
  }
}

/** Lays the graph out left to right (dagre), outlets in their order. */
export function autoLayout(state: CanvasState): CanvasState {
  const g = new dagre.graphlib.Graph({ multigraph: true })
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const a of state.activities) g.setNode(a.id, { width: NODE_WIDTH, height: NODE_HEIGHT })
  for (const t of state.transitions)
    if (g.hasNode(t.from) && g.hasNode(t.to)) g.setEdge(t.from, t.to, {}, t.id)
  dagre.layout(g)
  return move(
    state,
    Object.fromEntries(
      state.activities.map((a) => {
        const n = g.node(a.id)
        return [a.id, { x: Math.round(n.x - NODE_WIDTH / 2), y: Math.round(n.y - NODE_HEIGHT / 2) }]
      }),
    ),
  )
}

/**
 * The dimension of the population on each transition, as far as the canvas can tell: the
 * campaign's, changed by Change dimension and Reconciliation (`unreconciled` carries raw rows,
 * shown as `rows`). The engine's validation is the authority; this is what the canvas labels.
 */
export function transitionDimensions(state: CanvasState): Record<string, string> {
  const settings = (state.rest.settings ?? {}) as { dimension?: string }
  const base = settings.dimension ?? 'profiles'
  const byId = new Map(state.activities.map((a) => [a.id, a]))
  const memo = new Map<string, string>()
  const activityDim = (id: string, seen: Set<string>): string => {
    if (memo.has(id)) return memo.get(id)!
    const a = byId.get(id)
    let dim = base
    if (a && !seen.has(id)) {
      seen.add(id)
      const incoming = state.transitions.filter((t) => t.to === id)
      const input = incoming[0] ? edgeDim(incoming[0], seen) : base
      const target = typeof a.options.dimension === 'string' ? a.options.dimension : undefined
      if (a.type === 'change_dimension' || a.type === 'reconciliation') dim = target ?? input
      else if (a.type === 'build_audience' || a.type === 'scheduler' || a.type === 'signal') dim = base
      else dim = input
    }
    memo.set(id, dim)
    return dim
  }
  const edgeDim = (t: CanvasTransition, seen: Set<string>): string =>
    t.output === 'unreconciled' ? 'rows' : activityDim(t.from, seen)
  return Object.fromEntries(state.transitions.map((t) => [t.id, edgeDim(t, new Set())]))
}

/** Undo/redo over canvas states: `apply` records, `undo`/`redo` move in the list. */
export interface History {
  past: CanvasState[]
  present: CanvasState
  future: CanvasState[]
}

const HISTORY_LIMIT = 200

export function startHistory(state: CanvasState): History {
  return { past: [], present: state, future: [] }
}

export function record(h: History, next: CanvasState): History {
  if (next === h.present) return h
  return { past: [...h.past, h.present].slice(-HISTORY_LIMIT), present: next, future: [] }
}

export function undo(h: History): History {
  const prev = h.past.at(-1)
  if (!prev) return h
  return { past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future] }
}

export function redo(h: History): History {
  const next = h.future[0]
  if (!next) return h
  return { past: [...h.past, h.present], present: next, future: h.future.slice(1) }
}
