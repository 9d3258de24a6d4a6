import { describe, expect, it } from 'vitest'
import { AppError } from '../errors'
import { BUILT_IN_NAMESPACES, isCustomNamespaceName, isKnownNamespace } from './namespaces'
import { getNormaliser, normaliseIdentity } from './normalise'

function thrown(f: () => unknown): AppError {
  try {
    f()
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('expected an AppError')
}

describe('built-in namespaces', () => {
  it('are listed with a description', () => {
    expect(BUILT_IN_NAMESPACES.map((n) => n.name)).toEqual([
      'email',
      'phone',
      'ecid',
      'crm',
      'email_sha256',
      'phone_sha256',
    ])
    for (const n of BUILT_IN_NAMESPACES) expect(n.description.length).toBeGreaterThan(10)
  })

  it('each normalise through normaliseIdentity and getNormaliser alike', () => {
    const samples: Record<string, string> = {
      email: ' A@B.CO ',
      phone: '06 12 34 56 78',
      ecid: '1'.repeat(38),
      crm: ' c1 ',
      email_sha256: 'A'.repeat(64),
      phone_sha256: 'b'.repeat(64),
    }
    for (const { name } of BUILT_IN_NAMESPACES) {
      const raw = samples[name]!
      const direct = normaliseIdentity(name, raw, { defaultCountry: 'FR' })
      expect(direct.ok, name).toBe(true)
      expect(getNormaliser(name, { defaultCountry: 'FR' })(raw)).toEqual(direct)
      expect(normaliseIdentity(name, '').ok, name).toBe(false)
    }
  })
})

describe('custom namespaces', () => {
  it('are unknown unless allowed', () => {
    const error = thrown(() => normaliseIdentity('loyalty', 'x'))
    expect(error.code).toBe('IDENTITY_UNKNOWN_NAMESPACE')
    expect(error.message).toContain('email, phone, ecid, crm, email_sha256, phone_sha256')
    expect(thrown(() => getNormaliser('loyalty')).code).toBe('IDENTITY_UNKNOWN_NAMESPACE')
  })

  it('accept any valid name with allowCustom: true', () => {
    expect(normaliseIdentity('loyalty', ' L-1 ', { allowCustom: true })).toEqual({ ok: true, value: 'L-1' })
    expect(getNormaliser('loyalty', { allowCustom: true })(' L-1 ')).toEqual({ ok: true, value: 'L-1' })
    expect(thrown(() => normaliseIdentity('Loyalty', 'x', { allowCustom: true })).message).toContain(
      '[a-z][a-z0-9_]*',
    )
  })

  it('accept only registered names with a set', () => {
    const allowCustom = new Set(['loyalty', 'store_card'])
    expect(normaliseIdentity('store_card', 'x', { allowCustom }).ok).toBe(true)
    const error = thrown(() => normaliseIdentity('other', 'x', { allowCustom }))
    expect(error.code).toBe('IDENTITY_UNKNOWN_NAMESPACE')
    expect(error.details).toMatchObject({ namespace: 'other', custom: ['loyalty', 'store_card'] })
  })

  it('are named like identifiers and never shadow a built-in namespace', () => {
    expect(isCustomNamespaceName('a')).toBe(true)
    expect(isCustomNamespaceName('loyalty_id_2')).toBe(true)
    expect(isCustomNamespaceName(`a${'b'.repeat(62)}`)).toBe(true)
    for (const name of ['', '1a', '_a', 'a-b', 'A', 'a b', `a${'b'.repeat(63)}`, 'email', '__proto__']) {
      expect(isCustomNamespaceName(name), name).toBe(false)
    }
  })

  it('are known to isKnownNamespace as allowed', () => {
    expect(isKnownNamespace('phone')).toBe(true)
    expect(isKnownNamespace('loyalty')).toBe(false)
    expect(isKnownNamespace('loyalty', { allowCustom: true })).toBe(true)
    expect(isKnownNamespace('loyalty', { allowCustom: new Set(['other']) })).toBe(false)
    expect(isKnownNamespace('Bad-Name', { allowCustom: new Set(['Bad-Name']) })).toBe(false)
  })
})
