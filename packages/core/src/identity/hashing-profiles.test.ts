import { describe, expect, it } from 'vitest'
import { AppError } from '../errors'
import { getHashingProfile, HASHING_PROFILES, prepareForDestination } from './hashing-profiles'
import { sha256Base64, sha256Hex } from './sha256'

const JOHN = '55e79200c1635b37ad31a378c39feb12f120f116625093a19bc32fff15041149'

describe('getHashingProfile', () => {
  it('returns each known profile', () => {
    for (const name of ['generic', 'google', 'meta'])
      expect(getHashingProfile(name)).toBe(HASHING_PROFILES[name as 'meta'])
  })

  it('throws IDENTITY_UNKNOWN_PROFILE with the known profiles', () => {
    for (const name of ['tiktok', 'toString', '__proto__', '']) {
      let error: unknown
      try {
        getHashingProfile(name)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(AppError)
      expect(error).toMatchObject({
        code: 'IDENTITY_UNKNOWN_PROFILE',
        details: { profile: name, known: ['generic', 'google', 'meta'] },
      })
    }
  })
})

describe('prepareForDestination', () => {
  it('hashes the normalised value in hex by default, in Base64 on request', () => {
    const raw = ' JohnDoe@Example.com '
    expect(prepareForDestination('generic', 'email', raw, { hash: true })).toEqual({ ok: true, value: JOHN })
    expect(prepareForDestination('meta', 'email', raw, { hash: true, encoding: 'base64' })).toEqual({
      ok: true,
      value: sha256Base64('johndoe@example.com'),
    })
  })

  it('returns the normalised value when not hashing', () => {
    const options = { hash: false, defaultCountry: 'FR' }
    expect(prepareForDestination('google', 'phone', '06 12 34 56 78', options)).toEqual({
      ok: true,
      value: '+33612345678',
    })
    expect(prepareForDestination('meta', 'phone', '06 12 34 56 78', options)).toEqual({
      ok: true,
      value: '33612345678',
    })
  })

  it('applies the Gmail rule for Google only', () => {
    const raw = 'John.Doe+x@gmail.com'
    expect(prepareForDestination('google', 'email', raw, { hash: true })).toEqual({
      ok: true,
      value: sha256Hex('johndoe@gmail.com'),
    })
    expect(prepareForDestination(HASHING_PROFILES.meta, 'email', raw, { hash: false })).toEqual({
      ok: true,
      value: 'john.doe+x@gmail.com',
    })
  })

  it('never hashes a hashed namespace twice, but re-encodes it', () => {
    const upper = JOHN.toUpperCase()
    expect(prepareForDestination('google', 'email_sha256', upper, { hash: true })).toEqual({
      ok: true,
      value: JOHN,
    })
    expect(prepareForDestination('meta', 'email_sha256', upper, { hash: true, encoding: 'base64' })).toEqual({
      ok: true,
      value: sha256Base64('johndoe@example.com'),
    })
  })

  it('normalises other namespaces by their own rules', () => {
    expect(prepareForDestination('generic', 'crm', ' C-1 ', { hash: true })).toEqual({
      ok: true,
      value: sha256Hex('C-1'),
    })
    expect(prepareForDestination('generic', 'loyalty', ' L ', { hash: false, allowCustom: true })).toEqual({
      ok: true,
      value: 'L',
    })
    expect(() => prepareForDestination('generic', 'loyalty', 'L', { hash: false })).toThrow(AppError)
  })

  it('passes invalid values through without hashing them', () => {
    const result = prepareForDestination('meta', 'phone', '123', { hash: true, defaultCountry: 'FR' })
    expect(result).toMatchObject({ ok: false, code: 'IDENTITY_INVALID' })
  })
})
