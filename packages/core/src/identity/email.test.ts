import { describe, expect, it } from 'vitest'
import { canonicaliseGmail, EMAIL_MAX_LENGTH, EMAIL_PATTERN, normaliseEmail } from './email'

describe('normaliseEmail', () => {
  it('trims and lower-cases', () => {
    expect(normaliseEmail('  John.Doe@Example.COM \n')).toEqual({ ok: true, value: 'john.doe@example.com' })
  })

  it('refuses white space, control characters and @ in the local part', () => {
    for (const local of ['a b', 'a\tb', 'a\u00a0b', 'a\u2003b', 'a\u0000b', 'a\u0085b', 'a@b']) {
      expect(normaliseEmail(`${local}@example.com`).ok, JSON.stringify(local)).toBe(false)
    }
  })

  it('accepts any other local part, including non-ASCII letters', () => {
    for (const local of ['a', "o'brien", 'first.last+tag', 'ü', '😀', '..', 'x=y{z}']) {
      expect(normaliseEmail(`${local}@example.com`).ok, local).toBe(true)
    }
  })

  it('checks domain labels and the TLD', () => {
    expect(normaliseEmail('a@b.co').ok).toBe(true)
    expect(normaliseEmail('a@1-2.3.example').ok).toBe(true)
    expect(normaliseEmail(`a@${'x'.repeat(63)}.com`).ok).toBe(true)
    expect(normaliseEmail(`a@${'x'.repeat(64)}.com`).ok).toBe(false)
    for (const domain of ['b', 'b.c', 'b-.com', '-b.com', 'b..com', '.b.com', 'b.com.', 'b.c0m', 'b_c.com']) {
      expect(normaliseEmail(`a@${domain}`).ok, domain).toBe(false)
    }
  })

  it('limits the length to 254 characters', () => {
    const domain = '@example.com'
    const longest = 'a'.repeat(EMAIL_MAX_LENGTH - domain.length) + domain
    expect(normaliseEmail(longest).ok).toBe(true)
    expect(normaliseEmail(`a${longest}`).ok).toBe(false)
    // Code points, not UTF-16 units: an emoji counts once.
    expect(normaliseEmail(`😀${longest.slice(1)}`).ok).toBe(true)
  })

  it('returns the same frozen rejection for the same problem', () => {
    const a = normaliseEmail('nope')
    expect(a).toBe(normaliseEmail('still nope'))
    expect(a).toEqual({ ok: false, code: 'IDENTITY_INVALID', reason: expect.any(String) })
    expect(Object.isFrozen(a)).toBe(true)
  })
})

describe('EMAIL_PATTERN', () => {
  it('uses only syntax that JavaScript and RE2 read alike', () => {
    // RE2 has no look-around, back-references or \s with JavaScript's meaning; \uXXXX escapes differ too.
    expect(EMAIL_PATTERN).not.toMatch(/\(\?[=!<]|\\[1-9]|\\s|\\u/)
    expect(EMAIL_PATTERN.startsWith('^')).toBe(true)
    expect(EMAIL_PATTERN.endsWith('$')).toBe(true)
  })
})

describe('canonicaliseGmail', () => {
  it('drops dots and +tag for gmail.com and googlemail.com only', () => {
    expect(canonicaliseGmail('j.o.h.n+x.y@gmail.com')).toEqual({ ok: true, value: 'john@gmail.com' })
    expect(canonicaliseGmail('j.ohn+a+b@googlemail.com')).toEqual({ ok: true, value: 'john@googlemail.com' })
    expect(canonicaliseGmail('j.ohn+a@mail.gmail.com')).toEqual({ ok: true, value: 'j.ohn+a@mail.gmail.com' })
    expect(canonicaliseGmail('j.ohn+a@agmail.com')).toEqual({ ok: true, value: 'j.ohn+a@agmail.com' })
  })

  it('refuses an address left without a local part', () => {
    expect(canonicaliseGmail('+tag@gmail.com').ok).toBe(false)
    expect(canonicaliseGmail('...@gmail.com').ok).toBe(false)
  })
})
