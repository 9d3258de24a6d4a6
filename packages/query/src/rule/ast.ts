import { z } from 'zod'
import { OPERATORS } from './operators'

/** A value placeholder in a saved filter's rule, replaced by the caller's argument. */
export const ParamRef = z.object({ param: z.string().min(1).max(63) }).strict()
export type ParamRef = z.infer<typeof ParamRef>

/** A literal value in a condition: dates and timestamps are ISO strings. */
export const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()])
export type Scalar = z.infer<typeof Scalar>

export const Value = z.union([Scalar, ParamRef])
export type Value = z.infer<typeof Value>

export { OPERATORS }
export const Operator = z.enum(OPERATORS)
export type Operator = z.infer<typeof Operator>

export const DATE_UNITS = ['days', 'weeks', 'months', 'years'] as const
export const DateUnit = z.enum(DATE_UNITS)
export type DateUnit = z.infer<typeof DateUnit>

export const CALENDAR_PRESETS = [
  'today',
  'yesterday',
  'tomorrow',
  'this week',
  'this month',
  'this year',
  'last week',
  'last month',
  'last year',
] as const

/**
 * A period relative to the evaluation time (`ctx.asOf`, UTC):
 * a calendar period, `last N units` (at or after asOf - N), `next N units` (from asOf, before asOf + N),
 * or `before N units ago` (strictly before asOf - N).
 */
export const RelativeDate = z.union([
  z.object({ preset: z.enum(CALENDAR_PRESETS) }).strict(),
  z
    .object({
      preset: z.enum(['last', 'next', 'before']),
      n: z.number().int().min(0).max(100_000),
      unit: DateUnit,
    })
    .strict(),
])
export type RelativeDate = z.infer<typeof RelativeDate>

/** `field op value`; `field` is a column of the current table or a path through 1-1 / N-1 links. */
export const Condition = z
  .object({
    kind: z.literal('condition'),
    field: z.string().min(1).max(500),
    op: Operator,
    value: Value.optional(),
    values: z.array(Value).optional(),
    from: Value.optional(),
    to: Value.optional(),
    date: RelativeDate.optional(),
  })
  .strict()
export type Condition = z.infer<typeof Condition>

export const AGGREGATE_FNS = ['exists', 'not exists', 'count', 'sum', 'avg', 'min', 'max'] as const
export const AggregateFn = z.enum(AGGREGATE_FNS)
export type AggregateFn = z.infer<typeof AggregateFn>

export const COMPARISONS = ['=', '!=', '>', '<', '>=', '<='] as const
export const Comparison = z.enum(COMPARISONS)
export type Comparison = z.infer<typeof Comparison>

export const Aggregate = z
  .object({
    fn: AggregateFn,
    field: z.string().min(1).max(500).optional(),
    op: Comparison.optional(),
    value: Value.optional(),
  })
  .strict()
export type Aggregate = z.infer<typeof Aggregate>

export const InAudience = z
  .object({
    kind: z.literal('audience'),
    audience: z.string().min(1).max(200),
    negate: z.boolean().optional(),
  })
  .strict()
export type InAudience = z.infer<typeof InAudience>

export const SavedFilterRef = z
  .object({
    kind: z.literal('filter'),
    name: z.string().min(1).max(200),
    params: z.record(z.string(), Value).optional(),
  })
  .strict()
export type SavedFilterRef = z.infer<typeof SavedFilterRef>

export const ExpressionCondition = z
  .object({
    kind: z.literal('expression'),
    expression: z.string().min(1),
  })
  .strict()
export type ExpressionCondition = z.infer<typeof ExpressionCondition>

export const GROUP_OPS = ['and', 'or', 'except'] as const

export interface Group {
  kind: 'group'
  op: 'and' | 'or' | 'except'
  children: RuleNode[]
}

/** A 1-N link: sub-conditions on the linked rows plus an aggregate compared to a value. */
export interface LinkCondition {
  kind: 'link'
  link: string
  where?: RuleNode
  aggregate: Aggregate
}

export type RuleNode = Condition | Group | LinkCondition | InAudience | SavedFilterRef | ExpressionCondition
export type Rule = RuleNode
export type RuleKind = RuleNode['kind']

/** Shallow shapes: children are checked one node at a time by the validator (no deep recursion). */
export const GroupShape = z
  .object({ kind: z.literal('group'), op: z.enum(GROUP_OPS), children: z.array(z.unknown()) })
  .strict()
export const LinkShape = z
  .object({
    kind: z.literal('link'),
    link: z.string().min(1).max(500),
    where: z.unknown().optional(),
    aggregate: Aggregate,
  })
  .strict()

export const RuleNode: z.ZodType<RuleNode> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    Condition,
    GroupShape.extend({ children: z.array(RuleNode) }),
    LinkShape.extend({ where: RuleNode.optional() }),
    InAudience,
    SavedFilterRef,
    ExpressionCondition,
  ]),
)

/** The rule JSON the UI builds and the API accepts: its root is any rule node. */
export const Rule: z.ZodType<Rule> = RuleNode

/** Shallow shape per node kind, used by the iterative validator. */
export const NODE_SHAPES = {
  condition: Condition,
  group: GroupShape,
  link: LinkShape,
  audience: InAudience,
  filter: SavedFilterRef,
  expression: ExpressionCondition,
} as const
