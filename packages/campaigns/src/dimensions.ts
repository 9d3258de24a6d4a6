import type { CampaignDefinition } from '@ahub/core'
import { ACTIVITIES } from './activities'
import { topoOrder } from './validate'

/**
 * What each activity emits: rows of a dimension (its name), raw rows not yet reconciled (`null`,
 * e.g. the identifiers of a file audience), or no population at all (`undefined`: Scheduler,
 * Signal, End). Start markers aside, an activity inherits the dimension of its first input
 * unless its module says otherwise (Build and Read audience, Change dimension, Reconciliation).
 */
export function flowDimensions(
  def: CampaignDefinition,
  options: Map<string, unknown>,
  audiences: Map<string, { dimension: string | null }>,
): Map<string, string | null | undefined> {
  const out = new Map<string, string | null | undefined>()
  const byId = new Map(def.activities.map((a) => [a.id, a]))
  const order = topoOrder(
    [...byId.keys()],
    def.transitions.filter((t) => byId.has(t.from) && byId.has(t.to)),
  )
  for (const id of order) {
    const a = byId.get(id)!
    const m = ACTIVITIES[a.type]
    const input = inputDimension(def, id, out)
    if (!m.producesPopulation) {
      out.set(id, undefined)
      continue
    }
    const o = options.get(id)
    if (m.outputDimension && o !== undefined)
      out.set(id, m.outputDimension(o, input, { campaign: def.settings.dimension, audiences }))
    else out.set(id, input === undefined ? def.settings.dimension : input)
  }
  return out
}

/** The dimension on an activity's first incoming population (undefined: none arrives). */
export function inputDimension(
  def: CampaignDefinition,
  id: string,
  dims: Map<string, string | null | undefined>,
): string | null | undefined {
  for (const t of def.transitions.filter((x) => x.to === id)) {
    const d = transitionDimension(def, t, dims)
    if (d !== undefined) return d
  }
  return undefined
}

/** The dimension a transition carries: its source's, or raw rows from a raw outlet. */
export function transitionDimension(
  def: CampaignDefinition,
  t: { from: string; output?: string },
  dims: Map<string, string | null | undefined>,
): string | null | undefined {
  const from = def.activities.find((a) => a.id === t.from)
  const d = dims.get(t.from)
  if (d !== undefined && from && ACTIVITIES[from.type].rawOutlets?.includes(t.output ?? 'out')) return null
  return d
}
