import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLiveCounter, type LiveCountState } from './live-counter'

describe('the live count', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  function counter(delayMs = 250) {
    const calls: { input: number; signal: AbortSignal; resolve: (count: number) => void }[] = []
    const states: LiveCountState[] = []
    const c = createLiveCounter<number>({
      delayMs,
      onChange: (s) => states.push(s),
      now: () => Date.now(),
      run: (input, signal) =>
        new Promise((resolve) =>
          calls.push({ input, signal, resolve: (count) => resolve({ count, durationMs: 3, asOf: 'now' }) }),
        ),
    })
    return { c, calls, states }
  }

  it('waits for the edits to pause, then sends one request for the last rule', async () => {
    const { c, calls } = counter()
    c.update(1)
    await vi.advanceTimersByTimeAsync(100)
    c.update(2)
    await vi.advanceTimersByTimeAsync(100)
    c.update(3)
    expect(calls).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(250)
    expect(calls.map((x) => x.input)).toEqual([3])
    expect(c.state.status).toBe('counting')
  })

  it('cancels the request still out when the rule changes, and never shows its answer', async () => {
    const { c, calls } = counter()
    c.update(1)
    await vi.advanceTimersByTimeAsync(250)
    c.update(2)
    expect(calls[0]!.signal.aborted).toBe(true)
    await vi.advanceTimersByTimeAsync(250)
    calls[0]!.resolve(111)
    await vi.advanceTimersByTimeAsync(0)
    expect(c.state.result).toBeNull()
    await vi.advanceTimersByTimeAsync(40)
    calls[1]!.resolve(222)
    await vi.advanceTimersByTimeAsync(0)
    expect(c.state.status).toBe('done')
    expect(c.state.result).toEqual({ count: 222, durationMs: 3, roundTripMs: 40, asOf: 'now' })
  })

  it('keeps the last count while the next one is on its way, and goes idle on no rule', async () => {
    const { c, calls } = counter()
    c.update(1)
    await vi.advanceTimersByTimeAsync(250)
    calls[0]!.resolve(5)
    await vi.advanceTimersByTimeAsync(0)
    c.update(2)
    expect(c.state).toMatchObject({ status: 'waiting', result: { count: 5 } })
    c.update(null)
    expect(c.state.status).toBe('idle')
    await vi.advanceTimersByTimeAsync(1000)
    expect(calls).toHaveLength(1)
  })
})
