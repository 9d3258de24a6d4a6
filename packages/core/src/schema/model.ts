import { z } from 'zod'

/** Field types a schema may declare, and the engine type each maps to. */
export const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'timestamp', 'enum'] as const
export const FieldType = z.enum(FIELD_TYPES)
export type FieldType = z.infer<typeof FieldType>

export const DEFAULT_MAX_LENGTH = 65_536

export const IdentityDef = z
  .object({
    namespace: z.string().min(1).max(63),
    primary: z.boolean().optional(),
    defaultCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code such as FR')
      .optional(),
    countryField: z.string().optional(),
  })
  .strict()
export type IdentityDef = z.infer<typeof IdentityDef>

export const FieldDef = z
  .object({
    type: FieldType,
    label: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    nullable: z.boolean().optional(),
    values: z.array(z.string().min(1).max(200)).max(1000).optional(),
    maxLength: z.number().int().positive().max(10_485_760).optional(),
    labels: z.array(z.string().min(1).max(63)).max(50).optional(),
    identity: IdentityDef.optional(),
  })
  .strict()
export type FieldDef = z.infer<typeof FieldDef>

export const Cardinality = z.enum(['1-1', '1-N', 'N-1'])
export type Cardinality = z.infer<typeof Cardinality>

export const RelationshipDef = z
  .object({
    target: z.string(),
    cardinality: Cardinality,
    on: z.record(z.string(), z.string()),
    inverse: z.string().optional(),
    label: z.string().max(200).optional(),
  })
  .strict()
export type RelationshipDef = z.infer<typeof RelationshipDef>

export const TableDef = z
  .object({
    label: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    primaryKey: z.array(z.string()).min(1).max(8),
    versionField: z.string().optional(),
    labels: z.array(z.string().min(1).max(63)).max(50).optional(),
    linksTo: z.object({ table: z.string(), field: z.string() }).strict().optional(),
    fields: z.record(z.string(), FieldDef),
    relationships: z.record(z.string(), RelationshipDef).optional(),
  })
  .strict()
export type TableDef = z.infer<typeof TableDef>

export const SchemaFile = z
  .object({
    tables: z.record(z.string(), TableDef),
  })
  .strict()
export type SchemaFile = z.infer<typeof SchemaFile>

/** A relationship as seen from one table, including inverses declared on the other side. */
export interface ResolvedRelationship {
  name: string
  from: string
  target: string
  cardinality: Cardinality
  on: Record<string, string>
  declaredOn: string
}

/** A table as stored: its definition plus its org and revision. */
export const StoredTable = z.object({
  org: z.string(),
  name: z.string(),
  revision: z.number().int(),
  definition: TableDef,
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type StoredTable = z.infer<typeof StoredTable>
