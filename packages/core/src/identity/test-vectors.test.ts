import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { HASHING_PROFILES, prepareForDestination } from './hashing-profiles'
import { BUILT_IN_NAMESPACES, isBuiltInNamespace } from './namespaces'
import { normaliseIdentity } from './normalise'
import type { IdentityResult } from './result'
import { sha256Hex } from './sha256'

interface TestVector {
  namespace: string
  profile?: string
  input: string
  defaultCountry?: string
  expected?: string
  invalid?: true
  sha256?: string
  note?: string
}

const vectors: TestVector[] = JSON.parse(
  readFileSync(new URL('./test-vectors.json', import.meta.url), 'utf8'),
)

function run(v: TestVector, hash: boolean, encoding: 'hex' | 'base64' = 'hex'): IdentityResult {
  const options = { defaultCountry: v.defaultCountry, allowCustom: true }
  return v.profile === undefined
    ? normaliseIdentity(v.namespace, v.input, options)
    : prepareForDestination(v.profile, v.namespace, v.input, { ...options, hash, encoding })
}

function label(v: TestVector): string {
  const where = [v.namespace, v.profile, v.defaultCountry].filter(Boolean).join(' ')
  return `${where} ${JSON.stringify(v.input.length > 60 ? `${v.input.slice(0, 40)}...` : v.input)}`
}

describe('published identity test vectors', () => {
  it('are well formed and cover every namespace and profile', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(60)
    for (const v of vectors) {
      expect(typeof v.namespace).toBe('string')
      expect(typeof v.input).toBe('string')
      expect((v.expected === undefined) !== (v.invalid === undefined), label(v)).toBe(true)
      if (v.invalid) expect(v.sha256, label(v)).toBeUndefined()
    }
    const namespaces = new Set(vectors.map((v) => v.namespace))
    for (const n of BUILT_IN_NAMESPACES) expect(namespaces).toContain(n.name)
    expect([...namespaces].some((n) => !isBuiltInNamespace(n))).toBe(true)
    const profiles = new Set(vectors.map((v) => v.profile))
    for (const p of Object.keys(HASHING_PROFILES)) expect(profiles).toContain(p)
  })

  it.each(vectors.map((v) => [label(v), v] as const))('%s', (_, v) => {
    const result = run(v, false)
    if (v.invalid) {
      expect(result.ok).toBe(false)
      if (!result.ok) {
        expect(result.code).toBe('IDENTITY_INVALID')
        expect(result.reason.length).toBeGreaterThan(0)
      }
      expect(run(v, true).ok).toBe(false)
      return
    }
    expect(result).toEqual({ ok: true, value: v.expected })
    if (v.sha256 !== undefined) {
      expect(sha256Hex(v.expected!)).toBe(v.sha256)
      if (v.profile !== undefined) {
        expect(run(v, true)).toEqual({ ok: true, value: v.sha256 })
        const base64 = Buffer.from(v.sha256, 'hex').toString('base64')
        expect(run(v, true, 'base64')).toEqual({ ok: true, value: base64 })
      }
    }
  })
})
