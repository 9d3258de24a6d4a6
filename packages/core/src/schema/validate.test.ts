import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { AppError, type Issue } from '../errors'
import type { FieldDef, SchemaFile, TableDef } from './model'
import { parseSchemaText } from './parse'
import { assertValidSchema, diffTable, isDestructive, validateSchema } from './validate'

const id: FieldDef = { type: 'string', nullable: false }
const str: FieldDef = { type: 'string' }

/** A table keyed on `id`, with the given extra fields and table keys. */
function table(fields: Record<string, FieldDef> = {}, extra: Partial<TableDef> = {}): TableDef {
  return { primaryKey: ['id'], fields: { id, ...fields }, ...extra }
}

/** The path and code of each issue, sorted, so lists compare regardless of order. */
function located(issues: Issue[]): { path: (string | number)[]; code: string }[] {
  return issues
    .map((i) => ({ path: i.path, code: i.code }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
}

function caught(fn: () => unknown): AppError {
  try {
    fn()
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('expected an AppError to be thrown')
}

/** The issues an error carries in its details, with the line and column parse errors add. */
function issuesOf(error: AppError): (Issue & { line?: number; column?: number })[] {
  const issues = error.details?.issues
  if (!Array.isArray(issues)) throw new Error(`${error.code} carries no issues`)
  return issues
}

interface Case {
  name: string
  tables: Record<string, TableDef>
  expected: { path: (string | number)[]; code: string }[]
}

// Each case uses its own table names, so that all of them can also be validated as one file.
const cases: Case[] = [
  {
    name: 'an unknown field in the primary key',
    tables: { pk_unknown: table({}, { primaryKey: ['id', 'missing'] }) },
    expected: [{ path: ['tables', 'pk_unknown', 'primaryKey', 1], code: 'UNKNOWN_FIELD' }],
  },
  {
    name: 'a nullable key field',
    tables: { pk_nullable: { primaryKey: ['id'], fields: { id: { type: 'string', nullable: true } } } },
    expected: [{ path: ['tables', 'pk_nullable', 'primaryKey', 0], code: 'NULLABLE_KEY' }],
  },
  {
    name: 'an enum without values',
    tables: { enum_empty: table({ status: { type: 'enum' }, tier: { type: 'enum', values: [] } }) },
    expected: [
      { path: ['tables', 'enum_empty', 'fields', 'status', 'values'], code: 'ENUM_NO_VALUES' },
      { path: ['tables', 'enum_empty', 'fields', 'tier', 'values'], code: 'ENUM_NO_VALUES' },
    ],
  },
  {
    name: 'values on a field that is not an enum',
    tables: { values_plain: table({ score: { type: 'integer', values: ['1', '2'] } }) },
    expected: [{ path: ['tables', 'values_plain', 'fields', 'score', 'values'], code: 'VALUES_NOT_ENUM' }],
  },
  {
    name: 'an identity on a field that is not a string',
    tables: { id_int: table({ card: { type: 'integer', identity: { namespace: 'crm', primary: true } } }) },
    expected: [{ path: ['tables', 'id_int', 'fields', 'card', 'identity'], code: 'IDENTITY_NOT_STRING' }],
  },
  {
    name: 'an unknown identity namespace',
    tables: { id_ns: table({ mail: { type: 'string', identity: { namespace: 'E-Mail', primary: true } } }) },
    expected: [
      { path: ['tables', 'id_ns', 'fields', 'mail', 'identity', 'namespace'], code: 'UNKNOWN_NAMESPACE' },
    ],
  },
  {
    name: 'two primary identities',
    tables: {
      id_two: table({
        email: { type: 'string', identity: { namespace: 'email', primary: true } },
        phone: { type: 'string', identity: { namespace: 'phone', primary: true, defaultCountry: 'FR' } },
      }),
    },
    expected: [{ path: ['tables', 'id_two', 'fields'], code: 'MULTIPLE_PRIMARY_IDENTITIES' }],
  },
  {
    name: 'identity fields without a primary one',
    tables: {
      id_none: table({
        email: { type: 'string', identity: { namespace: 'email' } },
        crm_id: { type: 'string', identity: { namespace: 'crm' } },
      }),
    },
    expected: [{ path: ['tables', 'id_none', 'fields'], code: 'NO_PRIMARY_IDENTITY' }],
  },
  {
    name: 'a version field of the wrong type',
    tables: { version_bool: table({ active: { type: 'boolean' } }, { versionField: 'active' }) },
    expected: [{ path: ['tables', 'version_bool', 'versionField'], code: 'WRONG_TYPE' }],
  },
  {
    name: 'a version field that is not a field',
    tables: { version_gone: table({}, { versionField: 'updated_at' }) },
    expected: [{ path: ['tables', 'version_gone', 'versionField'], code: 'UNKNOWN_FIELD' }],
  },
  {
    name: 'a relationship to an unknown table',
    tables: {
      rel_orphan: table(
        {},
        { relationships: { shop: { target: 'shops', cardinality: 'N-1', on: { id: 'shop_id' } } } },
      ),
    },
    expected: [{ path: ['tables', 'rel_orphan', 'relationships', 'shop', 'target'], code: 'UNKNOWN_TABLE' }],
  },
  {
    name: '`on` with unknown fields on either side and a type mismatch',
    tables: {
      on_customers: table({ customer_no: { type: 'integer' } }),
      on_orders: table(
        { customer_ref: { type: 'integer' }, customer_id: str },
        {
          relationships: {
            customer: {
              target: 'on_customers',
              cardinality: 'N-1',
              // customer_id is a string, id on the target too: fine. customer_ref (integer) -> id (string) is not.
              on: { customer_ref: 'id', ghost: 'id', customer_id: 'nowhere' },
            },
          },
        },
      ),
    },
    expected: [
      {
        path: ['tables', 'on_orders', 'relationships', 'customer', 'on', 'customer_ref'],
        code: 'TYPE_MISMATCH',
      },
      { path: ['tables', 'on_orders', 'relationships', 'customer', 'on', 'ghost'], code: 'UNKNOWN_FIELD' },
      {
        path: ['tables', 'on_orders', 'relationships', 'customer', 'on', 'customer_id'],
        code: 'UNKNOWN_FIELD',
      },
    ],
  },
  {
    name: 'an inverse named like a field of the target',
    tables: {
      inv_stores: table({ name: str }),
      inv_tills: table(
        { store_id: str },
        {
          relationships: {
            store: { target: 'inv_stores', cardinality: 'N-1', on: { store_id: 'id' }, inverse: 'name' },
          },
        },
      ),
    },
    expected: [{ path: ['tables', 'inv_tills', 'relationships', 'store', 'inverse'], code: 'NAME_CLASH' }],
  },
  {
    name: 'a relationship named like a field',
    tables: {
      rel_named: table(
        { parent: str },
        { relationships: { parent: { target: 'rel_named', cardinality: 'N-1', on: { parent: 'id' } } } },
      ),
    },
    expected: [{ path: ['tables', 'rel_named', 'relationships', 'parent'], code: 'NAME_CLASH' }],
  },
  {
    name: 'an N-1 cycle A -> B -> C -> A',
    tables: {
      cyc_a: table(
        { b_id: str },
        { relationships: { b: { target: 'cyc_b', cardinality: 'N-1', on: { b_id: 'id' } } } },
      ),
      cyc_b: table(
        { c_id: str },
        { relationships: { c: { target: 'cyc_c', cardinality: 'N-1', on: { c_id: 'id' } } } },
      ),
      cyc_c: table(
        { a_id: str },
        { relationships: { a: { target: 'cyc_a', cardinality: 'N-1', on: { a_id: 'id' } } } },
      ),
    },
    expected: [{ path: ['tables', 'cyc_a', 'relationships'], code: 'RELATIONSHIP_CYCLE' }],
  },
  {
    name: 'linksTo an unknown table',
    tables: {
      links_orphan: {
        primaryKey: ['visitor_id', 'profile_id'],
        linksTo: { table: 'people', field: 'profile_id' },
        fields: {
          visitor_id: { type: 'string', nullable: false, identity: { namespace: 'ecid', primary: true } },
          profile_id: id,
        },
      },
    },
    expected: [{ path: ['tables', 'links_orphan', 'linksTo', 'table'], code: 'UNKNOWN_TABLE' }],
  },
  {
    name: 'names that are not identifiers',
    tables: {
      'Bad-Name': table(),
      bad_names: table(
        { 'Bad-Field': str },
        { relationships: { 'Bad-Rel': { target: 'bad_names', cardinality: '1-1', on: { id: 'id' } } } },
      ),
    },
    expected: [
      { path: ['tables', 'Bad-Name'], code: 'INVALID_IDENTIFIER' },
      { path: ['tables', 'bad_names', 'fields', 'Bad-Field'], code: 'INVALID_IDENTIFIER' },
      { path: ['tables', 'bad_names', 'relationships', 'Bad-Rel'], code: 'INVALID_IDENTIFIER' },
    ],
  },
  {
    name: 'the reserved field _change_request_type',
    tables: { reserved_op: table({ _change_request_type: str }) },
    expected: [
      { path: ['tables', 'reserved_op', 'fields', '_change_request_type'], code: 'INVALID_IDENTIFIER' },
    ],
  },
]

describe('validateSchema', () => {
  it('accepts the example of docs/schema-format.md', () => {
    const doc = readFileSync(
      fileURLToPath(new URL('../../../../docs/schema-format.md', import.meta.url)),
      'utf8',
    )
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1]
    expect(yaml).toBeDefined()
    const file = parseSchemaText(yaml!)
    expect(Object.keys(file.tables)).toEqual(['profiles', 'purchases', 'visitor_links'])
    expect(validateSchema(file)).toEqual([])
  })

  it('accepts a custom identity namespace named like an identifier', () => {
    const file = {
      tables: {
        cards: table({ card: { type: 'string', identity: { namespace: 'loyalty_id', primary: true } } }),
      },
    }
    expect(validateSchema(file)).toEqual([])
  })

  for (const c of cases) {
    it(`reports ${c.name}`, () => {
      expect(located(validateSchema({ tables: c.tables }))).toEqual(located(c.expected as Issue[]))
    })
  }

  it('reports every problem of a file at once, each with its path and code', () => {
    const file: SchemaFile = { tables: Object.assign({}, ...cases.map((c) => c.tables)) }
    const issues = validateSchema(file)
    expect(located(issues)).toEqual(located(cases.flatMap((c) => c.expected) as Issue[]))
    for (const i of issues) expect(i.message.length).toBeGreaterThan(0)

    const error = caught(() => assertValidSchema(file))
    expect(error.code).toBe('SCHEMA_INVALID')
    expect(error.details?.issues).toEqual(issues)
  })

  it('names the tables of an N-1 cycle in order', () => {
    const cycle = cases.find((c) => c.name.includes('cycle'))!
    const [issue] = validateSchema({ tables: cycle.tables })
    expect(issue?.message).toContain('cyc_a -> cyc_b -> cyc_c -> cyc_a')
  })

  it('checks relationships and linksTo against the tables the org already has', () => {
    const existing = { people: table() }
    const file: SchemaFile = {
      tables: {
        visits: table(
          { person_id: str, visitor_id: { type: 'string', identity: { namespace: 'ecid', primary: true } } },
          {
            linksTo: { table: 'people', field: 'person_id' },
            relationships: { person: { target: 'people', cardinality: 'N-1', on: { person_id: 'id' } } },
          },
        ),
      },
    }
    expect(validateSchema(file, existing)).toEqual([])
    expect(located(validateSchema(file))).toEqual([
      { path: ['tables', 'visits', 'linksTo', 'table'], code: 'UNKNOWN_TABLE' },
      { path: ['tables', 'visits', 'relationships', 'person', 'target'], code: 'UNKNOWN_TABLE' },
    ])
  })

  it('reports an inverse named like a relationship declared on the target', () => {
    const issues = validateSchema({
      tables: {
        teams: table(
          { coach_id: str },
          { relationships: { coach: { target: 'players', cardinality: '1-1', on: { coach_id: 'id' } } } },
        ),
        players: table(
          { team_id: str },
          {
            relationships: {
              team: { target: 'teams', cardinality: 'N-1', on: { team_id: 'id' }, inverse: 'coach' },
            },
          },
        ),
      },
    })
    expect(located(issues)).toContainEqual({
      path: ['tables', 'players', 'relationships', 'team', 'inverse'],
      code: 'NAME_CLASH',
    })
  })

  it('reports two relationships of one table that give the target the same inverse name', () => {
    // Seen from teams, `players` would name two different links.
    const file: SchemaFile = {
      tables: {
        teams: table(),
        players: table(
          { team_id: str, captain_of: str },
          {
            relationships: {
              team: { target: 'teams', cardinality: 'N-1', on: { team_id: 'id' }, inverse: 'players' },
              captain: { target: 'teams', cardinality: '1-1', on: { captain_of: 'id' }, inverse: 'players' },
            },
          },
        ),
      },
    }
    const issues = validateSchema(file)
    expect(issues.map((i) => i.code)).toContain('NAME_CLASH')
    expect(issues.find((i) => i.code === 'NAME_CLASH')?.path.slice(0, 3)).toEqual([
      'tables',
      'players',
      'relationships',
    ])
  })

  it('reserves rowid, which the engine uses to address rows', () => {
    // A dataset column named rowid shadows DuckDB's row address, which the ingestion pipeline
    // uses to update and delete rows: duplicate rowid values would then overwrite other rows.
    const issues = validateSchema({ tables: { items: table({ rowid: { type: 'integer' } }) } })
    expect(located(issues)).toEqual([
      { path: ['tables', 'items', 'fields', 'rowid'], code: 'INVALID_IDENTIFIER' },
    ])
  })
})

describe('parseSchemaText', () => {
  const yaml = `tables:
  profiles:
    primaryKey: [profile_id]
    fields:
      profile_id: { type: string, nullable: false }
      email: { type: string, identity: { namespace: email, primary: true } }
`
  const parsed = {
    tables: {
      profiles: {
        primaryKey: ['profile_id'],
        fields: {
          profile_id: { type: 'string', nullable: false },
          email: { type: 'string', identity: { namespace: 'email', primary: true } },
        },
      },
    },
  }

  it('reads YAML and JSON alike', () => {
    expect(parseSchemaText(yaml)).toEqual(parsed)
    expect(parseSchemaText(JSON.stringify(parsed, null, 2))).toEqual(parsed)
  })

  it('keeps the order of tables and fields', () => {
    const file = parseSchemaText(
      'tables:\n  zeta: { primaryKey: [z], fields: { z: { type: string }, a: { type: integer } } }\n  alpha: { primaryKey: [a], fields: { a: { type: string } } }\n',
    )
    expect(Object.keys(file.tables)).toEqual(['zeta', 'alpha'])
    expect(Object.keys(file.tables.zeta!.fields)).toEqual(['z', 'a'])
  })

  it('reports malformed YAML with its line', () => {
    const error = caught(() =>
      parseSchemaText('tables:\n  profiles:\n    primaryKey: [profile_id\n    fields: {}\n'),
    )
    expect(error.code).toBe('SCHEMA_PARSE_ERROR')
    const issues = issuesOf(error)
    expect(issues.length).toBeGreaterThan(0)
    expect(issues[0]?.line).toBeTypeOf('number')
    expect(issues[0]!.line).toBeGreaterThanOrEqual(3)
  })

  it('reports malformed JSON with its line', () => {
    const error = caught(() => parseSchemaText('{\n  "tables": {\n    "p": { "primaryKey": ["id"] \n}'))
    expect(error.code).toBe('SCHEMA_PARSE_ERROR')
    expect(issuesOf(error)[0]?.line).toBeTypeOf('number')
  })

  it('refuses duplicate keys', () => {
    const error = caught(() =>
      parseSchemaText(
        'tables:\n  p:\n    primaryKey: [id]\n    primaryKey: [x]\n    fields: { id: { type: string } }\n',
      ),
    )
    expect(error.code).toBe('SCHEMA_PARSE_ERROR')
  })

  it('refuses aliases', () => {
    const error = caught(() =>
      parseSchemaText(
        'tables:\n  a: &t\n    primaryKey: [id]\n    fields: { id: { type: string } }\n  b: *t\n',
      ),
    )
    expect(error.code).toBe('SCHEMA_PARSE_ERROR')
  })

  it('refuses a recursive alias', () => {
    expect(caught(() => parseSchemaText('tables: &t\n  a: *t\n')).code).toBe('SCHEMA_PARSE_ERROR')
    expect(caught(() => parseSchemaText('a: &a [*a]\n')).code).toBe('SCHEMA_PARSE_ERROR')
  })

  it('refuses an alias bomb', () => {
    const lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i)
      const cur = String.fromCharCode(97 + i)
      lines.push(
        `${cur}: &${cur} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`,
      )
    }
    expect(caught(() => parseSchemaText(`${lines.join('\n')}\n`)).code).toBe('SCHEMA_PARSE_ERROR')
  })

  it('refuses text over 1 MiB', () => {
    const big = `# ${'x'.repeat(1_048_577)}\n${yaml}`
    expect(caught(() => parseSchemaText(big)).code).toBe('SCHEMA_PARSE_ERROR')
  })

  it('reports unknown keys with their paths, together with the other shape problems', () => {
    const error = caught(() =>
      parseSchemaText(
        'tables:\n  profiles:\n    primarykey: [profile_id]\n    fields:\n      profile_id: { tpye: string }\n',
      ),
    )
    expect(error.code).toBe('SCHEMA_INVALID')
    const issues = issuesOf(error)
    const unknown = issues.filter((i) => i.code === 'UNKNOWN_KEY')
    expect(unknown.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        ['tables', 'profiles'],
        ['tables', 'profiles', 'fields', 'profile_id'],
      ]),
    )
    expect(unknown).toHaveLength(2)
    expect(unknown.find((i) => i.path.length === 2)?.message).toContain('primarykey')
    expect(unknown.find((i) => i.path.length === 4)?.message).toContain('tpye')
    // The keys the typos stand for are missing, and reported too.
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        ['tables', 'profiles', 'primaryKey'],
        ['tables', 'profiles', 'fields', 'profile_id', 'type'],
      ]),
    )
  })

  it('reports a document that is not a schema', () => {
    expect(caught(() => parseSchemaText('')).code).toBe('SCHEMA_INVALID')
    expect(caught(() => parseSchemaText('- a\n- b\n')).code).toBe('SCHEMA_INVALID')
    const error = caught(() =>
      parseSchemaText('tables:\n  p: { primaryKey: [id], fields: { id: { type: text } } }\n'),
    )
    expect(error.code).toBe('SCHEMA_INVALID')
    expect(issuesOf(error)[0]?.path).toEqual(['tables', 'p', 'fields', 'id', 'type'])
  })
})

describe('diffTable and isDestructive', () => {
  const before: TableDef = {
    primaryKey: ['id'],
    fields: {
      id,
      name: str,
      age: { type: 'integer' },
      tier: { type: 'enum', values: ['bronze', 'silver', 'gold'] },
    },
  }

  it('finds no change between a definition and itself', () => {
    const d = diffTable(before, structuredClone(before))
    expect(d).toEqual({ added: [], removed: [], retyped: [], enumValuesRemoved: [], keyChanged: false })
    expect(isDestructive(d)).toBe(false)
  })

  it('treats added fields and added enum values as online changes', () => {
    const after: TableDef = {
      ...before,
      fields: {
        ...before.fields,
        tier: { type: 'enum', values: ['bronze', 'silver', 'gold', 'platinum'] },
        city: str,
      },
    }
    const d = diffTable(before, after)
    expect(d.added).toEqual(['city'])
    expect(d.enumValuesRemoved).toEqual([])
    expect(isDestructive(d)).toBe(false)
  })

  it('treats removed fields as destructive', () => {
    const { name: _name, ...fields } = before.fields
    const d = diffTable(before, { ...before, fields })
    expect(d.removed).toEqual(['name'])
    expect(isDestructive(d)).toBe(true)
  })

  it('treats retyped fields as destructive', () => {
    const d = diffTable(before, { ...before, fields: { ...before.fields, age: { type: 'string' } } })
    expect(d.retyped).toEqual([{ field: 'age', from: 'integer', to: 'string' }])
    expect(isDestructive(d)).toBe(true)
  })

  it('treats removed enum values as destructive', () => {
    const d = diffTable(before, {
      ...before,
      fields: { ...before.fields, tier: { type: 'enum', values: ['gold', 'silver'] } },
    })
    expect(d.enumValuesRemoved).toEqual([{ field: 'tier', values: ['bronze'] }])
    expect(isDestructive(d)).toBe(true)
  })

  it('treats a changed primary key as destructive', () => {
    const d = diffTable(before, { ...before, primaryKey: ['id', 'name'] })
    expect(d.keyChanged).toBe(true)
    expect(isDestructive(d)).toBe(true)
  })
})
