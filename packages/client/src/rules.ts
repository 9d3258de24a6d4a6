import type { EngineName } from '@ahub/core'
/** A rule and what it is evaluated against (docs/rules.md). */
export interface RuleInput {
  rule: unknown
  /** Table the rule selects from (default: profiles). */
  dimension?: string
  /** ISO time relative dates are evaluated against (default: now). */
  asOf?: string
}

export interface RuleIssue {
  path: (string | number)[]
  code: string
  message: string
}

export interface RuleCount {
  count: number
  dimension: string
  asOf: string
  durationMs: number
}

export interface RuleSql {
  dialect: EngineName
  sql: string
  params: { value: string | number | boolean | null; type: string }[]
}

export interface Distribution {
  field: string
  values: { value: unknown; count: number }[]
}
