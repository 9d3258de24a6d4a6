import { AppError, type Issue, type IssueCode } from '../errors'
import { isKnownNamespace } from '../identity'
import { isIdentifier } from '../ids'
import type { ResolvedRelationship, SchemaFile, TableDef } from './model'

const VERSION_TYPES = new Set(['integer', 'number', 'timestamp', 'date'])
// The change-type column of CDC files, and the engine's row address (a field of that name would hide it).
const RESERVED_FIELDS = new Set(['_change_request_type', 'rowid'])

/**
 * Checks a schema file against itself and the tables the org already has, collecting every
 * issue with its path. `existing` holds the org's stored tables that the file does not redefine.
 */
export function validateSchema(file: SchemaFile, existing: Record<string, TableDef> = {}): Issue[] {
  const issues: Issue[] = []
  const add = (path: (string | number)[], code: IssueCode, message: string) =>
    issues.push({ path, code, message })
  const all: Record<string, TableDef> = { ...existing, ...file.tables }

  if (Object.keys(file.tables).length === 0)
    add(['tables'], 'EMPTY', 'A schema file needs at least one table')

  for (const [tableName, table] of Object.entries(file.tables)) {
    const tp = ['tables', tableName]
    if (!isIdentifier(tableName))
      add(tp, 'INVALID_IDENTIFIER', `Table name "${tableName}" is not an identifier`)
    const fields = table.fields
    if (Object.keys(fields).length === 0) add([...tp, 'fields'], 'EMPTY', 'A table needs at least one field')
    let primaryIdentities = 0
    for (const [fieldName, field] of Object.entries(fields)) {
      const fp = [...tp, 'fields', fieldName]
      if (!isIdentifier(fieldName) || RESERVED_FIELDS.has(fieldName)) {
        add(fp, 'INVALID_IDENTIFIER', `Field name "${fieldName}" is not an identifier or is reserved`)
      }
      if (field.type === 'enum') {
        if (!field.values || field.values.length === 0)
          add([...fp, 'values'], 'ENUM_NO_VALUES', 'An enum needs values')
        else if (new Set(field.values).size !== field.values.length)
          add([...fp, 'values'], 'ENUM_DUPLICATE_VALUES', 'Enum values must be unique')
      } else if (field.values) {
        add([...fp, 'values'], 'VALUES_NOT_ENUM', `Only enum fields take values (this one is ${field.type})`)
      }
      if (field.maxLength !== undefined && field.type !== 'string')
        add([...fp, 'maxLength'], 'MAXLENGTH_NOT_STRING', 'maxLength applies to string fields only')
      const id = field.identity
      if (id) {
        if (field.type !== 'string')
          add([...fp, 'identity'], 'IDENTITY_NOT_STRING', 'Identity fields must be strings')
        if (!isIdentifier(id.namespace) || !isKnownNamespace(id.namespace, { allowCustom: true }))
          add(
            [...fp, 'identity', 'namespace'],
            'UNKNOWN_NAMESPACE',
            `Unknown identity namespace "${id.namespace}"`,
          )
        if (id.primary) primaryIdentities++
        if ((id.defaultCountry || id.countryField) && id.namespace !== 'phone')
          add(
            [...fp, 'identity'],
            'COUNTRY_NOT_PHONE',
            'defaultCountry / countryField apply to phone identities only',
          )
        if (id.countryField !== undefined) {
          const cf = fields[id.countryField]
          if (!cf) add([...fp, 'identity', 'countryField'], 'UNKNOWN_FIELD', `No field "${id.countryField}"`)
          else if (cf.type !== 'string' && cf.type !== 'enum')
            add(
              [...fp, 'identity', 'countryField'],
              'WRONG_TYPE',
              'countryField must be a string or enum field',
            )
        }
      }
    }
    const identityFields = Object.values(fields).filter((f) => f.identity).length
    if (primaryIdentities > 1)
      add([...tp, 'fields'], 'MULTIPLE_PRIMARY_IDENTITIES', 'At most one identity field can be primary')
    if (identityFields > 0 && primaryIdentities === 0)
      add(
        [...tp, 'fields'],
        'NO_PRIMARY_IDENTITY',
        'Mark one identity field as primary (identity.primary: true)',
      )

    const pk = table.primaryKey
    if (new Set(pk).size !== pk.length)
      add([...tp, 'primaryKey'], 'DUPLICATE_FIELD', 'Primary key repeats a field')
    pk.forEach((f, i) => {
      const field = fields[f]
      if (!field) add([...tp, 'primaryKey', i], 'UNKNOWN_FIELD', `Primary key field "${f}" is not a field`)
      else if (field.nullable === true)
        add([...tp, 'primaryKey', i], 'NULLABLE_KEY', `Primary key field "${f}" cannot be nullable`)
    })
    if (identityFields > 0 && !table.linksTo && pk.length !== 1)
      add(
        [...tp, 'primaryKey'],
        'COMPOSITE_KEY_WITH_IDENTITIES',
        'A table with identity fields needs a single-field primary key',
      )

    if (table.versionField !== undefined) {
      const vf = fields[table.versionField]
      if (!vf)
        add([...tp, 'versionField'], 'UNKNOWN_FIELD', `Version field "${table.versionField}" is not a field`)
      else if (!VERSION_TYPES.has(vf.type))
        add(
          [...tp, 'versionField'],
          'WRONG_TYPE',
          'The version field must be an integer, number, date or timestamp',
        )
    }

    if (table.linksTo) {
      const lp = [...tp, 'linksTo']
      const target = all[table.linksTo.table]
      if (!target) add([...lp, 'table'], 'UNKNOWN_TABLE', `No table "${table.linksTo.table}"`)
      else if (target.primaryKey.length !== 1)
        add([...lp, 'table'], 'COMPOSITE_KEY', 'linksTo needs a target with a single-field primary key')
      if (!fields[table.linksTo.field])
        add([...lp, 'field'], 'UNKNOWN_FIELD', `No field "${table.linksTo.field}"`)
      if (identityFields === 0)
        add(lp, 'NO_IDENTITY_FIELDS', 'An identity-link table needs identity fields to link')
    }

    for (const [relName, rel] of Object.entries(table.relationships ?? {})) {
      const rp = [...tp, 'relationships', relName]
      if (!isIdentifier(relName))
        add(rp, 'INVALID_IDENTIFIER', `Relationship name "${relName}" is not an identifier`)
      if (fields[relName]) add(rp, 'NAME_CLASH', `Relationship "${relName}" has the name of a field`)
      const target = all[rel.target]
      if (!target) {
        add([...rp, 'target'], 'UNKNOWN_TABLE', `No table "${rel.target}"`)
        continue
      }
      if (Object.keys(rel.on).length === 0)
        add([...rp, 'on'], 'EMPTY', 'A relationship joins on at least one field pair')
      for (const [from, to] of Object.entries(rel.on)) {
        const a = fields[from]
        const b = target.fields[to]
        if (!a) add([...rp, 'on', from], 'UNKNOWN_FIELD', `No field "${from}" on ${tableName}`)
        if (!b) add([...rp, 'on', from], 'UNKNOWN_FIELD', `No field "${to}" on ${rel.target}`)
        if (a && b && baseType(a.type) !== baseType(b.type))
          add(
            [...rp, 'on', from],
            'TYPE_MISMATCH',
            `${tableName}.${from} (${a.type}) and ${rel.target}.${to} (${b.type}) differ`,
          )
      }
      if (rel.inverse !== undefined) {
        if (!isIdentifier(rel.inverse))
          add([...rp, 'inverse'], 'INVALID_IDENTIFIER', `Inverse "${rel.inverse}" is not an identifier`)
        if (target.fields[rel.inverse] || target.relationships?.[rel.inverse])
          add(
            [...rp, 'inverse'],
            'NAME_CLASH',
            `${rel.target} already has a field or relationship "${rel.inverse}"`,
          )
      }
    }
  }
  // Names seen from each table must be unique once inverses are added.
  const seen = new Map<string, string>()
  for (const r of resolveRelationships(all)) {
    const key = `${r.from}.${r.name}`
    if (!file.tables[r.from] && !file.tables[r.declaredOn]) continue
    if (seen.has(key))
      add(
        ['tables', r.declaredOn, 'relationships'],
        'NAME_CLASH',
        `Relationship name "${key}" is declared twice`,
      )
    seen.set(key, r.declaredOn)
  }
  for (const cycle of findParentCycles(all)) {
    add(
      ['tables', cycle[0]!, 'relationships'],
      'RELATIONSHIP_CYCLE',
      `N-1 relationships form a cycle: ${cycle.join(' -> ')}`,
    )
  }
  return issues
}

/** Throws SCHEMA_INVALID with every issue unless the file is valid. */
export function assertValidSchema(file: SchemaFile, existing: Record<string, TableDef> = {}): void {
  const issues = validateSchema(file, existing)
  if (issues.length > 0) {
    throw new AppError('SCHEMA_INVALID', `Schema has ${issues.length} problem(s): ${issues[0]!.message}`, {
      details: { issues },
    })
  }
}

function baseType(t: string): string {
  return t === 'enum' ? 'string' : t === 'integer' ? 'number' : t
}

const FLIP: Record<string, '1-1' | '1-N' | 'N-1'> = { '1-1': '1-1', '1-N': 'N-1', 'N-1': '1-N' }

/** Every relationship seen from each side: the declared ones and their named inverses. */
export function resolveRelationships(tables: Record<string, TableDef>): ResolvedRelationship[] {
  const out: ResolvedRelationship[] = []
  for (const [from, table] of Object.entries(tables)) {
    for (const [name, rel] of Object.entries(table.relationships ?? {})) {
      out.push({ name, from, target: rel.target, cardinality: rel.cardinality, on: rel.on, declaredOn: from })
      if (rel.inverse !== undefined && tables[rel.target]) {
        const on = Object.fromEntries(Object.entries(rel.on).map(([a, b]) => [b, a]))
        out.push({
          name: rel.inverse,
          from: rel.target,
          target: from,
          cardinality: FLIP[rel.cardinality]!,
          on,
          declaredOn: from,
        })
      }
    }
  }
  return out
}

/** Cycles among N-1 links (each table pointing at its parent): paths through them would never end. */
function findParentCycles(tables: Record<string, TableDef>): string[][] {
  const parents = new Map<string, string[]>()
  for (const r of resolveRelationships(tables)) {
    if (r.cardinality === 'N-1' && r.from !== r.target)
      parents.set(r.from, [...(parents.get(r.from) ?? []), r.target])
  }
  const cycles: string[][] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (t: string, path: string[]) => {
    if (state.get(t) === 'done') return
    if (state.get(t) === 'visiting') {
      cycles.push([...path.slice(path.indexOf(t)), t])
      return
    }
    state.set(t, 'visiting')
    for (const p of parents.get(t) ?? []) visit(p, [...path, t])
    state.set(t, 'done')
  }
  for (const t of Object.keys(tables)) visit(t, [])
  return cycles
}

/** What a new definition changes in an old one: additions are online, the rest needs a migration. */
export interface TableDiff {
  added: string[]
  removed: string[]
  retyped: { field: string; from: string; to: string }[]
  enumValuesRemoved: { field: string; values: string[] }[]
  keyChanged: boolean
}

export function diffTable(before: TableDef, after: TableDef): TableDiff {
  const added = Object.keys(after.fields).filter((f) => !before.fields[f])
  const removed = Object.keys(before.fields).filter((f) => !after.fields[f])
  const retyped: TableDiff['retyped'] = []
  const enumValuesRemoved: TableDiff['enumValuesRemoved'] = []
  for (const [name, b] of Object.entries(before.fields)) {
    const a = after.fields[name]
    if (!a) continue
    if (a.type !== b.type) retyped.push({ field: name, from: b.type, to: a.type })
    else if (a.type === 'enum') {
      const gone = (b.values ?? []).filter((v) => !(a.values ?? []).includes(v))
      if (gone.length > 0) enumValuesRemoved.push({ field: name, values: gone })
    }
  }
  const keyChanged = before.primaryKey.join(',') !== after.primaryKey.join(',')
  return { added, removed, retyped, enumValuesRemoved, keyChanged }
}

export function isDestructive(d: TableDiff): boolean {
  return d.removed.length > 0 || d.retyped.length > 0 || d.enumValuesRemoved.length > 0 || d.keyChanged
}
