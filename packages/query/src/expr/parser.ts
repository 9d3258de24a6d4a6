import { AppError } from '@ahub/core'
import { MAX_STRING_VALUE, parseDate, parseTimestamp } from '../rule/values'
import type { BinaryOp, Expr, OrderKey, Pos, WindowSpec } from './ast'
import { parseError, type Token, tokenize } from './lexer'

/** Deepest nesting the parser accepts; deeper input is refused instead of overflowing the stack. */
export const MAX_EXPR_DEPTH = 100

const BINARY: Record<string, { prec: number; op: BinaryOp }> = {
  or: { prec: 1, op: 'or' },
  and: { prec: 2, op: 'and' },
  '=': { prec: 4, op: '=' },
  '!=': { prec: 4, op: '!=' },
  '<': { prec: 4, op: '<' },
  '<=': { prec: 4, op: '<=' },
  '>': { prec: 4, op: '>' },
  '>=': { prec: 4, op: '>=' },
  '+': { prec: 5, op: '+' },
  '-': { prec: 5, op: '-' },
  '*': { prec: 6, op: '*' },
  '/': { prec: 6, op: '/' },
  '%': { prec: 6, op: '%' },
}
const NOT_PREC = 3
const CMP_PREC = 4
const UNARY_PREC = 7

class Parser {
  private i = 0
  private depth = 0

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!
  }

  private next(): Token {
    const t = this.tokens[this.i]!
    if (t.type !== 'eof') this.i++
    return t
  }

  private is(text: string): boolean {
    const t = this.peek()
    return (t.type === 'keyword' || t.type === 'punct') && t.text === text
  }

  private accept(text: string): boolean {
    if (!this.is(text)) return false
    this.i++
    return true
  }

  private expect(text: string): Token {
    const t = this.peek()
    if (!this.is(text)) parseError(`Expected "${text}" but found ${describe(t)}`, t.pos)
    return this.next()
  }

  parseAll(): Expr {
    const e = this.expr(0)
    const t = this.peek()
    if (t.type !== 'eof') parseError(`Unexpected ${describe(t)}`, t.pos)
    return e
  }

  expr(minPrec: number): Expr {
    if (++this.depth > MAX_EXPR_DEPTH) {
      const p = this.peek().pos
      throw new AppError('RULE_TOO_DEEP', `Expression nested deeper than ${MAX_EXPR_DEPTH} levels`, {
        details: { line: p.line, column: p.column },
      })
    }
    let left = this.prefix()
    for (;;) {
      const t = this.peek()
      if (t.type === 'keyword' && (t.text === 'in' || t.text === 'not' || t.text === 'is')) {
        if (minPrec >= CMP_PREC) break
        left = this.postfixPredicate(left)
        continue
      }
      const bin =
        (t.type === 'keyword' || t.type === 'punct') && Object.hasOwn(BINARY, t.text)
          ? BINARY[t.text]
          : undefined
      if (bin === undefined || bin.prec <= minPrec) break
      this.next()
      const right = this.expr(bin.prec)
      left = freeze({ kind: 'binary', op: bin.op, left, right, pos: t.pos })
    }
    this.depth--
    return left
  }

  private postfixPredicate(left: Expr): Expr {
    const t = this.next()
    if (t.text === 'is') {
      const negate = this.accept('not')
      this.expect('null')
      return freeze({ kind: 'isNull', operand: left, negate, pos: t.pos })
    }
    const negate = t.text === 'not'
    if (negate) this.expect('in')
    this.expect('(')
    const list: Expr[] = [this.expr(0)]
    while (this.accept(',')) list.push(this.expr(0))
    this.expect(')')
    return freeze({ kind: 'in', operand: left, list, negate, pos: t.pos })
  }

  private prefix(): Expr {
    const t = this.next()
    switch (t.type) {
      case 'number': {
        const value = Number(t.text)
        if (!Number.isFinite(value)) parseError(`Number out of range "${t.text}"`, t.pos)
        const integer = /^[0-9]+$/.test(t.text)
        if (integer && !Number.isSafeInteger(value)) parseError(`Integer out of range "${t.text}"`, t.pos)
        return freeze({ kind: 'literal', type: 'number', value, integer, pos: t.pos })
      }
      case 'string':
        if (t.value.length > MAX_STRING_VALUE)
          throw new AppError(
            'RULE_VALUE_TOO_LARGE',
            `String literal longer than ${MAX_STRING_VALUE} characters`,
            {
              details: { line: t.pos.line, column: t.pos.column },
            },
          )
        return freeze({ kind: 'literal', type: 'string', value: t.value, pos: t.pos })
      case 'ident':
        return this.identifier(t)
      case 'punct':
        if (t.text === '(') {
          const e = this.expr(0)
          this.expect(')')
          return e
        }
        if (t.text === '-')
          return freeze({ kind: 'unary', op: '-', operand: this.expr(UNARY_PREC), pos: t.pos })
        if (t.text === '+') return this.expr(UNARY_PREC)
        return parseError(`Unexpected ${describe(t)}`, t.pos)
      case 'keyword':
        return this.keyword(t)
      case 'eof':
        return parseError('Unexpected end of expression', t.pos)
    }
  }

  private keyword(t: Token): Expr {
    switch (t.text) {
      case 'true':
      case 'false':
        return freeze({ kind: 'literal', type: 'boolean', value: t.text === 'true', pos: t.pos })
      case 'null':
        return freeze({ kind: 'literal', type: 'null', value: null, pos: t.pos })
      case 'not':
        return freeze({ kind: 'unary', op: 'not', operand: this.expr(NOT_PREC - 1), pos: t.pos })
      case 'date':
      case 'timestamp': {
        const s = this.peek()
        if (s.type !== 'string') return parseError(`Expected a quoted ${t.text} after "${t.text}"`, s.pos)
        this.next()
        const d = t.text === 'date' ? parseDate(s.value) : parseTimestamp(s.value)
        if (d === undefined)
          throw new AppError(
            'RULE_BAD_DATE',
            `"${s.value.slice(0, 40)}" is not a valid ${t.text} at line ${s.pos.line}, column ${s.pos.column}`,
            {
              details: { line: s.pos.line, column: s.pos.column },
            },
          )
        return freeze({ kind: 'literal', type: t.text, value: s.value, pos: t.pos })
      }
      case 'case':
        return this.caseExpr(t.pos)
      default:
        return parseError(`Unexpected keyword "${t.text}"`, t.pos)
    }
  }

  private caseExpr(pos: Pos): Expr {
    const whens: { when: Expr; result: Expr }[] = []
    while (this.accept('when')) {
      const when = this.expr(0)
      this.expect('then')
      whens.push({ when, result: this.expr(0) })
    }
    if (whens.length === 0) parseError('Expected "when" after "case"', this.peek().pos)
    const otherwise = this.accept('else') ? this.expr(0) : undefined
    this.expect('end')
    return freeze({ kind: 'case', whens, else: otherwise, pos })
  }

  private identifier(t: Token): Expr {
    if (this.is('(')) return this.call(t)
    const path = [t.value]
    while (this.accept('.')) {
      const p = this.next()
      if (p.type !== 'ident' && p.type !== 'keyword')
        parseError(`Expected a field name after "." but found ${describe(p)}`, p.pos)
      path.push(p.value)
    }
    return freeze({ kind: 'field', path, pos: t.pos })
  }

  private call(name: Token): Expr {
    this.expect('(')
    const args: Expr[] = []
    if (!this.is(')')) {
      args.push(this.expr(0))
      while (this.accept(',')) args.push(this.expr(0))
    }
    const where = this.accept('where') ? this.expr(0) : undefined
    this.expect(')')
    let over: WindowSpec | undefined
    if (this.accept('over')) over = this.windowSpec()
    return freeze({ kind: 'call', name: name.value, args, where, over, pos: name.pos })
  }

  private windowSpec(): WindowSpec {
    this.expect('(')
    const partitionBy: Expr[] = []
    const orderBy: OrderKey[] = []
    if (this.accept('partition')) {
      this.expect('by')
      partitionBy.push(this.expr(0))
      while (this.accept(',')) partitionBy.push(this.expr(0))
    }
    if (this.accept('order')) {
      this.expect('by')
      do {
        const expr = this.expr(0)
        const desc = this.accept('desc')
        if (!desc) this.accept('asc')
        orderBy.push({ expr, desc })
      } while (this.accept(','))
    }
    this.expect(')')
    return { partitionBy, orderBy }
  }
}

function describe(t: Token): string {
  if (t.type === 'eof') return 'the end of the expression'
  return `"${t.text.slice(0, 40)}"`
}

function freeze<T extends Expr>(e: T): T {
  return Object.freeze(e)
}

/** Parses expression text into an AST; errors are AppError('EXPR_PARSE') with details { line, column }. */
export function parseExpression(text: string): Expr {
  if (text.length > MAX_STRING_VALUE)
    throw new AppError('RULE_VALUE_TOO_LARGE', `Expression longer than ${MAX_STRING_VALUE} characters`, {
      details: { line: 1, column: 1 },
    })
  const expr = new Parser(tokenize(text)).parseAll()
  checkHeight(expr)
  return expr
}

/** The direct sub-expressions of a node. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'literal':
    case 'field':
      return []
    case 'unary':
    case 'isNull':
      return [e.operand]
    case 'binary':
      return [e.left, e.right]
    case 'in':
      return [e.operand, ...e.list]
    case 'case':
      return [...e.whens.flatMap((w) => [w.when, w.result]), ...(e.else ? [e.else] : [])]
    case 'call':
      return [
        ...e.args,
        ...(e.where ? [e.where] : []),
        ...(e.over ? [...e.over.partitionBy, ...e.over.orderBy.map((k) => k.expr)] : []),
      ]
  }
}

/**
 * Refuses a tree higher than MAX_EXPR_DEPTH, walking it without recursion: the parser reads
 * `1 + 1 + ...` in a loop, but the tree it builds is one level deeper per term, and every later
 * stage (type checker, planner, printer, the engine) recurses over it.
 */
function checkHeight(root: Expr): void {
  const stack: { e: Expr; depth: number }[] = [{ e: root, depth: 1 }]
  while (stack.length > 0) {
    const { e, depth } = stack.pop()!
    if (depth > MAX_EXPR_DEPTH)
      throw new AppError(
        'RULE_TOO_DEEP',
        `Expression nested deeper than ${MAX_EXPR_DEPTH} levels (a chain of n operators counts n levels)`,
        { details: { line: e.pos.line, column: e.pos.column } },
      )
    for (const c of children(e)) stack.push({ e: c, depth: depth + 1 })
  }
}
