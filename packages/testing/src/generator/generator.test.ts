import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isAppError, parseSchemaText, validateSchema } from '@ahub/core'
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { type DemoProgress, type DemoResult, generateDemo, startOfUtcDay } from './generate-demo'
import { invalidProfileRows } from './invalid-rows'

const AS_OF = new Date('2025-06-01T00:00:00Z')
const PROFILES = 5000
const PURCHASES = 50_000
const DAY_MS = 86_400_000

/** Splits one CSV line (RFC 4180, no line breaks inside fields, which the generator never writes). */
function splitCsvLine(line: string): string[] {
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      fields.push(field)
      field = ''
    } else field += c
  }
  fields.push(field)
  return fields
}

interface Table {
  header: string[]
  rows: Record<string, string>[]
}

async function readCsv(path: string): Promise<Table> {
  const text = await readFile(path, 'utf8')
  expect(text.endsWith('\n')).toBe(true)
  const [headerLine, ...lines] = text.slice(0, -1).split('\n')
  const header = splitCsvLine(headerLine!)
  const split = lines.map(splitCsvLine)
  expect(split.filter((values) => values.length !== header.length)).toEqual([])
  const rows = split.map((values) => Object.fromEntries(header.map((name, i) => [name, values[i]!])))
  return { header, rows }
}

async function hashes(result: DemoResult): Promise<string[]> {
  const paths = [result.schemaPath, ...result.files.map((f) => f.path)]
  return Promise.all(
    paths.map(async (p) =>
      createHash('sha256')
        .update(await readFile(p))
        .digest('hex'),
    ),
  )
}

const timestamp = (value: string) => new Date(`${value.replace(' ', 'T')}Z`).getTime()

describe('generateDemo', () => {
  let dir: string
  let result: DemoResult
  let progress: DemoProgress[]
  let profiles: Table
  let purchases: Table
  let links: Table
  // biome-ignore lint/suspicious/noExplicitAny: the parsed YAML is checked field by field below
  let schema: any

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ahub-demo-'))
    progress = []
    result = await generateDemo({
      profiles: PROFILES,
      purchases: PURCHASES,
      seed: 7,
      out: join(dir, 'a'),
      asOf: AS_OF,
      onProgress: (p) => progress.push(p),
    })
    const file = (name: string) => join(dir, 'a', name)
    profiles = await readCsv(file('profiles.csv'))
    purchases = await readCsv(file('purchases.csv'))
    links = await readCsv(file('visitor_links.csv'))
    schema = parse(await readFile(result.schemaPath, 'utf8'))
  })

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('is deterministic: same inputs give identical files, another seed different ones', async () => {
    const again = await generateDemo({
      profiles: PROFILES,
      purchases: PURCHASES,
      seed: 7,
      out: join(dir, 'b'),
      asOf: AS_OF,
    })
    const other = await generateDemo({
      profiles: PROFILES,
      purchases: PURCHASES,
      seed: 8,
      out: join(dir, 'c'),
      asOf: AS_OF,
    })
    const [first, second, third] = await Promise.all([hashes(result), hashes(again), hashes(other)])
    expect(second).toEqual(first)
    expect(third[0]).toBe(first![0]) // the schema does not depend on the seed
    for (let i = 1; i < first!.length; i++) expect(third[i]).not.toBe(first![i])
  })

  it('reports every file with its rows and size', async () => {
    expect(result.files.map((f) => f.name)).toEqual(['profiles.csv', 'purchases.csv', 'visitor_links.csv'])
    expect(result.schemaPath).toBe(join(dir, 'a', 'schema.yaml'))
    const [p, o, v] = result.files
    expect([p!.rows, o!.rows, v!.rows]).toEqual([PROFILES, PURCHASES, links.rows.length])
    expect(profiles.rows).toHaveLength(PROFILES)
    expect(purchases.rows).toHaveLength(PURCHASES)
    for (const f of result.files) expect(f.bytes).toBe((await stat(f.path)).size)
    for (const f of result.files) {
      const last = progress.filter((e) => e.file === f.name).at(-1)
      expect(last).toEqual({ file: f.name, rows: f.rows, totalRows: f.rows })
    }
  })

  it('writes header rows matching the schema fields', () => {
    expect(profiles.header).toEqual([
      'profile_id',
      'email',
      'phone',
      'crm_id',
      'first_name',
      'last_name',
      'country',
      'city',
      'birth_date',
      'gender',
      'loyalty_tier',
      'marketing_consent',
      'created_at',
      'updated_at',
    ])
    expect(purchases.header).toEqual([
      'purchase_id',
      'profile_id',
      'amount',
      'currency',
      'category',
      'channel',
      'purchased_at',
    ])
    expect(links.header).toEqual(['visitor_id', 'profile_id', 'seen_at'])
    expect(Object.keys(schema.tables.profiles.fields)).toEqual(profiles.header)
    expect(Object.keys(schema.tables.purchases.fields)).toEqual(purchases.header)
    expect(Object.keys(schema.tables.visitor_links.fields)).toEqual(links.header)
  })

  it('writes a schema file that parses as YAML and declares identities, labels and links', () => {
    const { profiles: p, purchases: o, visitor_links: v } = schema.tables
    expect(p.primaryKey).toEqual(['profile_id'])
    expect(p.versionField).toBe('updated_at')
    expect(p.fields.email.identity).toEqual({ namespace: 'email', primary: true })
    expect(p.fields.phone.identity).toEqual({ namespace: 'phone', countryField: 'country' })
    expect(p.fields.crm_id.identity).toEqual({ namespace: 'crm' })
    for (const f of ['email', 'phone', 'first_name', 'last_name']) expect(p.fields[f].labels).toContain('pii')
    expect(p.fields.marketing_consent.labels).toEqual(['consent'])
    expect(p.fields.country.values).toEqual(['FR', 'DE', 'GB', 'US', 'ES', 'IT', 'NL', 'BE'])
    expect(p.relationships.purchases).toEqual({
      target: 'purchases',
      cardinality: '1-N',
      on: { profile_id: 'profile_id' },
      inverse: 'profile',
    })
    expect(p.relationships.visitor_links.inverse).toBe('profile')
    expect(o.versionField).toBeUndefined()
    expect(o.fields.amount.type).toBe('number')
    expect(v.primaryKey).toEqual(['visitor_id', 'profile_id'])
    expect(v.versionField).toBe('seen_at')
    expect(v.linksTo).toEqual({ table: 'profiles', field: 'profile_id' })
    expect(v.fields.visitor_id.identity).toEqual({ namespace: 'ecid', primary: true })
  })

  it('writes a schema that the schema validator accepts', async () => {
    expect(validateSchema(parseSchemaText(await readFile(result.schemaPath, 'utf8')))).toEqual([])
  })

  it('keeps enum columns within the schema values, except the invalid country rows', () => {
    for (const [name, table] of [
      ['profiles', profiles],
      ['purchases', purchases],
    ] as const) {
      const fields = schema.tables[name].fields
      for (const [field, def] of Object.entries<{ type: string; values?: string[] }>(fields)) {
        if (def.type !== 'enum') continue
        const seen = new Set(table.rows.map((r) => r[field] ?? ''))
        seen.delete('')
        if (field === 'country') seen.delete('UK')
        expect([...seen].filter((v) => !def.values!.includes(v))).toEqual([])
      }
    }
  })

  it('puts the documented invalid rows, and only those, in profiles', () => {
    const invalid = invalidProfileRows(PROFILES)
    expect(invalid.length).toBeGreaterThanOrEqual(1)
    const emailLike = /^\s*[^\s@]+@[^\s@]+\.[a-z]+\s*$/i
    const isoDate = (v: string) =>
      /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)
    const found = profiles.rows.flatMap((row, index) => [
      ...(emailLike.test(row.email!) ? [] : [{ index, field: 'email' }]),
      ...(row.birth_date === '' || isoDate(row.birth_date!) ? [] : [{ index, field: 'birth_date' }]),
      ...(row.country === 'UK' ? [{ index, field: 'country' }] : []),
    ])
    expect(found).toEqual(invalid.map(({ index, field }) => ({ index, field })))
    expect(invalidProfileRows(999)).toEqual([])
    expect(invalidProfileRows(1_000_000).map((r) => r.field)).toContain('country')
    expect(invalidProfileRows(1_000_000)).toHaveLength(50)
  })

  it('has about 1% of profiles re-using an e-mail address', () => {
    const emails = profiles.rows.map((r) => r.email!.trim().toLowerCase())
    const duplicates = emails.length - new Set(emails).size
    expect(duplicates / PROFILES).toBeGreaterThan(0.005)
    expect(duplicates / PROFILES).toBeLessThan(0.016)
    // variations people type: upper-case letters, surrounding spaces, Gmail +tags
    expect(profiles.rows.some((r) => r.email !== r.email!.trim())).toBe(true)
    expect(profiles.rows.some((r) => /[A-Z]/.test(r.email!))).toBe(true)
    expect(profiles.rows.some((r) => /\+[a-z]+@gmail\.com$/.test(r.email!))).toBe(true)
  })

  it('writes phones valid for the profile country for 99% of non-empty ones, ~10% empty', () => {
    const withPhone = profiles.rows.filter((r) => r.phone !== '')
    const valid = withPhone.filter((r) => {
      const country = r.country === 'UK' ? undefined : (r.country as CountryCode)
      return parsePhoneNumberFromString(r.phone!, country)?.isValid() === true
    })
    expect(valid.length / withPhone.length).toBeGreaterThanOrEqual(0.99)
    expect(1 - withPhone.length / PROFILES).toBeCloseTo(0.1, 1)
    expect(withPhone.some((r) => !r.phone!.startsWith('+'))).toBe(true)
  })

  it('gives about 90% of profiles a unique CRM id', () => {
    const crm = profiles.rows.map((r) => r.crm_id!).filter((c) => c !== '')
    expect(crm.length / PROFILES).toBeCloseTo(0.9, 1)
    expect(new Set(crm).size).toBe(crm.length)
  })

  it('writes only valid ECIDs, 1 to 3 per linked profile for about 60% of profiles', () => {
    const max = 9223372036854775807n
    const invalid = links.rows
      .map((r) => r.visitor_id!)
      .filter(
        (ecid) => !/^\d{38}$/.test(ecid) || BigInt(ecid.slice(0, 19)) > max || BigInt(ecid.slice(19)) > max,
      )
    expect(invalid).toEqual([])
    const perProfile = new Map<string, number>()
    for (const r of links.rows) perProfile.set(r.profile_id!, (perProfile.get(r.profile_id!) ?? 0) + 1)
    expect(perProfile.size / PROFILES).toBeCloseTo(0.6, 1)
    expect(Math.max(...perProfile.values())).toBeLessThanOrEqual(3)
    const keys = links.rows.map((r) => `${r.visitor_id}|${r.profile_id}`)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('spreads purchases over two years, skewed across profiles, without duplicates', () => {
    const ids = new Set(profiles.rows.map((r) => r.profile_id))
    const purchaseIds = new Set(purchases.rows.map((r) => r.purchase_id))
    expect(purchaseIds.size).toBe(PURCHASES)
    const lines = new Set(purchases.rows.map((r) => JSON.stringify({ ...r, purchase_id: '' })))
    expect(lines.size).toBe(PURCHASES)
    const perProfile = new Map<string, number>()
    for (const r of purchases.rows) perProfile.set(r.profile_id!, (perProfile.get(r.profile_id!) ?? 0) + 1)
    expect([...perProfile.keys()].filter((id) => !ids.has(id))).toEqual([])
    expect(purchases.rows.filter((r) => !/^\d+\.\d{2}$/.test(r.amount!))).toEqual([])
    expect(
      purchases.rows.filter((r) => !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(r.purchased_at!)),
    ).toEqual([])
    const asOf = AS_OF.getTime()
    const times = purchases.rows.map((r) => timestamp(r.purchased_at!))
    expect(times.filter((at) => at >= asOf || at < asOf - 730 * DAY_MS)).toEqual([])
    const recent = times.filter((at) => at >= asOf - 30 * DAY_MS).length
    expect(recent / PURCHASES).toBeGreaterThan(0.02)
    expect(recent / PURCHASES).toBeLessThan(0.045)
    const neverBuy = 1 - perProfile.size / PROFILES
    expect(neverBuy).toBeGreaterThan(0.17)
    expect(neverBuy).toBeLessThan(0.3)
    // a few profiles buy much more than the average
    expect(Math.max(...perProfile.values())).toBeGreaterThan((10 * PURCHASES) / perProfile.size)
  })

  it('formats dates, timestamps and booleans, all before asOf', () => {
    const stamp = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/
    const wrong = profiles.rows.filter(
      (r) =>
        !/^(true|false)$/.test(r.marketing_consent!) ||
        !stamp.test(r.created_at!) ||
        !stamp.test(r.updated_at!) ||
        timestamp(r.updated_at!) < timestamp(r.created_at!) ||
        timestamp(r.updated_at!) >= AS_OF.getTime(),
    )
    expect(wrong).toEqual([])
    expect(profiles.rows.some((r) => r.gender === '')).toBe(true)
    expect(profiles.rows.some((r) => r.birth_date === '')).toBe(true)
  })

  it('quotes fields only where needed', async () => {
    const text = await readFile(join(dir, 'a', 'profiles.csv'), 'utf8')
    const quoted = text.match(/"[^"]*"/g) ?? []
    expect(quoted.length).toBeGreaterThan(0)
    for (const q of quoted) expect(q).toMatch(/[",]/)
  })

  it('refuses invalid options with every issue', async () => {
    const error = await generateDemo({ profiles: -1, purchases: 1.5, seed: Number.NaN, out: dir }).catch(
      (e) => e,
    )
    expect(isAppError(error)).toBe(true)
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.details.issues.map((i: { path: string[] }) => i.path[0])).toEqual([
      'profiles',
      'purchases',
      'seed',
    ])
    const noProfiles = await generateDemo({ profiles: 0, purchases: 5, seed: 1, out: dir }).catch((e) => e)
    expect(noProfiles.code).toBe('VALIDATION_FAILED')
  })

  it('handles profiles with more purchases than fit in one chunk', async () => {
    const few = await generateDemo({
      profiles: 3,
      purchases: 40_000,
      seed: 3,
      out: join(dir, 'few'),
      asOf: AS_OF,
    })
    const table = await readCsv(few.files[1]!.path)
    expect(table.rows).toHaveLength(40_000)
    expect(table.rows.filter((r) => !/^\d+\.\d{2}$/.test(r.amount!))).toEqual([])
  })

  it('writes empty files with headers for zero profiles', async () => {
    const empty = await generateDemo({
      profiles: 0,
      purchases: 0,
      seed: 1,
      out: join(dir, 'empty'),
      asOf: AS_OF,
    })
    expect(empty.files.map((f) => f.rows)).toEqual([0, 0, 0])
    expect(await readFile(empty.files[1]!.path, 'utf8')).toBe(
      'purchase_id,profile_id,amount,currency,category,channel,purchased_at\n',
    )
  })

  it('defaults asOf to the start of the current UTC day', () => {
    expect(startOfUtcDay(new Date('2025-03-04T23:59:59.999Z')).toISOString()).toBe('2025-03-04T00:00:00.000Z')
  })
})
