import { describe, expect, it } from 'vitest'
import { CRM_ID_MAX_LENGTH, CUSTOM_ID_MAX_LENGTH, normaliseCrmId, normaliseCustomId } from './plain-ids'

describe('normaliseCrmId', () => {
  it('trims and keeps case', () => {
    expect(normaliseCrmId(' Ab-12 ')).toEqual({ ok: true, value: 'Ab-12' })
  })

  it('refuses empty, too long and control characters', () => {
    expect(normaliseCrmId(' \t ').ok).toBe(false)
    expect(normaliseCrmId('x'.repeat(CRM_ID_MAX_LENGTH)).ok).toBe(true)
    expect(normaliseCrmId('x'.repeat(CRM_ID_MAX_LENGTH + 1)).ok).toBe(false)
    expect(normaliseCrmId('😀'.repeat(CRM_ID_MAX_LENGTH)).ok).toBe(true)
    expect(normaliseCrmId('😀'.repeat(CRM_ID_MAX_LENGTH + 1)).ok).toBe(false)
    expect(normaliseCrmId('a\u0000b').ok).toBe(false)
    expect(normaliseCrmId('a\u009fb').ok).toBe(false)
  })
})

describe('normaliseCustomId', () => {
  it('trims, and refuses empty or too long values', () => {
    expect(normaliseCustomId('  X 1 ')).toEqual({ ok: true, value: 'X 1' })
    expect(normaliseCustomId('   ').ok).toBe(false)
    expect(normaliseCustomId('x'.repeat(CUSTOM_ID_MAX_LENGTH)).ok).toBe(true)
    expect(normaliseCustomId('x'.repeat(CUSTOM_ID_MAX_LENGTH + 1)).ok).toBe(false)
  })
})
