import type { CampaignDefinition, TaskStatus } from '@ahub/core'

/** What the interpreter reads of a task: its status, outlets emitted and earliest next attempt. */
export interface TaskView {
  status: TaskStatus
  /** Outlets the activity emitted (present only once done). */
  outlets: string[]
  notBefore: Date | null
}

/** The next step of a run, decided from its stored state alone. */
export interface Decision {
  /** Activities to run now, in definition order. */
  ready: string[]
  /** Activities that can never run (an input will never carry anything): mark them skipped. */
  skip: string[]
  /** When nothing is ready: the earliest time something will be (a Wait, a retry back-off). */
  wakeAt: Date | null
  /** Every task is settled: the run is complete. */
  finished: boolean
}

type Arrival = 'arrived' | 'dead' | 'pending'

/**
 * Decides what a run does next (the deterministic middle of STYLE.md's split): a transition has
 * arrived when its source is done and emitted its outlet, is dead when the source finished without
 * it (empty Build audience, skipped split subset, ignored error, skipped source); an activity is
 * ready when every input has arrived, and skipped when an input is dead and none is pending.
 */
export function decide(def: CampaignDefinition, tasks: Map<string, TaskView>, now: Date): Decision {
  const arrival = (from: string, outlet: string): Arrival => {
    const t = tasks.get(from)
    if (!t) return 'dead'
    if (t.status === 'done') return t.outlets.includes(outlet) ? 'arrived' : 'dead'
    if (t.status === 'skipped' || t.status === 'ignored') return 'dead'
    return 'pending'
  }
  const ready: string[] = []
  const skip: string[] = []
  let wakeAt: number | null = null
  let open = 0
  for (const a of def.activities) {
    const t = tasks.get(a.id)
    if (!t || t.status === 'done' || t.status === 'skipped' || t.status === 'ignored') continue
    open++
    if (t.status !== 'pending' && t.status !== 'waiting') continue
    const ins = def.transitions.filter((x) => x.to === a.id).map((x) => arrival(x.from, x.output ?? 'out'))
    if (ins.includes('pending')) continue
    if (ins.includes('dead')) {
      skip.push(a.id)
      continue
    }
    if (t.notBefore !== null && t.notBefore.getTime() > now.getTime()) {
      wakeAt = Math.min(wakeAt ?? Infinity, t.notBefore.getTime())
      continue
    }
    ready.push(a.id)
  }
  return { ready, skip, wakeAt: wakeAt === null ? null : new Date(wakeAt), finished: open === 0 }
}

/** Back-off before attempt `attempt + 1`: `initial * factor^(attempt-1)`, capped. */
export function backoffMs(
  policy: { initialDelayMs: number; backoffFactor: number; maxDelayMs: number },
  attempt: number,
): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.backoffFactor ** Math.max(0, attempt - 1))
}
