import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { type IdentityResult, invalid } from './result'

/** Longest raw phone number looked at; anything longer is refused before parsing. */
export const PHONE_MAX_LENGTH = 64

// Digits and the separators people write between them, '+' only in front. Letters (vanity numbers, "ext. 12")
// are refused rather than silently dropped by the parser.
const PHONE_SHAPE = /^\+?[0-9\s().\-/]+$/

const EMPTY = invalid('The phone number is empty.')
const TOO_LONG = invalid(`The phone number is longer than ${PHONE_MAX_LENGTH} characters.`)
const BAD_CHARACTERS = invalid(
  'The phone number may only hold digits, a leading + or 00, spaces, dots, dashes, slashes and parentheses.',
)
const NO_COUNTRY = invalid('The phone number is not international (+ or 00) and no default country is set.')
const UNPARSEABLE = invalid('The phone number cannot be read as a phone number.')
const NOT_VALID = invalid('The phone number is not a valid number for its country.')

/** The country as libphonenumber knows it (upper-case ISO 3166 alpha-2), or undefined when it is not supported. */
export function toCountryCode(country: string): CountryCode | undefined {
  if (isSupportedCountry(country)) return country
  const upper = country.toUpperCase()
  return isSupportedCountry(upper) ? upper : undefined
}

/**
 * Normalises a phone number to E.164 (`+33612345678`). National numbers are read in `defaultCountry`
 * (ISO 3166 alpha-2); `+` and `00` mark international numbers. Valid only when libphonenumber says so.
 */
export function normalisePhone(raw: string, defaultCountry?: string): IdentityResult {
  const trimmed = raw.trim()
  if (trimmed.length === 0) return EMPTY
  if (trimmed.length > PHONE_MAX_LENGTH) return TOO_LONG
  if (!PHONE_SHAPE.test(trimmed)) return BAD_CHARACTERS
  // libphonenumber only reads 00 as international when it is the default country's exit code; we always do.
  const text = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed
  let country: CountryCode | undefined
  if (defaultCountry !== undefined) {
    country = toCountryCode(defaultCountry)
    // An international number does not need the default country, so an unknown one only matters for national numbers.
    if (country === undefined && text.charCodeAt(0) !== 0x2b) {
      return invalid(`The default country "${defaultCountry}" is not supported.`)
    }
  } else if (text.charCodeAt(0) !== 0x2b) {
    return NO_COUNTRY
  }
  const parsed = parsePhoneNumberFromString(text, country)
  if (parsed === undefined) return UNPARSEABLE
  if (!parsed.isValid()) return NOT_VALID
  return { ok: true, value: parsed.number }
}
