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

/** The live count of a rule (debounced by `delayMs`, the previous request cancelled). */
export function useLiveCount(input: CountInput | null, delayMs = 100): LiveCountState {
  const [state, setState] = useState<LiveCountState>({ status: 'idle', result: null, error: null })
  const counter = useRef<ReturnType<typeof createLiveCounter<CountInput>> | null>(null)
  if (!counter.current)
    counter.current = createLiveCounter<CountInput>({
      delayMs,
      onChange: setState,
      run: (i, signal) =>
        call(
          api.POST('/v1/orgs/{org}/rules/count', {
            params: { path: { org: i.org } },
            body: { rule: i.rule, dimension: i.dimension, ...(i.asOf ? { asOf: i.asOf } : {}) },
            signal,
          }),
        ),
    })
  const key = input ? JSON.stringify(input) : null
  // biome-ignore lint/correctness/useExhaustiveDependencies: the serialised input is the dependency
  useEffect(() => {
    counter.current?.update(input)
  }, [key])
  useEffect(() => () => counter.current?.dispose(), [])
  return state
}
