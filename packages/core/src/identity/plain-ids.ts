import { type IdentityResult, invalid } from './result'
import { hasControlCharacter, longerThan } from './text'

/** Longest CRM ID accepted, in code points. */
export const CRM_ID_MAX_LENGTH = 256

/** Longest value accepted in a custom namespace, in code points. */
export const CUSTOM_ID_MAX_LENGTH = 1024

const CRM_EMPTY = invalid('The CRM ID is empty.')
const CRM_TOO_LONG = invalid(`The CRM ID is longer than ${CRM_ID_MAX_LENGTH} characters.`)
const CRM_CONTROL = invalid('The CRM ID holds a control character.')
const CUSTOM_EMPTY = invalid('The identity is empty.')
const CUSTOM_TOO_LONG = invalid(`The identity is longer than ${CUSTOM_ID_MAX_LENGTH} characters.`)

/** Trims a CRM ID; valid when non-empty, at most 256 characters and free of control characters. Case is kept. */
export function normaliseCrmId(raw: string): IdentityResult {
  const value = raw.trim()
  if (value.length === 0) return CRM_EMPTY
  if (longerThan(value, CRM_ID_MAX_LENGTH)) return CRM_TOO_LONG
  if (hasControlCharacter(value)) return CRM_CONTROL
  return { ok: true, value }
}

/** Trims a value of a custom namespace; valid when non-empty and at most 1024 characters. Case is kept. */
export function normaliseCustomId(raw: string): IdentityResult {
  const value = raw.trim()
  if (value.length === 0) return CUSTOM_EMPTY
  if (longerThan(value, CUSTOM_ID_MAX_LENGTH)) return CUSTOM_TOO_LONG
  return { ok: true, value }
}
