import { describe, expect, it } from 'vitest'
import { hasControlCharacter, longerThan, TRIM_CHARACTERS } from './text'

describe('TRIM_CHARACTERS', () => {
  it('holds exactly the characters String.prototype.trim removes', () => {
    const trimmed: string[] = []
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c)
      if (`${ch}x${ch}`.trim() === 'x') trimmed.push(ch)
    }
    expect(trimmed.join('')).toBe([...TRIM_CHARACTERS].sort().join(''))
  })
})

describe('hasControlCharacter', () => {
  it('finds C0, DEL and C1 characters anywhere', () => {
    for (const s of ['\u0000', 'a\tb', 'ab\n', '\u001f', 'x\u007f', '\u0080y', 'z\u009f']) {
      expect(hasControlCharacter(s), JSON.stringify(s)).toBe(true)
    }
  })

  it('accepts printable text, including non-ASCII and non-breaking spaces', () => {
    for (const s of ['', 'abc', 'Ünïcödé', 'a\u00a0b', '😀', ' ~']) {
      expect(hasControlCharacter(s), JSON.stringify(s)).toBe(false)
    }
  })
})

describe('longerThan', () => {
  it('counts code points, as SQL length() does', () => {
    expect(longerThan('abc', 3)).toBe(false)
    expect(longerThan('abcd', 3)).toBe(true)
    expect(longerThan('😀😀😀', 3)).toBe(false)
    expect(longerThan('😀😀😀😀', 3)).toBe(true)
    expect(longerThan('a😀b', 3)).toBe(false)
    // Lone surrogates count one each.
    expect(longerThan('\udc00\ud800\udc00', 2)).toBe(false)
    expect(longerThan('\udc00\udc00\udc00', 2)).toBe(true)
  })
})
