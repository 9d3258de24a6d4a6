import './sharing.css'
import { formatNumber } from '../ui/format'
import { type JobCounts, matchReport } from './match-report'

const COLOURS = { matched: '#1f6f43', unmatched: '#8a929c', invalid: '#a11d1d', ambiguous: '#b06f00' }

/** The match report as a picture: one bar split into matched, unmatched, invalid and ambiguous, with the counts. */
export function MatchReportChart({ counts }: { counts: JobCounts }) {
  const { parts, total, addsUp } = matchReport(counts)
  const summary = `${parts.map((p) => `${p.label} ${formatNumber(p.count)}`).join(', ')} of ${formatNumber(counts.received)} received`
  return (
    <figure className="match-report">
      <svg viewBox="0 0 400 28" width="100%" height="28" role="img" aria-label={summary}>
        {(() => {
          let x = 0
          return parts.map((p) => {
            const w = p.share * 400
            const rect = (
              <rect key={p.key} x={x} y={0} width={w} height={28} fill={COLOURS[p.key]} data-part={p.key} />
            )
            x += w
            return rect
          })
        })()}
      </svg>
      <figcaption>
        <ul className="match-legend">
          {parts.map((p) => (
            <li key={p.key} data-part={p.key}>
              <span className="swatch" style={{ background: COLOURS[p.key] }} aria-hidden="true" />
              {p.label}: <strong>{formatNumber(p.count)}</strong>
            </li>
          ))}
        </ul>
        <p data-adds-up={addsUp}>
          {addsUp
            ? `${formatNumber(total)} = ${formatNumber(counts.received)} received`
            : `The parts add up to ${formatNumber(total)}, not the ${formatNumber(counts.received)} received`}
        </p>
      </figcaption>
    </figure>
  )
}
