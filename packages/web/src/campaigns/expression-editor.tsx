import { useQuery } from '@tanstack/react-query'
import { useId } from 'react'
import { api, call } from '../api/client'
import { ErrorNotice } from '../ui/states'
import { useDebounced } from './use-debounced'

/** How long the text must stay unchanged before it is checked. */
export const EXPRESSION_CHECK_DELAY_MS = 250

/** One problem of the text, located when the parser or checker knows where. */
export interface ExpressionProblem {
  code: string
  message: string
  line?: number | undefined
  column?: number | undefined
}

/** "Line 2, column 5: …" when located; the message alone otherwise. */
export function describeProblem(p: ExpressionProblem): string {
  const at =
    p.line === undefined ? '' : `Line ${p.line}${p.column === undefined ? '' : `, column ${p.column}`}: `
  return `${at}${p.message.replace(/ at line \d+, column \d+$/, '')}`
}

/**
 * An expression option (docs/rules.md expressions; marked `x-expression` in the options schema):
 * a monospace text area checked as the user types against the org's schema and the activity's
 * dimension (POST expressions/validate, debounced), each problem shown with its line and column.
 */
export function ExpressionEditor({
  org,
  label,
  value,
  onChange,
  dimension,
  error,
  required,
}: {
  org: string
  label: string
  value: string
  onChange: (value: string | undefined) => void
  dimension: string
  /** The campaign validation's message for this option, if any. */
  error?: string | undefined
  required?: boolean
}) {
  const id = useId()
  const text = useDebounced(value, EXPRESSION_CHECK_DELAY_MS)
  const check = useQuery({
    queryKey: ['org', org, 'expression-validate', dimension, text],
    enabled: text.trim() !== '',
    queryFn: ({ signal }) =>
      call(
        api.POST('/v1/orgs/{org}/expressions/validate', {
          params: { path: { org } },
          body: { expression: text, dimension },
          signal,
        }),
      ),
    placeholderData: (prev) => prev,
  })
  const problems = text.trim() === '' ? [] : (check.data?.issues ?? [])
  const state =
    text.trim() === ''
      ? required
        ? 'An expression is needed.'
        : ''
      : text !== value || check.isFetching
        ? 'Checking…'
        : check.data?.valid
          ? 'The expression is valid.'
          : ''
  return (
    <div className="schema-field expression-editor">
      <label htmlFor={id}>
        {label}
        {required ? ' *' : ''}
      </label>
      <textarea
        id={id}
        className="expression-text"
        spellCheck={false}
        rows={Math.min(8, Math.max(2, value.split('\n').length))}
        value={value}
        aria-invalid={problems.length > 0 || Boolean(error)}
        aria-describedby={`${id}-status ${id}-problems`}
        onChange={(e) => onChange(e.target.value === '' && !required ? undefined : e.target.value)}
      />
      <p className="expression-status" id={`${id}-status`} role="status">
        {state}
      </p>
      <ul
        className="expression-problems"
        id={`${id}-problems`}
        aria-label={`Problems of ${label.toLowerCase()}`}
      >
        {problems.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id; the list is redrawn whole
          <li key={i} data-code={p.code}>
            {describeProblem(p)} <code>{p.code}</code>
          </li>
        ))}
        {error && problems.length === 0 && text === value && !check.isFetching ? (
          <li className="field-error">{error}</li>
        ) : null}
      </ul>
      {check.error ? <ErrorNotice error={check.error} /> : null}
    </div>
  )
}
