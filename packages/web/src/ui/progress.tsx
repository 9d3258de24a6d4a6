import { ProgressBar } from 'react-aria-components'

/** Progress of long work (an upload, a refresh); without a value it is indeterminate. */
export function Progress({ label, value }: { label: string; value?: number }) {
  return (
    <ProgressBar className="progress" value={value} isIndeterminate={value === undefined} aria-label={label}>
      {({ percentage, valueText }) => (
        <>
          <span className="progress-label">
            {label}
            {value === undefined ? '' : ` ${valueText}`}
          </span>
          <div className="progress-track">
            <div
              className={`progress-fill${value === undefined ? ' indeterminate' : ''}`}
              style={{ width: value === undefined ? '40%' : `${percentage}%` }}
            />
          </div>
        </>
      )}
    </ProgressBar>
  )
}
