import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { AppError, ERROR_CODES, ISSUE_CODES } from './errors'

describe('error codes', () => {
  it('are all documented in docs/errors.md', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)), 'utf8')
    const missing = Object.keys(ERROR_CODES).filter((code) => !doc.includes(`\`${code}\``))
    expect(missing).toEqual([])
  })

  it('of single issues are all documented in the Issue codes section of docs/errors.md', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)), 'utf8')
    const section = doc.split('## Issue codes')[1]?.split('\n## ')[0]?.split('Row-level problems')[0] ?? ''
    const missing = Object.keys(ISSUE_CODES).filter((code) => !section.includes(`| \`${code}\``))
    expect(missing).toEqual([])
    // A finer code is not an error code too: one meaning per code.
    expect(Object.keys(ISSUE_CODES).filter((code) => code in ERROR_CODES)).toEqual([])
  })

  it('serialise as { code, message, details } and keep their cause', () => {
    const cause = new Error('driver said no')
    const e = new AppError('SCHEMA_INVALID', 'bad', { details: { issues: [] }, cause })
    expect(JSON.parse(JSON.stringify(e))).toEqual({
      code: 'SCHEMA_INVALID',
      message: 'bad',
      details: { issues: [] },
    })
    expect(e.cause).toBe(cause)
  })
})
