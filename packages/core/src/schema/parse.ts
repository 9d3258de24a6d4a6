import { parseDocument } from 'yaml'
import { AppError, type Issue } from '../errors'
import { SchemaFile } from './model'

const MAX_SCHEMA_BYTES = 1_048_576

/** Parses schema text (JSON or YAML) into a structurally valid SchemaFile, or throws with every issue. */
export function parseSchemaText(text: string): SchemaFile {
  if (text.length > MAX_SCHEMA_BYTES) {
    throw new AppError('SCHEMA_PARSE_ERROR', `Schema file is larger than ${MAX_SCHEMA_BYTES} bytes`)
  }
  // YAML is a superset of JSON, so one parser reads both. Aliases are refused outright:
  // they allow recursive (cyclic) documents and exponential expansion.
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true })
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => ({
      path: [],
      code: e.code,
      message: e.message.split('\n')[0] ?? e.message,
      line: e.linePos?.[0]?.line,
      column: e.linePos?.[0]?.col,
    }))
    throw new AppError('SCHEMA_PARSE_ERROR', `Schema file does not parse: ${issues[0]?.message}`, {
      details: { issues },
    })
  }
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: 0 })
  } catch (cause) {
    throw new AppError('SCHEMA_PARSE_ERROR', `Schema file does not parse: ${(cause as Error).message}`, {
      cause,
    })
  }
  return checkSchemaShape(value)
}

/** Validates the shape of an already-parsed schema object, reporting every issue with its path. */
export function checkSchemaShape(value: unknown): SchemaFile {
  const result = SchemaFile.safeParse(value)
  if (!result.success) {
    const issues: Issue[] = result.error.issues.map((i) => ({
      path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      code:
        i.code === 'unrecognized_keys'
          ? 'UNKNOWN_KEY'
          : i.code === 'invalid_value'
            ? 'INVALID_VALUE'
            : 'INVALID_TYPE',
      message: i.message,
    }))
    throw new AppError('SCHEMA_INVALID', `Schema has ${issues.length} problem(s)`, { details: { issues } })
  }
  return result.data
}
