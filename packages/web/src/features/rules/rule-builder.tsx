import { createContext, memo, useContext } from 'react'
import { Button } from '../../ui/button'
import { type Option, SelectField, TextField } from '../../ui/fields'
import {
  AGGREGATES,
  addTo,
  COMPARISONS,
  type Condition,
  type FieldType,
  formatInput,
  type Group,
  issueNodePath,
  type LinkCondition,
  type NodePath,
  newCondition,
  newLink,
  operatorChoiceOf,
  operatorChoices,
  PERIOD_PRESETS,
  parseInput,
  type RelativeDate,
  type RuleNode,
  removeAt,
  samePath,
  shapeOf,
  updateAt,
  withAggregate,
  withField,
  withOperator,
  withPreset,
} from './rule-model'
import { fieldInfo, fieldsOf, manyLinksOf, type Tables } from './schema-catalog'

/** An issue the server found in the rule, with its JSON path. */
export interface RuleIssue {
  path: (string | number)[]
  code: string
  message: string
}

interface BuilderContext {
  tables: Tables
  audiences: Option[]
  issues: RuleIssue[]
  change: (next: (rule: RuleNode) => RuleNode) => void
}

const Ctx = createContext<BuilderContext | null>(null)
const useBuilder = () => useContext(Ctx)!

export interface RuleBuilderProps {
  rule: RuleNode
  onChange: (rule: RuleNode) => void
  tables: Tables
  dimension: string
  /** Audiences a membership condition may name. */
  audiences?: Option[]
  issues?: RuleIssue[]
}

const NO_AUDIENCES: Option[] = []
const NO_ISSUES: RuleIssue[] = []

/**
 * The visual editor of the whole rule language: groups, conditions, links, expressions, audiences.
 * Memoised: the live count's changes of state around it do not draw the editor again.
 */
export const RuleBuilder = memo(function RuleBuilder({
  rule,
  onChange,
  tables,
  dimension,
  audiences = NO_AUDIENCES,
  issues = NO_ISSUES,
}: RuleBuilderProps) {
  return (
    <Ctx.Provider value={{ tables, audiences, issues, change: (next) => onChange(next(rule)) }}>
      <div className="rule-builder">
        <NodeEditor node={rule} path={[]} table={dimension} />
      </div>
    </Ctx.Provider>
  )
})

function NodeIssues({ path }: { path: NodePath }) {
  const { issues } = useBuilder()
  const mine = issues.filter((i) => samePath(issueNodePath(i.path), path))
  if (mine.length === 0) return null
  return (
    <ul className="issues">
      {mine.map((i) => (
        <li key={`${i.code}:${i.path.join('.')}:${i.message}`}>
          {i.message} <code>{i.code}</code>
        </li>
      ))}
    </ul>
  )
}

function NodeEditor({ node, path, table }: { node: RuleNode; path: NodePath; table: string }) {
  switch (node.kind) {
    case 'group':
      return <GroupEditor node={node} path={path} table={table} />
    case 'condition':
      return <ConditionEditor node={node} path={path} table={table} />
    case 'link':
      return <LinkEditor node={node} path={path} table={table} />
    case 'expression':
      return (
        <NodeFrame path={path} kind="Expression">
          <ExpressionEditor value={node.expression} path={path} />
        </NodeFrame>
      )
    case 'audience':
      return <AudienceEditor node={node} path={path} />
    case 'filter':
      return (
        <NodeFrame path={path} kind="Saved filter">
          <span>
            <strong>{node.name}</strong>
            {node.params ? <code> {JSON.stringify(node.params)}</code> : null}
          </span>
        </NodeFrame>
      )
  }
}

function RemoveButton({ path, label }: { path: NodePath; label: string }) {
  const { change } = useBuilder()
  return (
    <Button
      variant="quiet"
      className="btn-small"
      aria-label={label}
      onPress={() => change((r) => removeAt(r, path))}
    >
      ✕
    </Button>
  )
}

function NodeFrame({
  path,
  kind,
  children,
  className,
}: {
  path: NodePath
  kind: string
  children: React.ReactNode
  className?: string
}) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a fieldset's legend would not fit this row layout
    <div className={`rule-node${className ? ` ${className}` : ''}`} role="group" aria-label={kind}>
      <span className="node-kind">{kind}</span>
      {children}
      <RemoveButton path={path} label={`Remove ${kind.toLowerCase()}`} />
      <NodeIssues path={path} />
    </div>
  )
}

const GROUP_OPS: Option[] = [
  { id: 'and', label: 'All of (and)' },
  { id: 'or', label: 'Any of (or)' },
  { id: 'except', label: 'The first, except the others' },
]

/** Buttons adding a node to the group (or the single node) at `path`, on `table`. */
function AddButtons({ path, table }: { path: NodePath; table: string }) {
  const { tables, audiences, change } = useBuilder()
  const fields = fieldsOf(tables, table)
  const links = manyLinksOf(tables, table)
  const first = fields[0]
  const add = (node: RuleNode) => change((r) => addTo(r, path, node))
  return (
    <div className="rule-actions">
      {first ? (
        <Button onPress={() => add(newCondition(first.path, first.type, first.values))}>Add condition</Button>
      ) : null}
      {links[0] ? <Button onPress={() => add(newLink(links[0]!.name))}>Add link</Button> : null}
      <Button onPress={() => add({ kind: 'group', op: 'or', children: [] })}>Add group</Button>
      <Button onPress={() => add({ kind: 'expression', expression: 'true' })}>Add expression</Button>
      {audiences[0] ? (
        <Button onPress={() => add({ kind: 'audience', audience: audiences[0]!.id })}>Add audience</Button>
      ) : null}
    </div>
  )
}

function GroupEditor({ node, path, table }: { node: Group; path: NodePath; table: string }) {
  const { change } = useBuilder()
  return (
    // biome-ignore lint/a11y/useSemanticElements: a fieldset's legend would not fit this layout
    <div className="rule-group" role="group" aria-label={path.length === 0 ? 'Rule' : 'Group'}>
      <div className="rule-group-head">
        <SelectField
          label="Combine"
          hideLabel
          options={GROUP_OPS}
          value={node.op}
          onChange={(op) => change((r) => updateAt(r, path, (g) => ({ ...g, op }) as Group))}
        />
        {path.length > 0 ? <RemoveButton path={path} label="Remove group" /> : null}
      </div>
      <NodeIssues path={path} />
      {node.children.map((child, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: nodes carry no id; their position is their identity in the rule JSON
        <NodeEditor key={`${i}:${child.kind}`} node={child} path={[...path, i]} table={table} />
      ))}
      <AddButtons path={path} table={table} />
    </div>
  )
}

const label = (op: string) => op
const NUMERIC: FieldType[] = ['integer', 'number']

function ConditionEditor({ node, path, table }: { node: Condition; path: NodePath; table: string }) {
  const { tables, change } = useBuilder()
  const fields = fieldsOf(tables, table)
  const info = fieldInfo(tables, table, node.field)
  const type: FieldType = info?.type ?? 'string'
  const choice = operatorChoiceOf(node)
  const set = (next: Condition) => change((r) => updateAt(r, path, () => next))
  const fieldOptions = fields.map((f) => ({ id: f.path, label: f.label }))
  if (!info) fieldOptions.push({ id: node.field, label: node.field })
  return (
    <NodeFrame path={path} kind="Condition">
      <SelectField
        label="Field"
        hideLabel
        options={fieldOptions}
        value={node.field}
        onChange={(path) => {
          const f = fields.find((x) => x.path === path)
          if (f) set(withField(node, f.path, f.type, f.values, info ? type : undefined))
        }}
      />
      <SelectField
        label="Operator"
        hideLabel
        options={operatorChoices(type).map((op) => ({ id: op, label: label(op) }))}
        value={choice}
        onChange={(op) => set(withOperator(node, op as typeof choice))}
      />
      <ValueEditor node={node} type={type} values={info?.values} onChange={set} />
    </NodeFrame>
  )
}

function inputType(type: FieldType): 'text' | 'number' | 'date' {
  if (NUMERIC.includes(type)) return 'number'
  if (type === 'date') return 'date'
  return 'text'
}

function ValueEditor({
  node,
  type,
  values,
  onChange,
}: {
  node: Condition
  type: FieldType
  values?: string[]
  onChange: (c: Condition) => void
}) {
  const shape = shapeOf(operatorChoiceOf(node))
  if (shape === 'none') return null
  if (shape === 'period' && node.date)
    return <PeriodEditor date={node.date} onChange={(date) => onChange({ ...node, date })} />
  if (shape === 'values')
    return (
      <TextField
        label="Values"
        hideLabel
        placeholder="values, separated by commas"
        value={(node.values ?? []).map(formatInput).join(', ')}
        onChange={(text) =>
          onChange({
            ...node,
            values: text
              .split(',')
              .map((v) => v.trim())
              .filter((v) => v !== '')
              .map((v) => parseInput(v, type)),
          })
        }
      />
    )
  if (shape === 'range')
    return (
      <>
        <TextField
          label="From"
          hideLabel
          type={inputType(type)}
          value={formatInput(node.from)}
          onChange={(t) => onChange({ ...node, from: parseInput(t, type) })}
        />
        <span className="muted">and</span>
        <TextField
          label="To"
          hideLabel
          type={inputType(type)}
          value={formatInput(node.to)}
          onChange={(t) => onChange({ ...node, to: parseInput(t, type) })}
        />
      </>
    )
  const single = node.op === '=' || node.op === '!='
  if (type === 'enum' && values && single && typeof node.value === 'string')
    return (
      <SelectField
        label="Value"
        hideLabel
        options={values.map((v) => ({ id: v, label: v }))}
        value={node.value}
        onChange={(v) => onChange({ ...node, value: v })}
      />
    )
  if (type === 'boolean' && typeof node.value === 'boolean')
    return (
      <SelectField
        label="Value"
        hideLabel
        options={[
          { id: 'true', label: 'true' },
          { id: 'false', label: 'false' },
        ]}
        value={String(node.value)}
        onChange={(v) => onChange({ ...node, value: v === 'true' })}
      />
    )
  return (
    <TextField
      label="Value"
      hideLabel
      type={inputType(type)}
      value={formatInput(node.value)}
      onChange={(t) => onChange({ ...node, value: parseInput(t, type) })}
    />
  )
}

const PRESET_LABELS: Record<(typeof PERIOD_PRESETS)[number], string> = {
  last: 'in the last',
  next: 'in the next',
  before: 'before … ago',
  today: 'today',
  yesterday: 'yesterday',
  tomorrow: 'tomorrow',
  'this week': 'this week',
  'last week': 'last week',
  'this month': 'this month',
  'last month': 'last month',
  'this year': 'this year',
  'last year': 'last year',
}

function PeriodEditor({ date, onChange }: { date: RelativeDate; onChange: (d: RelativeDate) => void }) {
  return (
    <>
      <SelectField
        label="Period"
        hideLabel
        options={PERIOD_PRESETS.map((p) => ({ id: p, label: PRESET_LABELS[p] }))}
        value={date.preset}
        onChange={(p) => onChange(withPreset(date, p as (typeof PERIOD_PRESETS)[number]))}
      />
      {'n' in date ? (
        <>
          <TextField
            label="Number of units"
            hideLabel
            type="number"
            className="narrow"
            value={String(date.n)}
            onChange={(t) => onChange({ ...date, n: Math.max(0, Math.trunc(Number(t) || 0)) })}
          />
          <SelectField
            label="Unit"
            hideLabel
            options={['days', 'weeks', 'months', 'years'].map((u) => ({ id: u, label: u }))}
            value={date.unit}
            onChange={(u) => onChange({ ...date, unit: u as typeof date.unit })}
          />
        </>
      ) : null}
    </>
  )
}

const AGGREGATE_LABELS: Record<(typeof AGGREGATES)[number], string> = {
  exists: 'at least one',
  'not exists': 'none',
  count: 'count',
  sum: 'sum of',
  avg: 'average of',
  min: 'minimum of',
  max: 'maximum of',
}

function LinkEditor({ node, path, table }: { node: LinkCondition; path: NodePath; table: string }) {
  const { tables, change } = useBuilder()
  const links = manyLinksOf(tables, table)
  const target = links.find((l) => l.name === node.link)?.target ?? node.link
  const numeric = fieldsOf(tables, target).filter((f) => NUMERIC.includes(f.type) && !f.path.includes('.'))
  const set = (next: LinkCondition) => change((r) => updateAt(r, path, () => next))
  const fn = node.aggregate.fn
  const linkOptions = links.map((l) => ({ id: l.name, label: l.name }))
  if (!links.some((l) => l.name === node.link)) linkOptions.push({ id: node.link, label: node.link })
  const wherePath: NodePath = [...path, 'where']
  const first = fieldsOf(tables, target)[0]
  return (
    <NodeFrame path={path} kind="Link" className="rule-node-link">
      <div className="row">
        <SelectField
          label="Aggregate"
          hideLabel
          options={AGGREGATES.map((a) => ({ id: a, label: AGGREGATE_LABELS[a] }))}
          value={fn}
          onChange={(a) => set(withAggregate(node, a as typeof fn, numeric[0]?.path))}
        />
        {fn === 'sum' || fn === 'avg' || fn === 'min' || fn === 'max' ? (
          <SelectField
            label="Aggregated field"
            hideLabel
            options={numeric.map((f) => ({ id: f.path, label: f.label }))}
            value={node.aggregate.field ?? null}
            onChange={(field) => set({ ...node, aggregate: { ...node.aggregate, field } })}
          />
        ) : null}
        <SelectField
          label="Link"
          hideLabel
          options={linkOptions}
          value={node.link}
          onChange={(link) => {
            const { where: _where, ...rest } = node
            set({ ...rest, link, aggregate: { fn: 'exists' } })
          }}
        />
        {fn !== 'exists' && fn !== 'not exists' ? (
          <>
            <SelectField
              label="Comparison"
              hideLabel
              options={COMPARISONS.map((c) => ({ id: c, label: c }))}
              value={node.aggregate.op ?? '>='}
              onChange={(op) =>
                set({ ...node, aggregate: { ...node.aggregate, op: op as (typeof COMPARISONS)[number] } })
              }
            />
            <TextField
              label="Threshold"
              hideLabel
              type="number"
              value={formatInput(node.aggregate.value)}
              onChange={(t) =>
                set({ ...node, aggregate: { ...node.aggregate, value: parseInput(t, 'number') } })
              }
            />
          </>
        ) : null}
      </div>
      <div className="link-where">
        <span className="muted">where</span>
        {node.where ? (
          <>
            <NodeEditor node={node.where} path={wherePath} table={target} />
            {node.where.kind !== 'group' && first ? (
              <Button
                onPress={() =>
                  change((r) => addTo(r, wherePath, newCondition(first.path, first.type, first.values)))
                }
              >
                Add condition on {target}
              </Button>
            ) : null}
          </>
        ) : first ? (
          <Button onPress={() => set({ ...node, where: newCondition(first.path, first.type, first.values) })}>
            Add condition on {target}
          </Button>
        ) : null}
      </div>
    </NodeFrame>
  )
}

function ExpressionEditor({ value, path }: { value: string; path: NodePath }) {
  const { change } = useBuilder()
  return (
    <textarea
      className="expr-input"
      aria-label="Expression"
      spellCheck={false}
      value={value}
      onChange={(e) => {
        const expression = e.target.value
        change((r) => updateAt(r, path, (n) => ({ ...n, expression }) as RuleNode))
      }}
    />
  )
}

function AudienceEditor({ node, path }: { node: Extract<RuleNode, { kind: 'audience' }>; path: NodePath }) {
  const { audiences, change } = useBuilder()
  const set = (next: typeof node) => change((r) => updateAt(r, path, () => next))
  const options = audiences.some((a) => a.id === node.audience)
    ? audiences
    : [...audiences, { id: node.audience, label: node.audience }]
  return (
    <NodeFrame path={path} kind="Audience">
      <SelectField
        label="Membership"
        hideLabel
        options={[
          { id: 'in', label: 'in audience' },
          { id: 'not in', label: 'not in audience' },
        ]}
        value={node.negate ? 'not in' : 'in'}
        onChange={(v) => {
          const { negate: _negate, ...rest } = node
          set(v === 'not in' ? { ...rest, negate: true } : rest)
        }}
      />
      <SelectField
        label="Audience"
        hideLabel
        options={options}
        value={node.audience}
        onChange={(audience) => set({ ...node, audience })}
      />
    </NodeFrame>
  )
}
