import {
  type ActivityDef,
  AppError,
  type Issue,
  ParameterType,
  ParameterValue,
  type ParameterType as PType,
} from '@ahub/core'
import { z } from 'zod'

/** A parameter a Signal activity declares: its name, type, and whether a value must come with the signal. */
export const ParameterDecl = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _, at most 40'),
    type: ParameterType,
    required: z.boolean().default(false),
    default: ParameterValue.optional(),
  })
  .strict()
export type ParameterDecl = z.infer<typeof ParameterDecl>

export type ParameterValues = Record<string, z.infer<typeof ParameterValue>>

/** Option keys whose string values are expressions: `$name` in them stands for a parameter. */
const EXPRESSION_KEYS = new Set(['expression', 'filter', 'condition'])

/** The parameters the campaign's Signal activities declare (unparsed options are ignored). */
export function declaredParameters(activities: ActivityDef[]): ParameterDecl[] {
  const out: ParameterDecl[] = []
  for (const a of activities) {
    if (a.type !== 'signal') continue
    const parsed = z.object({ parameters: z.array(ParameterDecl) }).safeParse(a.options)
    if (parsed.success) out.push(...parsed.data.parameters)
  }
  return out
}

/** Whether `value` is of the parameter type. */
export function hasType(type: PType, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string'
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'date':
      return (
        typeof value === 'string' &&
        /^\d{4}-\d{2}-\d{2}$/.test(value) &&
        new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value
      )
    case 'timestamp':
      return (
        typeof value === 'string' &&
        /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value) &&
        !Number.isNaN(Date.parse(value))
      )
  }
}

/**
 * The values a run binds: the given ones checked against the declarations (unknown, wrong type,
 * missing) plus the defaults. Every problem is listed in CAMPAIGN_BAD_PARAMETERS.
 */
export function resolveParameters(decls: ParameterDecl[], given: Record<string, unknown>): ParameterValues {
  const issues: Issue[] = []
  const byName = new Map(decls.map((d) => [d.name, d]))
  const out: ParameterValues = {}
  for (const [name, value] of Object.entries(given)) {
    const d = byName.get(name)
    if (!d)
      issues.push({
        path: ['parameters', name],
        code: 'CAMPAIGN_UNKNOWN_PARAMETER',
        message: `The campaign declares no parameter "${name.slice(0, 80)}"${decls.length ? ` (it has ${decls.map((x) => x.name).join(', ')})` : ''}`,
      })
    else if (!hasType(d.type, value))
      issues.push({
        path: ['parameters', name],
        code: 'CAMPAIGN_PARAMETER_TYPE',
        message: `Parameter "${name}" must be a ${d.type}${d.type === 'date' ? ' (YYYY-MM-DD)' : d.type === 'timestamp' ? ' (ISO 8601)' : ''}, not ${JSON.stringify(value)?.slice(0, 80)}`,
      })
    else out[name] = value as ParameterValues[string]
  }
  for (const d of decls) {
    if (Object.hasOwn(out, d.name) || issues.some((i) => i.path[1] === d.name)) continue
    if (d.default !== undefined) out[d.name] = d.default
    else if (d.required)
      issues.push({
        path: ['parameters', d.name],
        code: 'CAMPAIGN_PARAMETER_MISSING',
        message: `Parameter "${d.name}" (${d.type}) is required`,
      })
  }
  if (issues.length > 0)
    throw new AppError(
      'CAMPAIGN_BAD_PARAMETERS',
      `The signal has ${issues.length} bad parameter(s); first: ${issues[0]!.message}`,
      { details: { issues } },
    )
  return out
}

/** A value of the type, standing for the parameter while a definition is validated. */
export function placeholderValues(decls: ParameterDecl[]): ParameterValues {
  const sample: Record<PType, string | number | boolean> = {
    string: 'x',
    integer: 1,
    number: 1,
    boolean: true,
    date: '2000-01-01',
    timestamp: '2000-01-01T00:00:00Z',
  }
  return Object.fromEntries(decls.map((d) => [d.name, d.default ?? sample[d.type]]))
}

/**
 * Options with the parameters bound: `{ "param": "name" }` wherever a value stands becomes the
 * value, and `$name` in an expression (keys `expression`, `filter`, `condition`) becomes a literal
 * of the expression language. References to undeclared parameters are returned as issues.
 */
export function bindParameters(
  options: unknown,
  values: ParameterValues,
  types: Map<string, PType>,
): { value: unknown; issues: Issue[] } {
  const issues: Issue[] = []
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]))
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>)
      if (entries.length === 1 && entries[0]![0] === 'param' && typeof entries[0]![1] === 'string') {
        const n = entries[0]![1]
        if (Object.hasOwn(values, n)) return values[n]
        issues.push({ path, code: 'CAMPAIGN_UNKNOWN_PARAMETER', message: `No parameter "${n}" is declared` })
        return v
      }
      return Object.fromEntries(
        entries.map(([k, x]) => [
          k,
          typeof x === 'string' && EXPRESSION_KEYS.has(k) ? bindText(x, [...path, k]) : walk(x, [...path, k]),
        ]),
      )
    }
    return v
  }
  const bindText = (text: string, path: (string | number)[]): string => {
    let out = ''
    let i = 0
    while (i < text.length) {
      const c = text[i]!
      if (c === "'") {
        // A string literal (quotes doubled inside) is copied as it is.
        let j = i + 1
        while (j < text.length && !(text[j] === "'" && text[j + 1] !== "'")) j += text[j] === "'" ? 2 : 1
        out += text.slice(i, j + 1)
        i = j + 1
        continue
      }
      const m = c === '$' ? /^\$([a-z][a-z0-9_]*)/.exec(text.slice(i)) : null
      if (!m) {
        out += c
        i++
        continue
      }
      const n = m[1]!
      if (Object.hasOwn(values, n)) out += literal(values[n]!, types.get(n) ?? 'string')
      else {
        issues.push({ path, code: 'CAMPAIGN_UNKNOWN_PARAMETER', message: `No parameter "$${n}" is declared` })
        out += m[0]
      }
      i += m[0].length
    }
    return out
  }
  return { value: walk(options, []), issues }
}

/** A value as a literal of the expression language (docs/rules.md). */
export function literal(value: string | number | boolean, type: PType): string {
  const quoted = `'${String(value).replaceAll("'", "''")}'`
  switch (type) {
    case 'date':
      return `date ${quoted}`
    case 'timestamp':
      return `timestamp ${quoted}`
    case 'string':
      return quoted
    default:
      return String(value)
  }
}
