import { type IdentityResult, invalid } from './result'
import { longerThan } from './text'

/** Longest e-mail address accepted, in code points (the RFC 5321 path limit). */
export const EMAIL_MAX_LENGTH = 254

// Local part: anything but '@', control characters (C0, DEL, C1) and white space. Written with \xHH escapes
// and literal characters only, never \s, because \s means different things in JavaScript and RE2.
const LOCAL_PART = '[^@\\x00-\\x20\\x7f-\\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+'
// Domain: labels of letters, digits and inner hyphens (at most 63 characters), then a TLD of 2+ letters.
const DOMAIN = '(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}'

/**
 * The rule a normalised (trimmed, lower-cased) e-mail address must match, in the syntax shared by JavaScript
 * and RE2, so that DuckDB's `regexp_full_match(value, EMAIL_PATTERN)` applies exactly the same rule.
 * The length limit (EMAIL_MAX_LENGTH) is checked separately: RE2 has no look-ahead.
 */
export const EMAIL_PATTERN = `^${LOCAL_PART}@${DOMAIN}$`

const EMAIL_REGEX = new RegExp(EMAIL_PATTERN)

const EMPTY = invalid('The e-mail address is empty.')
const TOO_LONG = invalid(`The e-mail address is longer than ${EMAIL_MAX_LENGTH} characters.`)
const MALFORMED = invalid('The e-mail address is not of the form local@domain.tld.')
const EMPTY_AFTER_GMAIL_RULE = invalid('The Gmail address has no local part once dots and +tag are removed.')

/** Trims and lower-cases an e-mail address, then checks it against EMAIL_PATTERN and EMAIL_MAX_LENGTH. */
export function normaliseEmail(raw: string): IdentityResult {
  const value = raw.trim().toLowerCase()
  if (value.length === 0) return EMPTY
  if (longerThan(value, EMAIL_MAX_LENGTH)) return TOO_LONG
  if (!EMAIL_REGEX.test(value)) return MALFORMED
  return { ok: true, value }
}

/**
 * Rewrites an already normalised address the way Google matches Gmail accounts: for gmail.com and
 * googlemail.com, drops the `+tag` and removes the dots of the local part. Other domains are untouched.
 */
export function canonicaliseGmail(normalised: string): IdentityResult {
  const gmail = normalised.endsWith('@gmail.com')
  if (!gmail && !normalised.endsWith('@googlemail.com')) return { ok: true, value: normalised }
  const at = normalised.length - (gmail ? 10 : 15)
  let local = normalised.slice(0, at)
  const plus = local.indexOf('+')
  if (plus !== -1) local = local.slice(0, plus)
  local = local.replaceAll('.', '')
  if (local.length === 0) return EMPTY_AFTER_GMAIL_RULE
  return { ok: true, value: local + normalised.slice(at) }
}
