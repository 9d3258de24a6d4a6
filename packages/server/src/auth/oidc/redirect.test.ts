import { describe, expect, it } from 'vitest'
import { safeRedirect } from './redirect'

const ORIGIN = 'http://127.0.0.1:8080'

describe('safeRedirect', () => {
  it.each([
    ['/audiences', '/audiences'],
    ['/audiences?page=2#top', '/audiences?page=2#top'],
    ['/a/../campaigns', '/campaigns'],
    ['/caf\u00e9', '/caf%C3%A9'],
    // Encoded, the slash stays a character of the path: the browser stays here.
    ['/%2F/evil.example', '/%2F/evil.example'],
  ])('keeps the same-origin path %j', (input, expected) => {
    expect(safeRedirect(input, ORIGIN)).toBe(expected)
  })

  it.each([
    undefined,
    '',
    'audiences',
    'https://evil.example/x',
    'javascript:alert(1)',
    '//evil.example/x',
    // Browsers drop tabs and newlines, and read `\` as `/`: each of these is `//evil.example`.
    '/\t/evil.example/x',
    '/\n/evil.example/x',
    '/\r\n/evil.example',
    '/\\evil.example/x',
    '/\\/evil.example',
    // Normalised by the URL parser into `//evil.example`.
    '/x/..//evil.example',
    // Header injection and NUL.
    '/a\nSet-Cookie: x=1',
    '/a\u0000b',
  ])('sends %j to /', (input) => {
    expect(safeRedirect(input, ORIGIN)).toBe('/')
  })
})
