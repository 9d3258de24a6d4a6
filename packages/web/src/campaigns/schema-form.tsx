import { type ReactNode, useId, useState } from 'react'

/**
 * A form drawn from a JSON Schema (the options schema the API gives for each activity type,
 * converted from the engine's zod schema, ADR 0019): objects become fieldsets, enums selects,
 * booleans checkboxes, arrays lists with add/remove, `oneOf` a choice of variant. One renderer for
 * every activity; nothing is written per activity. A value the form cannot draw (any-typed parts
 * such as a rule) goes to `renderSpecial` by its key, or to a JSON text box.
 */

export interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  enum?: unknown[]
  const?: unknown
  oneOf?: JsonSchema[]
  anyOf?: JsonSchema[]
  default?: unknown
  description?: string
  minimum?: number
  maximum?: number
  $ref?: string
  $defs?: Record<string, JsonSchema>
  /** An expression (docs/rules.md) rather than plain text: drawn with the expression editor. */
  'x-expression'?: boolean
  /** A rule (docs/rules.md): drawn with the rule builder. */
  'x-rule'?: boolean
}

/** What the form knows of a value it hands to `renderSpecial`. */
export interface SpecialInfo {
  schema: JsonSchema
  /** The option path (`expressions.0.expression`). */
  path: string
  /** The key as a label. */
  label: string
  required: boolean
  /** The validation message at this path, if any. */
  error?: string | undefined
}

export interface SchemaFormProps {
  schema: JsonSchema
  value: unknown
  onChange: (value: unknown) => void
  /** Draws a value by its key or schema (a rule with the rule builder, an expression with the expression editor); null to let the form draw it. */
  renderSpecial?: (
    key: string,
    value: unknown,
    onChange: (v: unknown) => void,
    info: SpecialInfo,
  ) => ReactNode | null
  /** Error messages by option path (`subsets.0.code`). */
  errors?: Record<string, string>
}

/** A key as a label: `keepUnreconciled` → "Keep unreconciled". */
export function humanise(key: string): string {
  const words = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function resolve(root: JsonSchema, s: JsonSchema): JsonSchema {
  if (s.$ref?.startsWith('#/$defs/')) return root.$defs?.[s.$ref.slice(8)] ?? {}
  if (s.$ref === '#') return root
  return s
}

function typeOf(s: JsonSchema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null')
  if (s.type) return s.type
  if (s.const !== undefined) return 'const'
  if (s.enum) return 'enum'
  return undefined
}

/** The variant of a oneOf that a value fits: by its `kind` (or other const) when there is one. */
export function variantIndex(variants: JsonSchema[], value: unknown): number {
  if (value === undefined) return -1
  const i = variants.findIndex((v) => {
    const t = typeOf(v)
    if (t === 'object') {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return false
      const consts = Object.entries(v.properties ?? {}).filter(([, p]) => p.const !== undefined)
      if (consts.length) return consts.every(([k, p]) => (value as Record<string, unknown>)[k] === p.const)
      const keys = Object.keys(value)
      return (
        keys.every((k) => Object.hasOwn(v.properties ?? {}, k)) &&
        (v.required ?? []).every((k) => keys.includes(k))
      )
    }
    if (t === 'array') return Array.isArray(value)
    if (t === 'integer' || t === 'number') return typeof value === 'number'
    if (t === 'const') return value === v.const
    if (t === 'enum') return v.enum!.includes(value)
    return typeof value === t
  })
  return i
}

/** A new value for a schema: its default, the first enum value, or an empty one of its type. */
export function initialValue(root: JsonSchema, raw: JsonSchema): unknown {
  const s = resolve(root, raw)
  if (s.default !== undefined) return structuredClone(s.default)
  if (s.const !== undefined) return s.const
  if (s.enum) return s.enum[0]
  const variants = s.oneOf ?? s.anyOf
  if (variants?.[0]) return initialValue(root, variants[0])
  switch (typeOf(s)) {
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const k of s.required ?? []) out[k] = initialValue(root, s.properties?.[k] ?? {})
      return out
    }
    case 'array':
      return []
    case 'boolean':
      return false
    case 'integer':
    case 'number':
      return s.minimum ?? 0
    case 'string':
      return ''
    default:
      return undefined
  }
}

export function SchemaForm({ schema, value, onChange, renderSpecial, errors = {} }: SchemaFormProps) {
  return (
    <div className="schema-form">
      <Field
        root={schema}
        schema={schema}
        name=""
        path=""
        value={value}
        onChange={onChange}
        required
        ctx={{ renderSpecial, errors }}
      />
    </div>
  )
}

interface Ctx {
  renderSpecial: SchemaFormProps['renderSpecial']
  errors: Record<string, string>
}

interface FieldProps {
  root: JsonSchema
  schema: JsonSchema
  /** The key (label); empty for the root. */
  name: string
  path: string
  value: unknown
  onChange: (v: unknown) => void
  required: boolean
  ctx: Ctx
}

function Field(props: FieldProps) {
  const { root, name, path, value, onChange, required, ctx } = props
  const schema = resolve(root, props.schema)
  const id = useId()
  const label = name ? humanise(name) : ''
  const error = ctx.errors[path]
  const special = name
    ? ctx.renderSpecial?.(name, value, onChange, { schema, path, label, required, error })
    : null
  if (special) return <div className="schema-field">{special}</div>
  const errorNode = error ? (
    <span className="field-error" id={`${id}-error`}>
      {error}
    </span>
  ) : null
  const described = error ? `${id}-error` : undefined

  const variants = schema.oneOf ?? schema.anyOf
  if (variants) return <VariantField {...props} schema={schema} variants={variants} />

  const type = typeOf(schema)
  if (type === 'object') {
    const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>
    const req = new Set(schema.required ?? [])
    const body = Object.entries(schema.properties ?? {}).map(([k, p]) => (
      <Field
        key={k}
        root={root}
        schema={p}
        name={k}
        path={path ? `${path}.${k}` : k}
        value={v[k]}
        required={req.has(k)}
        ctx={ctx}
        onChange={(next) => {
          const copy = { ...v }
          if (next === undefined) delete copy[k]
          else copy[k] = next
          onChange(copy)
        }}
      />
    ))
    if (!name) return <>{body}</>
    if (value === undefined && !required)
      return (
        <div className="schema-field">
          <button type="button" className="schema-add" onClick={() => onChange(initialValue(root, schema))}>
            Add {label.toLowerCase()}
          </button>
        </div>
      )
    return (
      <fieldset className="schema-object">
        <legend>{label}</legend>
        {body}
        {required ? null : (
          <button type="button" className="schema-remove" onClick={() => onChange(undefined)}>
            Remove {label.toLowerCase()}
          </button>
        )}
        {errorNode}
      </fieldset>
    )
  }
  if (type === 'array') {
    const items = Array.isArray(value) ? value : []
    const itemSchema = schema.items ?? {}
    return (
      <fieldset className="schema-array">
        <legend>{label}</legend>
        {items.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: items are positional
          <div key={i} className="schema-array-item">
            <Field
              root={root}
              schema={itemSchema}
              name={`${name.replace(/s$/, '')} ${i + 1}`}
              path={`${path}.${i}`}
              value={item}
              required
              ctx={ctx}
              onChange={(next) => onChange(items.map((x, j) => (j === i ? next : x)))}
            />
            <button
              type="button"
              className="schema-remove"
              onClick={() => {
                const rest = items.filter((_, j) => j !== i)
                onChange(rest.length === 0 && !required ? undefined : rest)
              }}
            >
              Remove {humanise(name.replace(/s$/, '')).toLowerCase()} {i + 1}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="schema-add"
          onClick={() => onChange([...items, initialValue(root, itemSchema)])}
        >
          Add {humanise(name.replace(/s$/, '')).toLowerCase()}
        </button>
        {errorNode}
      </fieldset>
    )
  }
  if (type === 'boolean')
    return (
      <div className="schema-field schema-check">
        <input
          id={id}
          type="checkbox"
          checked={value === true || (value === undefined && schema.default === true)}
          onChange={(e) => onChange(e.target.checked)}
          aria-describedby={described}
        />
        <label htmlFor={id}>{label}</label>
        {errorNode}
      </div>
    )
  if (type === 'const') return null
  if (schema.enum)
    return (
      <div className="schema-field">
        <label htmlFor={id}>{label}</label>
        <select
          id={id}
          value={value === undefined ? '' : String(value)}
          onChange={(e) =>
            onChange(
              e.target.value === '' ? undefined : schema.enum!.find((x) => String(x) === e.target.value),
            )
          }
          aria-describedby={described}
        >
          <option value="">
            {schema.default !== undefined ? `(default: ${String(schema.default)})` : '—'}
          </option>
          {schema.enum.map((x) => (
            <option key={String(x)} value={String(x)}>
              {String(x)}
            </option>
          ))}
        </select>
        {errorNode}
      </div>
    )
  if (type === 'integer' || type === 'number' || type === 'string')
    return (
      <div className="schema-field">
        <label htmlFor={id}>
          {label}
          {required ? ' *' : ''}
        </label>
        <input
          id={id}
          type={type === 'string' ? 'text' : 'number'}
          step={type === 'integer' ? 1 : 'any'}
          min={schema.minimum}
          max={schema.maximum}
          value={value === undefined || value === null ? '' : String(value)}
          placeholder={schema.default !== undefined ? String(schema.default) : undefined}
          aria-describedby={described}
          onChange={(e) => {
            const raw = e.target.value
            if (raw === '') onChange(required && type === 'string' ? '' : undefined)
            else onChange(type === 'string' ? raw : Number(raw))
          }}
        />
        {errorNode}
      </div>
    )
  return (
    <JsonField
      id={id}
      label={label}
      value={value}
      onChange={onChange}
      error={errorNode}
      described={described}
    />
  )
}

function VariantField(props: FieldProps & { variants: JsonSchema[] }) {
  const { root, variants, name, path, value, onChange, required, ctx } = props
  const id = useId()
  const chosen = variantIndex(
    variants.map((v) => resolve(root, v)),
    value,
  )
  const title = (v: JsonSchema, i: number) => {
    const s = resolve(root, v)
    const c = Object.entries(s.properties ?? {}).find(([, p]) => p.const !== undefined)
    if (c) return String(c[1].const)
    if (s.const !== undefined) return String(s.const)
    return typeOf(s) ?? `choice ${i + 1}`
  }
  return (
    <div className="schema-variant">
      <label htmlFor={id}>{humanise(name || 'value')}</label>
      <select
        id={id}
        value={chosen < 0 ? '' : String(chosen)}
        onChange={(e) =>
          onChange(e.target.value === '' ? undefined : initialValue(root, variants[Number(e.target.value)]!))
        }
      >
        {required && chosen >= 0 ? null : <option value="">—</option>}
        {variants.map((v, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: variants are positional
          <option key={i} value={i}>
            {title(v, i)}
          </option>
        ))}
      </select>
      {chosen >= 0 ? (
        <Field
          root={root}
          schema={variants[chosen]!}
          name=""
          path={path}
          value={value}
          required
          ctx={ctx}
          onChange={onChange}
        />
      ) : null}
    </div>
  )
}

function JsonField({
  id,
  label,
  value,
  onChange,
  error,
  described,
}: {
  id: string
  label: string
  value: unknown
  onChange: (v: unknown) => void
  error: ReactNode
  described: string | undefined
}) {
  const [text, setText] = useState(() =>
    value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value),
  )
  const [bad, setBad] = useState(false)
  return (
    <div className="schema-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="schema-json"
        value={text}
        aria-invalid={bad}
        aria-describedby={described}
        onChange={(e) => {
          const raw = e.target.value
          setText(raw)
          if (raw.trim() === '') {
            setBad(false)
            onChange(undefined)
            return
          }
          // JSON when it parses (a number, an object such as { "param": "x" }), text otherwise (an expression).
          try {
            onChange(JSON.parse(raw))
          } catch {
            onChange(raw)
          }
          setBad(false)
        }}
      />
      {error}
    </div>
  )
}
