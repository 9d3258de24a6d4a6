import { AppError } from '@ahub/core'
import { describe, expect, it } from 'vitest'
import type { Expr } from './ast'
import { parseExpression } from './parser'

/** A compact Lisp-like rendering, so tests show the tree shape without positions. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return e.type === 'string'
        ? `'${e.value}'`
        : e.type === 'date' || e.type === 'timestamp'
          ? `${e.type}'${e.value}'`
          : String(e.value)
    case 'field':
      return e.path.join('.')
    case 'unary':
      return `(${e.op} ${show(e.operand)})`
    case 'binary':
      return `(${e.op} ${show(e.left)} ${show(e.right)})`
    case 'in':
      return `(${e.negate ? 'not in' : 'in'} ${show(e.operand)} ${e.list.map(show).join(' ')})`
    case 'isNull':
      return `(${e.negate ? 'is not null' : 'is null'} ${show(e.operand)})`
    case 'case':
      return `(case ${e.whens.map((w) => `[${show(w.when)} ${show(w.result)}]`).join(' ')}${e.else ? ` else ${show(e.else)}` : ''})`
    case 'call': {
      const where = e.where ? ` where ${show(e.where)}` : ''
      const over = e.over
        ? ` over(${e.over.partitionBy.map(show).join(' ')} | ${e.over.orderBy.map((o) => `${show(o.expr)}${o.desc ? ' desc' : ''}`).join(' ')})`
        : ''
      return `${e.name}(${e.args.map(show).join(' ')}${where})${over}`
    }
  }
}

function parseError(text: string): AppError {
  try {
    parseExpression(text)
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error(`expected ${text} to fail`)
}

describe('parseExpression', () => {
  it.each([
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
    ['-a.b - 2', '(- (- a.b) 2)'],
    ['10 % 3 / 2', '(/ (% 10 3) 2)'],
    ['2.5e3', '2500'],
    ["'it''s'", "'it's'"],
    ['true and not false or null', '(or (and true (not false)) null)'],
    ['not a = 1 and b', '(and (not (= a 1)) b)'],
    ['a <> 1', '(!= a 1)'],
    ['a >= 1 and a <= 2 or a != 3', '(or (and (>= a 1) (<= a 2)) (!= a 3))'],
    ["country in ('FR', 'DE')", "(in country 'FR' 'DE')"],
    ['x not in (1)', '(not in x 1)'],
    ['x is null or y is not null', '(or (is null x) (is not null y))'],
    [
      "date'2026-01-01' < timestamp'2026-01-01T10:00:00Z'",
      "(< date'2026-01-01' timestamp'2026-01-01T10:00:00Z')",
    ],
    [
      "CASE WHEN a > 1 THEN 'big' WHEN a > 0 THEN 'small' ELSE 'none' END",
      "(case [(> a 1) 'big'] [(> a 0) 'small'] else 'none')",
    ],
    ['case when a then 1 end', '(case [a 1])'],
    ['lower(trim(email))', 'lower(trim(email))'],
    ['now()', 'now()'],
    ["dateAdd('day', -3, now())", "dateAdd('day' (- 3) now())"],
    ['count(purchases)', 'count(purchases)'],
    [
      "sum(purchases.amount where category = 'books' and amount > 10)",
      "sum(purchases.amount where (and (= category 'books') (> amount 10)))",
    ],
    [
      'rank() over (partition by country order by created_at desc, profile_id)',
      'rank() over(country | created_at desc profile_id)',
    ],
    ['rowNumber() over (order by x asc)', 'rowNumber() over( | x)'],
    ['address.city', 'address.city'],
    ['a\n  +\n  b', '(+ a b)'],
  ])('%s', (text, tree) => {
    expect(show(parseExpression(text))).toBe(tree)
  })

  it('records line and column of nodes', () => {
    const e = parseExpression('1 +\n  foo')
    expect(e.kind === 'binary' && e.right.pos).toEqual({ line: 2, column: 3 })
  })

  it('returns frozen nodes', () => {
    expect(Object.isFrozen(parseExpression('a + 1'))).toBe(true)
  })

  it.each([
    ['1 +', 1, 4, 'EXPR_PARSE'],
    ['a +\n  * b', 2, 3, 'EXPR_PARSE'],
    ["'abc", 1, 1, 'EXPR_PARSE'],
    ['a $ b', 1, 3, 'EXPR_PARSE'],
    ['f(1, 2', 1, 7, 'EXPR_PARSE'],
    ['case when a then 1', 1, 19, 'EXPR_PARSE'],
    ['case end', 1, 6, 'EXPR_PARSE'],
    ['a in 1', 1, 6, 'EXPR_PARSE'],
    ['1 2', 1, 3, 'EXPR_PARSE'],
    ['12abc', 1, 3, 'EXPR_PARSE'],
    ['x is 1', 1, 6, 'EXPR_PARSE'],
    ["date'2026-02-30'", 1, 5, 'RULE_BAD_DATE'],
    ['date 5', 1, 6, 'EXPR_PARSE'],
    ['rank() over (order x)', 1, 20, 'EXPR_PARSE'],
    ['99999999999999999999', 1, 1, 'EXPR_PARSE'],
    ['', 1, 1, 'EXPR_PARSE'],
  ])('refuses %j with line/column', (text, line, column, code) => {
    const e = parseError(text)
    expect(e.code).toBe(code)
    expect(e.details).toEqual({ line, column })
  })

  it('refuses deep nesting without overflowing the stack', () => {
    const e = parseError(`${'('.repeat(20_000)}1${')'.repeat(20_000)}`)
    expect(e.code).toBe('RULE_TOO_DEEP')
    expect(parseError('- '.repeat(20_000).concat('1')).code).toBe('RULE_TOO_DEEP')
    expect(parseError('not '.repeat(10_000).concat('true')).code).toBe('RULE_TOO_DEEP')
  })

  it('refuses texts over 64 KiB', () => {
    expect(parseError(`'${'x'.repeat(1_000_000)}'`).code).toBe('RULE_VALUE_TOO_LARGE')
  })

  it('parses a flat chain of 100 terms, and refuses a longer one (its tree is one level per term)', () => {
    const chain = (n: number) => Array.from({ length: n }, (_, i) => `a${i}`).join(' + ')
    expect(parseExpression(chain(100)).kind).toBe('binary')
    for (const n of [101, 2_000, 5_000]) expect(parseError(chain(n)).code).toBe('RULE_TOO_DEEP')
    expect(parseError(`${'1 + '.repeat(10_000)}1 > 0`).details).toMatchObject({ line: 1 })
  })
})
