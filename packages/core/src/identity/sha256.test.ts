import { describe, expect, it } from 'vitest'
import { hexToBase64, normaliseSha256, sha256Base64, sha256Hex } from './sha256'

const JOHN = '55e79200c1635b37ad31a378c39feb12f120f116625093a19bc32fff15041149'
const JOHN_BASE64 = 'VeeSAMFjWzetMaN4w5/rEvEg8RZiUJOhm8Mv/xUEEUk='

describe('sha256Hex and sha256Base64', () => {
  it('hash the published example', () => {
    expect(sha256Hex('johndoe@example.com')).toBe(JOHN)
    expect(sha256Base64('johndoe@example.com')).toBe(JOHN_BASE64)
    expect(hexToBase64(JOHN)).toBe(JOHN_BASE64)
  })

  it('hash the UTF-8 bytes', () => {
    // Known SHA-256 of the empty string and of "é" (UTF-8 0xC3 0xA9).
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(sha256Hex('é')).toBe('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c')
  })
})

describe('normaliseSha256', () => {
  it('lower-cases hex and converts Base64 to hex', () => {
    expect(normaliseSha256(JOHN.toUpperCase())).toEqual({ ok: true, value: JOHN })
    expect(normaliseSha256(` ${JOHN_BASE64} `)).toEqual({ ok: true, value: JOHN })
  })

  it('refuses anything else', () => {
    for (const raw of [
      '',
      JOHN.slice(1),
      `${JOHN}0`,
      `${JOHN.slice(1)}z`,
      JOHN_BASE64.slice(0, 43),
      `${JOHN_BASE64.slice(0, 42)}l=`,
    ]) {
      expect(normaliseSha256(raw).ok, raw).toBe(false)
    }
    expect(normaliseSha256(JOHN_BASE64.replace('/', '_')).ok).toBe(false)
  })
})
