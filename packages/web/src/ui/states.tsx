import type { ReactNode } from 'react'
import { ApiError } from '../api/client'

/** Shown while data loads. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  )
}

/** Shown when there is nothing yet, with what to do about it. */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children}
    </div>
  )
}

/** A readable sentence for an error, with its code when the API gave one. */
export function errorSentence(error: unknown): { message: string; code: string | null } {
  if (error instanceof ApiError) return { message: error.message, code: error.code }
  if (error instanceof Error) return { message: error.message, code: null }
  return { message: 'Something went wrong', code: null }
}

/** A failed load or action: the server's message and code, and a retry when there is one. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { message, code } = errorSentence(error)
  return (
    <div className="state state-error" role="alert">
      <p>
        {message}
        {code ? (
          <>
            {' '}
            <code className="error-code">{code}</code>
          </>
        ) : null}
      </p>
      {onRetry ? (
        <button type="button" className="btn btn-secondary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  )
}
