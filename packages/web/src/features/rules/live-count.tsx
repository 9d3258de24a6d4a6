import { formatDuration, formatNumber } from '../../ui/format'
import { ErrorNotice } from '../../ui/states'
import type { LiveCountState } from './live-counter'

/** The count of the rule being edited, with the time it took; dimmed while the next one comes. */
export function LiveCount({ state, dimension }: { state: LiveCountState; dimension: string }) {
  const busy = state.status === 'waiting' || state.status === 'counting'
  return (
    <div className="live-count" aria-busy={busy}>
      <span className="stat-label">Matching {dimension}</span>
      <output className="stat" aria-live="polite" aria-label="Live count" style={{ opacity: busy ? 0.5 : 1 }}>
        {state.result ? formatNumber(state.result.count) : '–'}
      </output>
      <span className="muted">
        {state.status === 'counting'
          ? 'Counting…'
          : state.result
            ? `counted in ${formatDuration(state.result.durationMs)} (${formatDuration(state.result.roundTripMs)} round trip)`
            : state.status === 'idle'
              ? 'Add a condition to count'
              : ''}
      </span>
      {state.status === 'error' && !isRuleInvalid(state.error) ? <ErrorNotice error={state.error} /> : null}
    </div>
  )
}

function isRuleInvalid(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'RULE_INVALID'
}
