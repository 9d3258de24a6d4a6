import type { ValueType } from '../schema-scope'

/**
 * The operators of a rule condition and which field types take which (docs/rules.md). Plain data
 * without dependencies, so that the web app's rule builder imports the same lists
 * (`@ahub/query/operators`) without the compiler.
 */
export const OPERATORS = [
  '=',
  '!=',
  '>',
  '<',
  '>=',
  '<=',
  'in',
  'not in',
  'is empty',
  'is not empty',
  'starts with',
  'does not start with',
  'contains',
  'does not contain',
  'like',
  'not like',
  'between',
] as const

export type OperatorName = (typeof OPERATORS)[number]

const EQUALITY = ['=', '!='] as const satisfies readonly OperatorName[]
const ORDER = ['>', '<', '>=', '<='] as const satisfies readonly OperatorName[]
const LISTS = ['in', 'not in'] as const satisfies readonly OperatorName[]
const EMPTINESS = ['is empty', 'is not empty'] as const satisfies readonly OperatorName[]

/** Operators that compare text: a non-text field is compared as its text. */
export const TEXT_OPERATORS = [
  'starts with',
  'does not start with',
  'contains',
  'does not contain',
  'like',
  'not like',
] as const satisfies readonly OperatorName[]

/** Operators allowed per value type (`enum` fields additionally forbid ordering). */
export const OPERATORS_BY_TYPE: Record<ValueType | 'enum', readonly OperatorName[]> = {
  string: [...EQUALITY, ...ORDER, ...LISTS, ...EMPTINESS, ...TEXT_OPERATORS, 'between'],
  enum: [...EQUALITY, ...LISTS, ...EMPTINESS, ...TEXT_OPERATORS],
  integer: [...EQUALITY, ...ORDER, ...LISTS, ...EMPTINESS, 'between'],
  number: [...EQUALITY, ...ORDER, ...LISTS, ...EMPTINESS, 'between'],
  date: [...EQUALITY, ...ORDER, ...LISTS, ...EMPTINESS, 'between'],
  timestamp: [...EQUALITY, ...ORDER, ...EMPTINESS, 'between'],
  boolean: [...EQUALITY, ...EMPTINESS],
}

export function isTextOperator(op: string): boolean {
  return (TEXT_OPERATORS as readonly string[]).includes(op)
}
