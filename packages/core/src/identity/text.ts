/**
 * Characters `String.prototype.trim` removes: the ECMAScript white space and line terminators.
 * SQL ingestion passes them to `trim(value, characters)` so that both sides trim exactly alike.
 */
export const TRIM_CHARACTERS =
  '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'

/** True when `s` holds a control character (Unicode category Cc: U+0000-U+001F, U+007F-U+009F). */
export function hasControlCharacter(s: string): boolean {
  // A loop over char codes: no regex state, no allocation, and Biome rejects control characters in regexes.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true
  }
  return false
}

/**
 * True when `s` has more than `max` Unicode code points, the unit of SQL `length()`. Only counts when the
 * UTF-16 length is above `max`, so the usual short value costs one comparison.
 */
export function longerThan(s: string, max: number): boolean {
  if (s.length <= max) return false
  let count = 0
  for (let i = 0; i < s.length; i++) {
    // The low half of a surrogate pair belongs to the code point its high half started.
    const c = s.charCodeAt(i)
    if ((c & 0xfc00) === 0xdc00 && i > 0 && (s.charCodeAt(i - 1) & 0xfc00) === 0xd800) continue
    if (++count > max) return true
  }
  return false
}
