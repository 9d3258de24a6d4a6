import { type IdentityResult, invalid } from './result'

/** Largest value of each 19-digit half of an ECID: the largest signed 64-bit integer. */
export const ECID_MAX_HALF = '9223372036854775807'

/** Number of digits in an ECID (Experience Cloud visitor ID). */
export const ECID_LENGTH = 38

const HALF = 19

const WRONG_SHAPE = invalid(`The ECID is not exactly ${ECID_LENGTH} digits.`)
const HALF_TOO_LARGE = invalid(`An ECID half (19 digits) is larger than ${ECID_MAX_HALF}.`)

// Compares s[offset, offset + 19) with ECID_MAX_HALF digit by digit: both are fixed-length digit strings,
// so the first differing digit decides, with no slicing and no number conversion.
function halfWithinLimit(s: string, offset: number): boolean {
  for (let i = 0; i < HALF; i++) {
    const d = s.charCodeAt(offset + i)
    const m = ECID_MAX_HALF.charCodeAt(i)
    if (d !== m) return d < m
  }
  return true
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x30 || c > 0x39) return false
  }
  return true
}

/** True when `value` is exactly 38 ASCII digits and each 19-digit half is at most ECID_MAX_HALF. */
export function isValidEcid(value: string): boolean {
  return (
    value.length === ECID_LENGTH &&
    isDigits(value) &&
    halfWithinLimit(value, 0) &&
    halfWithinLimit(value, HALF)
  )
}

/** Trims an ECID and checks it with isValidEcid; the digits are kept as they are. */
export function normaliseEcid(raw: string): IdentityResult {
  const value = raw.trim()
  if (value.length !== ECID_LENGTH || !isDigits(value)) return WRONG_SHAPE
  if (!halfWithinLimit(value, 0) || !halfWithinLimit(value, HALF)) return HALF_TOO_LARGE
  return { ok: true, value }
}
