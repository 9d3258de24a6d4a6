import { useEffect, useRef, useState } from 'react'
import { api, call } from '../../api/client'
import { createLiveCounter, type LiveCountState } from './live-counter'
import type { RuleNode } from './rule-model'

export interface CountInput {
  org: string
  rule: RuleNode
  dimension: string
  asOf?: string
}

export interface LiveCount extends LiveCountState {
  /** The count shown is the one of the input of this render (not of an edit before it). */
  settled: boolean
}

/**
 * How long the live count waits for edits to pause before it asks the server: short, since a new
 * request cancels the one still out (a count takes tens of ms on the engine; the wait is added to all).
 */
export const LIVE_COUNT_DELAY_MS = 50

/** The live count of a rule (debounced by `delayMs`, the previous request cancelled). */
export function useLiveCount(input: CountInput | null, delayMs = LIVE_COUNT_DELAY_MS): LiveCount {
  const key = input ? JSON.stringify(input) : null
  // The state with the input it belongs to: a render with a newer input is not settled yet,
  // even before the effect below has told the counter about it.
  const [state, setState] = useState<{ key: string | null; live: LiveCountState }>({
    key: null,
    live: { status: 'idle', result: null, error: null },
  })
  const latest = useRef<string | null>(null)
  const counter = useRef<ReturnType<typeof createLiveCounter<CountInput>> | null>(null)
  if (!counter.current)
    counter.current = createLiveCounter<CountInput>({
      delayMs,
      onChange: (live) => setState({ key: latest.current, live }),
      run: (i, signal) =>
        call(
          api.POST('/v1/orgs/{org}/rules/count', {
            params: { path: { org: i.org } },
            body: { rule: i.rule, dimension: i.dimension, ...(i.asOf ? { asOf: i.asOf } : {}) },
            signal,
          }),
        ),
    })
  // biome-ignore lint/correctness/useExhaustiveDependencies: the serialised input is the dependency
  useEffect(() => {
    latest.current = key
    counter.current?.update(input)
  }, [key])
  useEffect(() => () => counter.current?.dispose(), [])
  return { ...state.live, settled: state.live.status === 'done' && state.key === key }
}
