import { describe, expect, it } from 'vitest'
import { ECID_MAX_HALF, isValidEcid, normaliseEcid } from './ecid'

const ZERO_HALF = '0'.repeat(19)

describe('isValidEcid', () => {
  it('accepts 38 digits whose halves are at most ECID_MAX_HALF', () => {
    expect(isValidEcid(ZERO_HALF + ZERO_HALF)).toBe(true)
    expect(isValidEcid(ECID_MAX_HALF + ECID_MAX_HALF)).toBe(true)
    expect(isValidEcid(`9223372036854775799${ECID_MAX_HALF}`)).toBe(true)
    expect(isValidEcid(`8999999999999999999${ECID_MAX_HALF}`)).toBe(true)
  })

  it('refuses a half just above the limit, in either position', () => {
    expect(isValidEcid(`9223372036854775808${ZERO_HALF}`)).toBe(false)
    expect(isValidEcid(`${ZERO_HALF}9223372036854775808`)).toBe(false)
    expect(isValidEcid(`9300000000000000000${ZERO_HALF}`)).toBe(false)
  })

  it('refuses other lengths and non-digits without trimming', () => {
    expect(isValidEcid('1'.repeat(37))).toBe(false)
    expect(isValidEcid('1'.repeat(39))).toBe(false)
    expect(isValidEcid(` ${'1'.repeat(38)}`)).toBe(false)
    expect(isValidEcid(`${'1'.repeat(37)}/`)).toBe(false)
    expect(isValidEcid(`${'1'.repeat(37)}:`)).toBe(false)
  })
})

describe('normaliseEcid', () => {
  it('trims and keeps the digits as they are', () => {
    expect(normaliseEcid(`  ${ZERO_HALF}${ECID_MAX_HALF}\t`)).toEqual({
      ok: true,
      value: ZERO_HALF + ECID_MAX_HALF,
    })
  })

  it('explains which rule failed', () => {
    const shape = normaliseEcid('123')
    const half = normaliseEcid(`${ZERO_HALF}9999999999999999999`)
    expect(shape.ok || half.ok).toBe(false)
    if (!shape.ok && !half.ok) expect(shape.reason).not.toBe(half.reason)
  })
})
