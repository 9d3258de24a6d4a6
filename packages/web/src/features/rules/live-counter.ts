/** What the server answered for a count, and how long the person waited for it. */
export interface CountResult {
  count: number
  /** Time the engine took, as the server measured it. */
  durationMs: number
  /** From the request leaving to the answer arriving, measured here. */
  roundTripMs: number
  asOf: string
}

export interface LiveCountState {
  /** waiting: an edit is being debounced; counting: a request is out. */
  status: 'idle' | 'waiting' | 'counting' | 'done' | 'error'
  /** The last count received (kept, dimmed, while the next one is on its way). */
  result: CountResult | null
  error: unknown
}

export interface LiveCounterOptions<I> {
  delayMs: number
  run: (input: I, signal: AbortSignal) => Promise<{ count: number; durationMs: number; asOf: string }>
  onChange: (state: LiveCountState) => void
  now?: () => number
}

/**
 * Counts a rule while it is edited: each edit restarts a short delay, and a new request cancels
 * the one still out, so only the latest rule's count is ever shown.
 */
export function createLiveCounter<I>(options: LiveCounterOptions<I>) {
  const now = options.now ?? (() => performance.now())
  let state: LiveCountState = { status: 'idle', result: null, error: null }
  let timer: ReturnType<typeof setTimeout> | undefined
  let inFlight: AbortController | undefined
  const set = (next: Partial<LiveCountState>) => {
    state = { ...state, ...next }
    options.onChange(state)
  }
  const cancel = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    inFlight?.abort()
    inFlight = undefined
  }
  return {
    /** A new input: counted after the delay unless another comes first. */
    update(input: I | null) {
      cancel()
      if (input === null) {
        set({ status: 'idle', error: null })
        return
      }
      set({ status: 'waiting' })
      timer = setTimeout(() => {
        timer = undefined
        const controller = new AbortController()
        inFlight = controller
        const started = now()
        set({ status: 'counting' })
        options.run(input, controller.signal).then(
          (answer) => {
            if (controller.signal.aborted) return
            inFlight = undefined
            set({ status: 'done', error: null, result: { ...answer, roundTripMs: now() - started } })
          },
          (error: unknown) => {
            if (controller.signal.aborted) return
            inFlight = undefined
            set({ status: 'error', error })
          },
        )
      }, options.delayMs)
    },
    dispose: cancel,
    get state() {
      return state
    },
  }
}
