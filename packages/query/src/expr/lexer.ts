import { AppError } from '@ahub/core'
import type { Pos } from './ast'

export type TokenType = 'number' | 'string' | 'ident' | 'keyword' | 'punct' | 'eof'

export interface Token {
  type: TokenType
  text: string
  /** The string literal's value (quotes removed, '' unescaped). */
  value: string
  pos: Pos
}

export const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'case',
  'when',
  'then',
  'else',
  'end',
  'true',
  'false',
  'null',
  'in',
  'is',
  'where',
  'over',
  'partition',
  'by',
  'order',
  'asc',
  'desc',
  'date',
  'timestamp',
])

const PUNCT = ['!=', '<>', '<=', '>=', '(', ')', ',', '.', '+', '-', '*', '/', '%', '=', '<', '>']

/** Throws an EXPR_PARSE error located at `pos`. */
export function parseError(message: string, pos: Pos): never {
  throw new AppError('EXPR_PARSE', `${message} at line ${pos.line}, column ${pos.column}`, {
    details: { line: pos.line, column: pos.column },
  })
}

/** Splits expression text into tokens; keywords are case-insensitive, identifiers are not. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  let line = 1
  let lineStart = 0
  const pos = (at: number): Pos => ({ line, column: at - lineStart + 1 })
  while (i < text.length) {
    const c = text[i]!
    if (c === '\n') {
      i++
      line++
      lineStart = i
      continue
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++
      continue
    }
    const start = i
    if (/[0-9]/.test(c)) {
      while (i < text.length && /[0-9]/.test(text[i]!)) i++
      if (text[i] === '.' && /[0-9]/.test(text[i + 1] ?? '')) {
        i++
        while (i < text.length && /[0-9]/.test(text[i]!)) i++
      }
      if ((text[i] === 'e' || text[i] === 'E') && /[0-9+-]/.test(text[i + 1] ?? '')) {
        i += 2
        while (i < text.length && /[0-9]/.test(text[i]!)) i++
      }
      if (/[A-Za-z_]/.test(text[i] ?? ''))
        parseError(`Unexpected character "${text[i]}" after a number`, pos(i))
      const t = text.slice(start, i)
      tokens.push({ type: 'number', text: t, value: t, pos: pos(start) })
      continue
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++
      const t = text.slice(start, i)
      const lower = t.toLowerCase()
      const isKeyword = KEYWORDS.has(lower)
      tokens.push({
        type: isKeyword ? 'keyword' : 'ident',
        text: isKeyword ? lower : t,
        value: t,
        pos: pos(start),
      })
      continue
    }
    if (c === "'") {
      const p = pos(start)
      let value = ''
      i++
      for (;;) {
        if (i >= text.length) parseError('Unterminated string', p)
        const ch = text[i]!
        if (ch === "'") {
          if (text[i + 1] === "'") {
            value += "'"
            i += 2
            continue
          }
          i++
          break
        }
        if (ch === '\n') {
          line++
          lineStart = i + 1
        }
        value += ch
        i++
      }
      tokens.push({ type: 'string', text: text.slice(start, i), value, pos: p })
      continue
    }
    const punct = PUNCT.find((p) => text.startsWith(p, i))
    if (punct === undefined) parseError(`Unexpected character "${c}"`, pos(i))
    i += punct.length
    tokens.push({ type: 'punct', text: punct === '<>' ? '!=' : punct, value: punct, pos: pos(start) })
  }
  tokens.push({ type: 'eof', text: '', value: '', pos: pos(i) })
  return tokens
}
