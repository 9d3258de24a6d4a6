// @vitest-environment happy-dom
import { cleanup, renderHook, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RuleNode } from './rule-model'
import { type CountInput, useLiveCount } from './use-live-count'

// The API client keeps the fetch it was made with: route it, before any import, to `answer`.
const route = vi.hoisted(() => {
  const route: { answer: (request: Request) => Promise<Response> } = {
    answer: async () => new Response(null, { status: 500 }),
  }
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
    route.answer(input instanceof Request ? input : new Request(input, init))
  return route
})

afterEach(cleanup)

const rule = (value: string): RuleNode =>
  ({ kind: 'condition', field: 'country', op: '=', value }) as unknown as RuleNode

/** The count route answered by the length of the value, after `ms`; every request is kept. */
function server(ms = 5) {
  const bodies: { rule: { value: string } }[] = []
  route.answer = async (request: Request) => {
    const body = (await request.json()) as { rule: { value: string } }
    bodies.push(body)
    await new Promise((r) => setTimeout(r, ms))
    return new Response(
      JSON.stringify({ count: body.rule.value.length, dimension: 'profiles', asOf: 'now', durationMs: 1 }),
      { status: 200, headers: { 'content-type': 'application/json' } },
    )
  }
  return bodies
}

describe('the live count of the rule builder', () => {
  it('is settled only for the rule it was counted for, from the very render that changes the rule', async () => {
    const bodies = server()
    const renders: { value: string; settled: boolean; count: number | undefined }[] = []
    const { rerender } = renderHook(
      (input: CountInput) => {
        const state = useLiveCount(input, 10)
        renders.push({
          value: (input.rule as unknown as { value: string }).value,
          settled: state.settled,
          count: state.result?.count,
        })
        return state
      },
      { initialProps: { org: 'demo', rule: rule('FR'), dimension: 'profiles' } },
    )
    await waitFor(() => expect(renders.at(-1)).toMatchObject({ value: 'FR', settled: true, count: 2 }))
    rerender({ org: 'demo', rule: rule('Spain'), dimension: 'profiles' })
    await waitFor(() => expect(renders.at(-1)).toMatchObject({ value: 'Spain', settled: true, count: 5 }))
    // No render of the new rule claimed the old rule's count as its own.
    expect(renders.filter((r) => r.value === 'Spain' && r.settled).every((r) => r.count === 5)).toBe(true)
    expect(renders.some((r) => r.value === 'Spain' && !r.settled && r.count === 2)).toBe(true)
    expect(bodies.map((b) => b.rule.value)).toEqual(['FR', 'Spain'])
  })

  it('sends one request for the last of quick edits', async () => {
    const bodies = server()
    const { rerender, result } = renderHook((input: CountInput) => useLiveCount(input, 30), {
      initialProps: { org: 'demo', rule: rule('F'), dimension: 'profiles' },
    })
    rerender({ org: 'demo', rule: rule('FR'), dimension: 'profiles' })
    rerender({ org: 'demo', rule: rule('FRA'), dimension: 'profiles' })
    await waitFor(() => expect(result.current.settled).toBe(true))
    expect(result.current.result?.count).toBe(3)
    expect(bodies.map((b) => b.rule.value)).toEqual(['FRA'])
  })
})
