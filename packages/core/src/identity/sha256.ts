import { hash } from 'node:crypto'
import { type IdentityResult, invalid } from './result'

/** SHA-256 of the UTF-8 bytes of `s`, as 64 lower-case hex characters. */
export function sha256Hex(s: string): string {
  return hash('sha256', s, 'hex')
}

/** SHA-256 of the UTF-8 bytes of `s`, as 44 Base64 characters (with padding). */
export function sha256Base64(s: string): string {
  return hash('sha256', s, 'base64')
}

/** Re-encodes a 64-character hex digest as Base64 (44 characters). */
export function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64')
}

const HEX_DIGEST = /^[0-9a-fA-F]{64}$/
// 32 bytes in canonical Base64: 43 characters then '='; the last character carries 2 padding bits, which
// must be zero, so only every fourth letter of the alphabet may end it.
const BASE64_DIGEST = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/

const EMPTY = invalid('The hash is empty.')
const NOT_A_DIGEST = invalid('The hash is not a SHA-256 digest (64 hex characters or 44 Base64 characters).')

/** Normalises a SHA-256 digest to 64 lower-case hex characters; accepts hex in any case or Base64 of 32 bytes. */
export function normaliseSha256(raw: string): IdentityResult {
  const value = raw.trim()
  if (value.length === 64) {
    return HEX_DIGEST.test(value) ? { ok: true, value: value.toLowerCase() } : NOT_A_DIGEST
  }
  if (value.length === 44 && BASE64_DIGEST.test(value)) {
    return { ok: true, value: Buffer.from(value, 'base64').toString('hex') }
  }
  return value.length === 0 ? EMPTY : NOT_A_DIGEST
}
