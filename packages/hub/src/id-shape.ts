import { ECID_MAX_HALF, EMAIL_PATTERN, type Protection, TRIM_CHARACTERS } from '@ahub/core'
import { literal } from '@ahub/store'

/**
 * The shape a published ID must have under its data source (docs/hub.md, "What an ID must look
 * like"): protected IDs are what the installations' protectId gives (64 lower-case hex digits for
 * SHA-256 and HMAC, canonical Base64 of whole 16-byte blocks for AES-CBC); unprotected IDs are
 * the normalised form of their namespace, as ingestion writes them. The hub compares sets
 * verbatim, so an ID of any other shape could never match and would only leak what it holds.
 */

const HEX_DIGEST = "regexp_full_match(id, '[0-9a-f]{64}')"
const BASE64 = '(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?'

/** SQL, over a column `id`, true when the ID has the shape of `kind` and `namespace`. */
export function idShapeSql(kind: Protection['kind'], namespace: string): string {
  switch (kind) {
    case 'sha256':
    case 'hmac-sha256':
      return HEX_DIGEST
    case 'aes-cbc':
      // Canonical Base64 (what Node writes) of a whole number of AES blocks.
      return `CASE WHEN regexp_full_match(id, ${literal(BASE64)})
        THEN to_base64(from_base64(id)) = id AND octet_length(from_base64(id)) % 16 = 0 ELSE false END`
    case 'none':
      return plainShapeSql(namespace)
  }
}

function plainShapeSql(namespace: string): string {
  const trimmed = `id = trim(id, ${literal(TRIM_CHARACTERS)})`
  switch (namespace) {
    case 'email':
      return `(length(id) <= 254 AND id = lower(id) AND regexp_full_match(id, ${literal(EMAIL_PATTERN)}))`
    case 'phone':
      return `coalesce(ahub_phone_e164(id, NULL) = id, false)`
    case 'ecid': {
      const max = literal(ECID_MAX_HALF)
      return `(regexp_full_match(id, '[0-9]{38}') AND substr(id, 1, 19) <= ${max} AND substr(id, 20, 19) <= ${max})`
    }
    case 'crm':
      return `(${trimmed} AND length(id) <= 256 AND NOT regexp_matches(id, '[\\x{00}-\\x{1f}\\x{7f}-\\x{9f}]'))`
    case 'email_sha256':
    case 'phone_sha256':
      return HEX_DIGEST
    default:
      return `(${trimmed} AND length(id) <= 1024)`
  }
}

/** What an ID must look like under `kind` and `namespace`, for the error message. */
export function idShapeText(kind: Protection['kind'], namespace: string): string {
  switch (kind) {
    case 'sha256':
      return 'a SHA-256 digest as 64 lower-case hex digits'
    case 'hmac-sha256':
      return 'an HMAC-SHA-256 as 64 lower-case hex digits'
    case 'aes-cbc':
      return 'an AES-CBC ciphertext in canonical Base64 of whole 16-byte blocks'
    case 'none':
      switch (namespace) {
        case 'email':
          return 'a normalised e-mail address (trimmed, lower-case, local@domain.tld, at most 254 characters)'
        case 'phone':
          return 'a valid phone number in E.164 (+33612345678)'
        case 'ecid':
          return 'an ECID (38 digits, each 19-digit half at most 9223372036854775807)'
        case 'crm':
          return 'a CRM ID (trimmed, 1 to 256 characters, no control characters)'
        case 'email_sha256':
        case 'phone_sha256':
          return 'a SHA-256 digest as 64 lower-case hex digits'
        default:
          return `a ${namespace} value (trimmed, 1 to 1024 characters)`
      }
  }
}
