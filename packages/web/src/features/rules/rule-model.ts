import type { Condition, Group, LinkCondition, RelativeDate, RuleNode } from '@ahub/query'
import { OPERATORS_BY_TYPE as BY_TYPE } from '@ahub/query/operators'

/**
 * The rule builder's editing model: the rule JSON itself (docs/rules.md), changed through pure,
 * immutable operations addressed by a path. Nothing is added to the JSON for editing, so a rule
 * made elsewhere (the CLI, the API) opens and is saved back exactly as it was.
 */
export type { Condition, Group, LinkCondition, RelativeDate, RuleNode }

/** A step from a node to one inside it: a group's child index, or a link's `where`. */
export type PathStep = number | 'where'
export type NodePath = readonly PathStep[]

export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'enum'

/** The node at `path`, or undefined when the path leads nowhere. */
export function nodeAt(rule: RuleNode, path: NodePath): RuleNode | undefined {
  let node: RuleNode | undefined = rule
  for (const step of path) {
    if (!node) return undefined
    if (step === 'where') node = node.kind === 'link' ? node.where : undefined
    else node = node.kind === 'group' ? node.children[step] : undefined
  }
  return node
}

/** The rule with the node at `path` replaced by `update(node)`. */
export function updateAt(rule: RuleNode, path: NodePath, update: (node: RuleNode) => RuleNode): RuleNode {
  if (path.length === 0) return update(rule)
  const [step, ...rest] = path
  if (step === 'where') {
    if (rule.kind !== 'link' || !rule.where) throw new Error(`No where at ${String(step)}`)
    return { ...rule, where: updateAt(rule.where, rest, update) }
  }
  if (rule.kind !== 'group' || step === undefined || !rule.children[step]) throw new Error(`No child ${step}`)
  const children = rule.children.slice()
  children[step] = updateAt(children[step]!, rest, update)
  return { ...rule, children }
}

/** The rule with a node appended to the group at `groupPath` (a non-group there is wrapped in an AND group with it). */
export function addTo(rule: RuleNode, groupPath: NodePath, node: RuleNode): RuleNode {
  return updateAt(rule, groupPath, (target) =>
    target.kind === 'group'
      ? { ...target, children: [...target.children, node] }
      : { kind: 'group', op: 'and', children: [target, node] },
  )
}

/**
 * The rule without the node at `path`. A link's `where` is dropped; the root becomes an empty
 * AND group; a group left with one child keeps it (the user may add more).
 */
export function removeAt(rule: RuleNode, path: NodePath): RuleNode {
  if (path.length === 0) return emptyRule()
  const parentPath = path.slice(0, -1)
  const last = path[path.length - 1]!
  return updateAt(rule, parentPath, (parent) => {
    if (last === 'where') {
      if (parent.kind !== 'link') return parent
      const { where: _dropped, ...rest } = parent
      return rest
    }
    if (parent.kind !== 'group') return parent
    return { ...parent, children: parent.children.filter((_, i) => i !== last) }
  })
}

/** The rule with the node at `path` wrapped in a new group of `op`. */
export function wrapInGroup(rule: RuleNode, path: NodePath, op: Group['op'] = 'or'): RuleNode {
  return updateAt(rule, path, (node) => ({ kind: 'group', op, children: [node] }))
}

/** A rule that selects nothing yet: an AND group waiting for conditions. */
export function emptyRule(): Group {
  return { kind: 'group', op: 'and', children: [] }
}

/** Every path in a rule, depth first (the root's is `[]`). */
export function allPaths(rule: RuleNode, prefix: NodePath = []): NodePath[] {
  const paths: NodePath[] = [prefix]
  if (rule.kind === 'group')
    for (const [i, c] of rule.children.entries()) paths.push(...allPaths(c, [...prefix, i]))
  if (rule.kind === 'link' && rule.where) paths.push(...allPaths(rule.where, [...prefix, 'where']))
  return paths
}

/** The node path of an issue's JSON path (`['children', 1, 'where', 'field']` → `[1, 'where']`). */
export function issueNodePath(jsonPath: readonly (string | number)[]): NodePath {
  const path: PathStep[] = []
  for (let i = 0; i < jsonPath.length; i++) {
    const step = jsonPath[i]
    if (step === 'children' && typeof jsonPath[i + 1] === 'number') {
      path.push(jsonPath[i + 1] as number)
      i++
    } else if (step === 'where') path.push('where')
    else break
  }
  return path
}

export function samePath(a: NodePath, b: NodePath): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i])
}

/** Operators by field type: the compiler's own lists (docs/rules.md). */
export const OPERATORS_BY_TYPE: Record<FieldType, readonly Condition['op'][]> = BY_TYPE

/** What a condition's operator expects: one value, a list, a range, a relative period, or nothing. */
export type ValueShape = 'value' | 'values' | 'range' | 'period' | 'none'

/** The operator choice as the builder shows it: relative periods are `=` / `!=` with a `date`. */
export type OperatorChoice = Condition['op'] | 'in period' | 'not in period'

export function operatorChoices(type: FieldType): OperatorChoice[] {
  const ops: OperatorChoice[] = [...OPERATORS_BY_TYPE[type]]
  if (type === 'date' || type === 'timestamp') ops.push('in period', 'not in period')
  return ops
}

/** The builder's operator choice of a condition. */
export function operatorChoiceOf(c: Condition): OperatorChoice {
  if (c.date) return c.op === '!=' ? 'not in period' : 'in period'
  return c.op
}

export function shapeOf(choice: OperatorChoice): ValueShape {
  if (choice === 'in period' || choice === 'not in period') return 'period'
  if (choice === 'in' || choice === 'not in') return 'values'
  if (choice === 'between') return 'range'
  if (choice === 'is empty' || choice === 'is not empty') return 'none'
  return 'value'
}

type Scalar = string | number | boolean | null

function firstScalar(c: Condition): Scalar | undefined {
  const candidates = [c.value, c.values?.[0], c.from]
  for (const v of candidates) if (v !== undefined && (v === null || typeof v !== 'object')) return v
  return undefined
}

/** The condition with another operator; the value is kept when the new operator takes the same shape. */
export function withOperator(c: Condition, choice: OperatorChoice): Condition {
  const shape = shapeOf(choice)
  const base = { kind: 'condition' as const, field: c.field }
  const first = firstScalar(c)
  switch (shape) {
    case 'period':
      return {
        ...base,
        op: choice === 'not in period' ? '!=' : '=',
        date: c.date ?? { preset: 'last', n: 30, unit: 'days' },
      }
    case 'values':
      return {
        ...base,
        op: choice as Condition['op'],
        values: c.values ?? (first === undefined ? [] : [first]),
      }
    case 'range':
      return { ...base, op: 'between', from: c.from ?? first ?? '', to: c.to ?? '' }
    case 'none':
      return { ...base, op: choice as Condition['op'] }
    case 'value':
      return { ...base, op: choice as Condition['op'], value: first ?? '' }
  }
}

/** A new condition on `field` of `type`, with the first operator of its type. */
export function newCondition(field: string, type: FieldType, enumValues?: readonly string[]): Condition {
  if (type === 'boolean') return { kind: 'condition', field, op: '=', value: true }
  if (type === 'enum') return { kind: 'condition', field, op: '=', value: enumValues?.[0] ?? '' }
  if (type === 'date' || type === 'timestamp')
    return { kind: 'condition', field, op: '=', date: { preset: 'last', n: 30, unit: 'days' } }
  return { kind: 'condition', field, op: '=', value: type === 'integer' || type === 'number' ? 0 : '' }
}

/**
 * The condition moved to another field: operator and value kept when the field has the same type
 * (`previousType`), else the new type's first operator ("in the last 30 days" for dates).
 */
export function withField(
  c: Condition,
  field: string,
  type: FieldType,
  enumValues?: readonly string[],
  previousType?: FieldType,
): Condition {
  if (previousType === type && operatorChoices(type).includes(operatorChoiceOf(c))) return { ...c, field }
  return newCondition(field, type, enumValues)
}

/** Text typed in a value box, as the JSON value for the field's type (numbers stay numbers). */
export function parseInput(text: string, type: FieldType): Scalar {
  if ((type === 'integer' || type === 'number') && text.trim() !== '' && Number.isFinite(Number(text)))
    return Number(text)
  if (type === 'boolean') return text === 'true'
  return text
}

/** A value as text for its input box. */
export function formatInput(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

export const AGGREGATES = ['exists', 'not exists', 'count', 'sum', 'avg', 'min', 'max'] as const
export const COMPARISONS = ['=', '!=', '>', '<', '>=', '<='] as const

/** A new link on a 1-N relationship: "at least one". */
export function newLink(link: string): LinkCondition {
  return { kind: 'link', link, aggregate: { fn: 'exists' } }
}

/** The link with another aggregate: exists / not exists take nothing, count a threshold, the others a field too. */
export function withAggregate(
  l: LinkCondition,
  fn: LinkCondition['aggregate']['fn'],
  numericField?: string,
): LinkCondition {
  if (fn === 'exists' || fn === 'not exists') return { ...l, aggregate: { fn } }
  const op = l.aggregate.op ?? '>='
  const value = l.aggregate.value ?? 1
  if (fn === 'count') return { ...l, aggregate: { fn, op, value } }
  return { ...l, aggregate: { fn, field: l.aggregate.field ?? numericField ?? '', op, value } }
}

/** Relative period presets, as the builder names them. */
export const PERIOD_PRESETS = [
  'last',
  'next',
  'before',
  'today',
  'yesterday',
  'tomorrow',
  'this week',
  'last week',
  'this month',
  'last month',
  'this year',
  'last year',
] as const

export function withPreset(date: RelativeDate, preset: (typeof PERIOD_PRESETS)[number]): RelativeDate {
  if (preset === 'last' || preset === 'next' || preset === 'before') {
    const n = 'n' in date ? date.n : 30
    const unit = 'unit' in date ? date.unit : 'days'
    return { preset, n, unit }
  }
  return { preset }
}
