import { AppError } from '../errors'
import { canonicaliseGmail, normaliseEmail } from './email'
import { type NormaliseOptions, normaliseIdentity } from './normalise'
import { normalisePhone } from './phone'
import type { IdentityResult } from './result'
import { hexToBase64, normaliseSha256, sha256Base64, sha256Hex } from './sha256'

/** How a digest is written: lower-case hex (64 characters) or Base64 (44 characters). */
export type HashEncoding = 'hex' | 'base64'

/** Name of a destination hashing profile. */
export type HashingProfileName = 'generic' | 'google' | 'meta'

/** How a destination wants identities normalised before hashing. Plain data, so it can be listed and shown. */
export interface HashingProfile {
  readonly name: HashingProfileName
  readonly description: string
  /** E-mails are trimmed and lower-cased; when true, gmail.com / googlemail.com also lose dots and `+tag`. */
  readonly canonicaliseGmail: boolean
  /** `e164`: `+33612345678`; `e164-digits`: the same without the `+`, `33612345678`. */
  readonly phoneFormat: 'e164' | 'e164-digits'
  /** Digest encoding unless the caller asks for another. */
  readonly encoding: HashEncoding
}

/** The destination hashing profiles, by name. */
export const HASHING_PROFILES: Readonly<Record<HashingProfileName, HashingProfile>> = Object.freeze({
  generic: Object.freeze({
    name: 'generic',
    description: 'E-mail trimmed and lower-cased; phone in E.164 with the +; SHA-256 in hex.',
    canonicaliseGmail: false,
    phoneFormat: 'e164',
    encoding: 'hex',
  }),
  google: Object.freeze({
    name: 'google',
    description:
      'Google Customer Match: e-mail trimmed and lower-cased, and for gmail.com / googlemail.com without ' +
      'dots or +tag in the local part; phone in E.164 with the +; SHA-256 in hex.',
    canonicaliseGmail: true,
    phoneFormat: 'e164',
    encoding: 'hex',
  }),
  meta: Object.freeze({
    name: 'meta',
    description:
      'Meta custom audiences: e-mail trimmed and lower-cased; phone in E.164 digits without the +; SHA-256 in hex.',
    canonicaliseGmail: false,
    phoneFormat: 'e164-digits',
    encoding: 'hex',
  }),
})

const PROFILE_NAMES: readonly string[] = Object.freeze(Object.keys(HASHING_PROFILES))

/** The hashing profile called `name`; throws AppError IDENTITY_UNKNOWN_PROFILE naming the known profiles. */
export function getHashingProfile(name: string): HashingProfile {
  if (Object.hasOwn(HASHING_PROFILES, name)) return HASHING_PROFILES[name as HashingProfileName]
  throw new AppError(
    'IDENTITY_UNKNOWN_PROFILE',
    `Unknown hashing profile "${name}"; the profiles are ${PROFILE_NAMES.join(', ')}.`,
    { details: { profile: name, known: PROFILE_NAMES } },
  )
}

/** Options of prepareForDestination. */
export interface PrepareOptions extends NormaliseOptions {
  /** Hash the normalised value with SHA-256 (values of hashed namespaces are never hashed twice). */
  hash: boolean
  /** Digest encoding; the profile's (hex) by default. */
  encoding?: HashEncoding
}

/**
 * Normalises `raw` as `profile` wants it for `namespace`, then hashes it when asked. Values already hashed
 * (email_sha256, phone_sha256) are only re-encoded. Invalid values give `{ ok: false }`; an unknown profile or
 * namespace throws.
 */
export function prepareForDestination(
  profile: HashingProfile | string,
  namespace: string,
  raw: string,
  options: PrepareOptions,
): IdentityResult {
  const p = typeof profile === 'string' ? getHashingProfile(profile) : profile
  const encoding = options.encoding ?? p.encoding
  let result: IdentityResult
  switch (namespace) {
    case 'email':
      result = normaliseEmail(raw)
      if (result.ok && p.canonicaliseGmail) result = canonicaliseGmail(result.value)
      break
    case 'phone':
      result = normalisePhone(raw, options.defaultCountry)
      // E.164 always starts with '+'.
      if (result.ok && p.phoneFormat === 'e164-digits') result = { ok: true, value: result.value.slice(1) }
      break
    case 'email_sha256':
    case 'phone_sha256':
      result = normaliseSha256(raw)
      return result.ok && encoding === 'base64' ? { ok: true, value: hexToBase64(result.value) } : result
    default:
      result = normaliseIdentity(namespace, raw, options)
  }
  if (!result.ok || !options.hash) return result
  return { ok: true, value: encoding === 'base64' ? sha256Base64(result.value) : sha256Hex(result.value) }
}
