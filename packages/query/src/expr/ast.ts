/** Where a node starts in the expression text (1-based line and column). */
export interface Pos {
  line: number
  column: number
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or'

export interface OrderKey {
  expr: Expr
  desc: boolean
}

/** `over (partition by a, b order by c desc)` of a window function. */
export interface WindowSpec {
  partitionBy: Expr[]
  orderBy: OrderKey[]
}

export type Expr =
  | { kind: 'literal'; type: 'number'; value: number; integer: boolean; pos: Pos }
  | { kind: 'literal'; type: 'string'; value: string; pos: Pos }
  | { kind: 'literal'; type: 'boolean'; value: boolean; pos: Pos }
  | { kind: 'literal'; type: 'null'; value: null; pos: Pos }
  | { kind: 'literal'; type: 'date'; value: string; pos: Pos }
  | { kind: 'literal'; type: 'timestamp'; value: string; pos: Pos }
  | { kind: 'field'; path: string[]; pos: Pos }
  | { kind: 'unary'; op: '-' | 'not'; operand: Expr; pos: Pos }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: Pos }
  | { kind: 'in'; operand: Expr; list: Expr[]; negate: boolean; pos: Pos }
  | { kind: 'isNull'; operand: Expr; negate: boolean; pos: Pos }
  | { kind: 'case'; whens: { when: Expr; result: Expr }[]; else: Expr | undefined; pos: Pos }
  | {
      kind: 'call'
      name: string
      args: Expr[]
      /** Filter of an aggregate over a 1-N link: `sum(purchases.amount where category = 'books')`. */
      where: Expr | undefined
      over: WindowSpec | undefined
      pos: Pos
    }

export type ExprKind = Expr['kind']
