import { describe, expect, it } from 'vitest'
import { normalisePhone, toCountryCode } from './phone'

describe('normalisePhone', () => {
  it('reads national numbers in the default country', () => {
    expect(normalisePhone('06 12 34 56 78', 'FR')).toEqual({ ok: true, value: '+33612345678' })
    expect(normalisePhone('(201) 555-0123', 'US')).toEqual({ ok: true, value: '+12015550123' })
  })

  it('reads + and 00 as international whatever the default country', () => {
    for (const country of [undefined, 'FR', 'US', 'JP']) {
      expect(normalisePhone('+44 20 7946 0958', country)).toEqual({ ok: true, value: '+442079460958' })
      expect(normalisePhone('0044 20 7946 0958', country)).toEqual({ ok: true, value: '+442079460958' })
    }
  })

  it('accepts the usual separators', () => {
    for (const raw of [
      '06.12.34.56.78',
      '06-12-34-56-78',
      '(06) 12 34 56 78',
      '06/12/34/56/78',
      '0612345678',
    ]) {
      expect(normalisePhone(raw, 'FR'), raw).toEqual({ ok: true, value: '+33612345678' })
    }
  })

  it('refuses letters, misplaced +, and numbers libphonenumber does not call valid', () => {
    for (const raw of [
      '06 12 34 56 78 x12',
      '+33 6 12 34 56 7a',
      '33+612345678',
      '++33612345678',
      '06 12',
      '+',
    ]) {
      expect(normalisePhone(raw, 'FR').ok, raw).toBe(false)
    }
  })

  it('needs a default country for national numbers', () => {
    expect(normalisePhone('0612345678')).toMatchObject({ ok: false, code: 'IDENTITY_INVALID' })
  })

  it('names an unsupported default country', () => {
    const result = normalisePhone('0612345678', 'ZZ')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toContain('"ZZ"')
  })

  it('ignores an unsupported default country for international numbers', () => {
    expect(normalisePhone('+33 6 12 34 56 78', 'ZZ')).toEqual({ ok: true, value: '+33612345678' })
  })

  it('refuses very long input before parsing it', () => {
    expect(normalisePhone('1'.repeat(65), 'FR').ok).toBe(false)
  })
})

describe('toCountryCode', () => {
  it('accepts upper- and lower-case ISO 3166 alpha-2 codes', () => {
    expect(toCountryCode('GB')).toBe('GB')
    expect(toCountryCode('de')).toBe('DE')
    expect(toCountryCode('XX')).toBeUndefined()
    expect(toCountryCode('')).toBeUndefined()
  })
})
