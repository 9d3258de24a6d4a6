import {
  AppError,
  assertValidSchema,
  diffTable,
  isDestructive,
  type SchemaFile,
  type StoredTable,
  type TableDef,
  type TableDiff,
} from '@ahub/core'
import { columnType, retypeToEnum } from '../duckdb/enum-columns'
import { duckdbStorageType, duckdbType } from '../duckdb/types'
import { type Engine, ident, type Session } from '../engine'
import { orgSchema, orgSchemaName } from './orgs'

/** Something that uses fields of a table: a relationship, an audience, a campaign... */
export interface FieldUser {
  kind: string
  name: string
  fields: string[]
}

/** Later packages (audiences, campaigns, sharing) register what of a table they use. */
export type FieldUsageProvider = (org: string, table: string) => Promise<FieldUser[]>

export interface ApplyOptions {
  /** Allows removing and retyping fields (an explicit migration). Never allowed for fields in use. */
  allowDestructive?: boolean
  dryRun?: boolean
}

export interface ApplyResult {
  created: string[]
  updated: { table: string; diff: TableDiff }[]
  unchanged: string[]
}

/**
 * Columns every dataset table carries besides its fields: `_batch` is the sequence number
 * (meta.batches.seq) of the batch that last wrote the row. Tables created before it was a number
 * hold the number as text.
 */
export const SYSTEM_COLUMNS = { _batch: 'BIGINT' } as const

/** The org's tables (schemas): definitions in metadata, datasets in the org's engine schema. */
export class SchemaCatalog {
  private readonly providers: FieldUsageProvider[] = []

  constructor(private readonly engine: Engine) {
    this.providers.push((org, table) => this.schemaUsages(org, table))
  }

  registerUsageProvider(p: FieldUsageProvider): void {
    this.providers.push(p)
  }

  async list(org: string): Promise<StoredTable[]> {
    const rows = await this.engine.query<TableRow>(
      'SELECT org, name, revision, definition, created_at, updated_at FROM meta.tables WHERE org = $1 ORDER BY name',
      [org],
    )
    return rows.map(toStored)
  }

  async find(org: string, name: string): Promise<StoredTable | undefined> {
    const rows = await this.engine.query<TableRow>(
      'SELECT org, name, revision, definition, created_at, updated_at FROM meta.tables WHERE org = $1 AND name = $2',
      [org, name],
    )
    return rows[0] && toStored(rows[0])
  }

  async get(org: string, name: string): Promise<StoredTable> {
    const t = await this.find(org, name)
    if (!t)
      throw new AppError('SCHEMA_NOT_FOUND', `No table "${name}" in this organisation`, {
        details: { table: name },
      })
    return t
  }

  /** Every table of the org by name, for validation and relationship lookups. */
  async definitions(org: string): Promise<Record<string, TableDef>> {
    return Object.fromEntries((await this.list(org)).map((t) => [t.name, t.definition]))
  }

  /**
   * Validates a schema file against the org's tables and applies it in one transaction: new tables
   * are created, added fields are added online, destructive changes need `allowDestructive` and are
   * refused while anything uses the fields concerned.
   */
  async apply(org: string, file: SchemaFile, options: ApplyOptions = {}): Promise<ApplyResult> {
    const stored = await this.definitions(org)
    const others = Object.fromEntries(Object.entries(stored).filter(([n]) => !file.tables[n]))
    assertValidSchema(file, others)

    const result: ApplyResult = { created: [], updated: [], unchanged: [] }
    const destructive: { table: string; diff: TableDiff }[] = []
    for (const [name, def] of Object.entries(file.tables)) {
      const before = stored[name]
      if (!before) result.created.push(name)
      else if (JSON.stringify(before) === JSON.stringify(def)) result.unchanged.push(name)
      else {
        const diff = diffTable(before, def)
        result.updated.push({ table: name, diff })
        if (isDestructive(diff)) destructive.push({ table: name, diff })
      }
    }
    if (destructive.length > 0) await this.checkDestructive(org, destructive, options)
    if (options.dryRun) return result

    const schema = orgSchema(org)
    await this.engine.transaction(async (s) => {
      for (const name of result.created) {
        await s.run(createTableSql(schema, name, file.tables[name]!))
        await s.run('INSERT INTO meta.tables VALUES ($1, $2, 1, $3, current_timestamp, current_timestamp)', [
          org,
          name,
          JSON.stringify(file.tables[name]),
        ])
      }
      for (const { table, diff } of result.updated) {
        await alterTable(s, org, table, stored[table]!, file.tables[table]!, diff)
        await s.run(
          `UPDATE meta.tables SET revision = revision + 1, definition = $3, updated_at = current_timestamp
           WHERE org = $1 AND name = $2`,
          [org, table, JSON.stringify(file.tables[table])],
        )
      }
    })
    return result
  }

  private async checkDestructive(
    org: string,
    changes: { table: string; diff: TableDiff }[],
    options: ApplyOptions,
  ): Promise<void> {
    const conflicts: { table: string; field: string; users: { kind: string; name: string }[] }[] = []
    for (const { table, diff } of changes) {
      const touched = new Set([
        ...diff.removed,
        ...diff.retyped.map((r) => r.field),
        ...diff.enumValuesRemoved.map((e) => e.field),
      ])
      const users = (await Promise.all(this.providers.map((p) => p(org, table)))).flat()
      for (const field of touched) {
        const using = users
          .filter((u) => u.fields.includes(field))
          .map((u) => ({ kind: u.kind, name: u.name }))
        if (using.length > 0) conflicts.push({ table, field, users: using })
      }
    }
    if (conflicts.length > 0) {
      const first = conflicts[0]!
      throw new AppError(
        'SCHEMA_FIELD_IN_USE',
        `Field ${first.table}.${first.field} is used by ${first.users.map((u) => `${u.kind} "${u.name}"`).join(', ')}`,
        { details: { conflicts } },
      )
    }
    if (!options.allowDestructive) {
      throw new AppError(
        'SCHEMA_DESTRUCTIVE_CHANGE',
        `Removing or retyping fields (${changes.map((c) => c.table).join(', ')}) needs an explicit migration: pass allowDestructive`,
        { details: { changes } },
      )
    }
  }

  /** Fields used by the schema itself: keys, version fields, relationships, identity links. */
  private async schemaUsages(org: string, table: string): Promise<FieldUser[]> {
    const defs = await this.definitions(org)
    const users: FieldUser[] = []
    const own = defs[table]
    if (own) {
      users.push({ kind: 'primary key', name: table, fields: own.primaryKey })
      if (own.versionField) users.push({ kind: 'version field', name: table, fields: [own.versionField] })
      if (own.linksTo) users.push({ kind: 'identity link', name: table, fields: [own.linksTo.field] })
    }
    for (const [name, def] of Object.entries(defs)) {
      for (const [rel, r] of Object.entries(def.relationships ?? {})) {
        if (name === table)
          users.push({ kind: 'relationship', name: `${name}.${rel}`, fields: Object.keys(r.on) })
        if (r.target === table)
          users.push({ kind: 'relationship', name: `${name}.${rel}`, fields: Object.values(r.on) })
      }
      if (def.linksTo?.table === table) {
        const target = defs[table]
        if (target) users.push({ kind: 'identity link', name, fields: target.primaryKey })
      }
    }
    return users
  }
}

interface TableRow {
  org: string
  name: string
  revision: number
  definition: string
  created_at: string
  updated_at: string
}

function toStored(r: TableRow): StoredTable {
  return {
    org: r.org,
    name: r.name,
    revision: r.revision,
    definition: JSON.parse(r.definition) as TableDef,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

/** Dataset tables carry no engine-level key: upserts are done set-wise by the ingestion pipeline. */
export function createTableSql(schema: string, name: string, def: TableDef): string {
  const cols = Object.entries(def.fields).map(
    ([f, field]) => `${ident(f)} ${duckdbStorageType(field)}${distinctTextCompression(def, f)}`,
  )
  for (const [c, t] of Object.entries(SYSTEM_COLUMNS)) cols.push(`${ident(c)} ${t}`)
  return `CREATE TABLE ${schema}.${ident(name)} (${cols.join(', ')})`
}

/**
 * The compression of a text column whose values are (nearly) all distinct: a single-column primary
 * key, or an identity field (an e-mail, phone or ID names one person). A dictionary cannot shrink
 * such a column, so FSST is named up front and the engine skips trying the others on every write
 * (a third of the cost of writing 10 M such keys). Other columns are left to the engine's choice.
 */
function distinctTextCompression(def: TableDef, field: string): string {
  const f = def.fields[field]
  if (f?.type !== 'string') return ''
  const key = def.primaryKey.length === 1 && def.primaryKey[0] === field
  return key || f.identity ? ' USING COMPRESSION fsst' : ''
}

async function alterTable(
  s: Session,
  org: string,
  name: string,
  before: TableDef,
  after: TableDef,
  diff: TableDiff,
) {
  const table = `${orgSchema(org)}.${ident(name)}`
  for (const f of diff.added)
    await s.run(`ALTER TABLE ${table} ADD COLUMN ${ident(f)} ${duckdbStorageType(after.fields[f]!)}`)
  for (const f of diff.removed) await s.run(`ALTER TABLE ${table} DROP COLUMN ${ident(f)}`)
  const retyped = new Set(diff.retyped.map((r) => r.field))
  for (const [field, def] of Object.entries(after.fields)) {
    const old = before.fields[field]
    if (!old) continue
    const col = ident(field)
    if (def.type === 'enum' && (def.values?.length ?? 0) > 0) {
      // An enum column is stored as ENUM when it was created so (tables from before keep VARCHAR)
      // or retyped to enum now. Its type holds the declared values and every value stored, so
      // values removed from the schema stay readable, as they would in text.
      const wasEnum = (await columnType(s, orgSchemaName(org), name, field)).startsWith('ENUM')
      if (!wasEnum && !retyped.has(field)) continue
      if (wasEnum && JSON.stringify(old.values) === JSON.stringify(def.values)) continue
      await retypeToEnum(s, orgSchemaName(org), name, field, def.values!)
    } else if (retyped.has(field)) {
      const to = duckdbType(def)
      if (duckdbType(old) !== to || old.type === 'enum')
        await s.run(`ALTER TABLE ${table} ALTER COLUMN ${col} TYPE ${to}`)
    }
  }
}
