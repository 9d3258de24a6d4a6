import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseSchemaText } from '@ahub/core'
import { OPERATORS } from '@ahub/query/operators'
import { type App, bootstrapAdmin, buildApp } from '@ahub/server'
import { Store } from '@ahub/store'
import fc from 'fast-check'
import { rawRequest } from './raw-http'

/**
 * Fuzzing of the HTTP API with fast-check: rule JSON, expressions, campaign definitions and upload
 * parameters, plus fixed shapes known to have broken it. Shared by the fixed-seed test
 * (e2e/fuzz-api.test.ts) and the longer `npm run fuzz`.
 */

/** A request the fuzzer sends. */
export interface FuzzRequest {
  method: 'POST'
  path: string
  /** JSON body (serialised here), JSON text (too deep for JSON.stringify), or other raw text. */
  json?: unknown
  jsonText?: string
  text?: string
}

/** A request that got a 5xx, or an error body holding SQL. */
export interface ServerError {
  property: string
  path: string
  status: number
  code: string | null
  /** The start of the request body, to reproduce it. */
  body: string
}

export interface FuzzTarget {
  base: string
  token: string
  close(): Promise<void>
}

const SCHEMA = `tables:
  profiles:
    primaryKey: [profile_id]
    fields:
      profile_id: { type: string, nullable: false }
      email: { type: string, identity: { namespace: email, primary: true } }
      country: { type: string }
      score: { type: integer }
      spend: { type: number }
      birth_date: { type: date }
      seen_at: { type: timestamp }
      vip: { type: boolean }
    relationships:
      purchases: { target: purchases, cardinality: 1-N, on: { profile_id: profile_id }, inverse: profile }
  purchases:
    primaryKey: [purchase_id]
    fields:
      purchase_id: { type: string, nullable: false }
      profile_id: { type: string }
      amount: { type: number }
      bought_at: { type: timestamp }
`

/** A server on a fresh data directory with two small linked tables, and an admin token. */
export async function startFuzzTarget(): Promise<FuzzTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'ahub-fuzz-'))
  const store = await Store.open({ dataDir: join(dir, 'data') })
  let app: App | undefined
  try {
    await store.createOrg('acme', 'Acme')
    await store.catalog.apply('acme', parseSchemaText(SCHEMA))
    const profiles = join(dir, 'profiles.csv')
    const rows = ['profile_id,email,country,score,spend,birth_date,seen_at,vip']
    for (let i = 0; i < 50; i++)
      rows.push(
        `p${i},u${i}@example.com,${['FR', 'DE', 'US'][i % 3]},${i},${i * 1.5},1990-01-${String((i % 28) + 1).padStart(2, '0')},2026-01-01T00:00:00Z,${i % 2 === 0}`,
      )
    writeFileSync(profiles, `${rows.join('\n')}\n`)
    await store.ingestor.ingest('acme', 'profiles', profiles)
    const purchases = join(dir, 'purchases.csv')
    const p = ['purchase_id,profile_id,amount,bought_at']
    for (let i = 0; i < 100; i++) p.push(`o${i},p${i % 50},${i % 20},2026-01-0${(i % 9) + 1}T00:00:00Z`)
    writeFileSync(purchases, `${p.join('\n')}\n`)
    await store.ingestor.ingest('acme', 'purchases', purchases)
    const token = (await bootstrapAdmin(store, 'acme', true)).secret as string
    app = await buildApp({
      store,
      rateLimit: false,
      logger: process.env.FUZZ_LOG ? { level: 'error' } : false,
    })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    if (!address || typeof address === 'string') throw new Error('the server has no port')
    const started = app
    return {
      base: `http://127.0.0.1:${address.port}`,
      token,
      async close() {
        await started.close()
        await store.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  } catch (e) {
    await app?.close()
    await store.close()
    rmSync(dir, { recursive: true, force: true })
    throw e
  }
}

// ---------------------------------------------------------------- arbitraries

const FIELDS = ['email', 'country', 'score', 'spend', 'birth_date', 'seen_at', 'vip', 'profile_id']

/** Strings that have broken parsers and SQL printers: quotes, escapes, NUL, huge, unicode. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    '',
    "'",
    '"',
    '\\',
    '%\\',
    '%',
    '_',
    '\u0000',
    'a\u0000b',
    '\n',
    '\u202e',
    "'; DROP TABLE x; --",
    '$' + '{x}',
    '{{x}}',
    '\uD800',
    '😀',
  ),
  fc.string({ unit: 'binary', maxLength: 10 }),
)

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0,
    -1,
    2 ** 31,
    2 ** 53,
    -(2 ** 63),
    2 ** 63 - 1,
    3_037_000_500,
    999_999_999_999,
    99_999_999_999,
    1e308,
    -1e308,
    Number.MIN_VALUE,
  ),
)

const value: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  nastyNumber,
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('2026-01-01', '2026-13-45', '1990-01-01T00:00:00Z', 'today', '0000-00-00'),
  fc.array(fc.oneof(nastyString, nastyNumber), { maxLength: 4 }),
  fc.object({ maxDepth: 1, maxKeys: 3 }),
)

const expressionToken = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FIELDS, 'purchases.amount', 'nope', 'profiles.email') },
  { weight: 3, arbitrary: nastyNumber.map((n) => String(n)) },
  {
    weight: 2,
    arbitrary: nastyString.map((s) => `'${s.replaceAll("'", "''")}'`),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '+',
      '-',
      '*',
      '/',
      '%',
      '=',
      '!=',
      '<',
      '>',
      'and',
      'or',
      'not',
      '(',
      ')',
      ',',
      'case',
      'when',
      'then',
      'else',
      'end',
      'null',
      'true',
      "'",
      '"',
      '\\',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'lower(',
      'upper(',
      'trim(',
      'length(',
      'concat(',
      'substr(',
      'replace(',
      'abs(',
      'round(',
      'least(',
      'coalesce(',
      'now()',
      "dateAdd('day', ",
      "truncate('month', ",
      'daysBetween(',
      'year(',
      'sha256(',
      'normaliseEmail(',
      'count(',
      'sum(',
      'rank(',
    ),
  },
)

/** Expression text: random token soup, and well-formed calls with extreme arguments. */
export const expression: fc.Arbitrary<string> = fc.oneof(
  fc.array(expressionToken, { minLength: 1, maxLength: 25 }).map((t) => t.join(' ')),
  fc
    .tuple(
      fc.constantFrom('length(email)', 'score', 'spend', 'year(birth_date)', 'abs(score)'),
      fc.array(fc.tuple(fc.constantFrom('+', '-', '*', '/'), nastyNumber), { maxLength: 5 }),
      fc.constantFrom('>', '<', '=', '!='),
      nastyNumber,
    )
    .map(([start, terms, cmp, n]) => `${start}${terms.map(([op, x]) => ` ${op} ${x}`).join('')} ${cmp} ${n}`),
  fc
    .tuple(fc.constantFrom('day', 'month', 'year', 'hour', 'week', 'nope'), nastyNumber)
    .map(([unit, n]) => `dateAdd('${unit}', ${n}, birth_date) > now()`),
  fc.tuple(nastyNumber, nastyNumber).map(([a, b]) => `substr(email, ${a}, ${b}) = 'x'`),
  fc.string({ maxLength: 40 }),
)

const relativeDate = fc.oneof(
  fc.record({ preset: fc.constantFrom('today', 'last month', 'nope') }),
  fc.record({
    preset: fc.constantFrom('last', 'next', 'before'),
    n: nastyNumber,
    unit: fc.constantFrom('days', 'weeks', 'months', 'years', 'eons'),
  }),
)

/** Rule JSON: mostly well-shaped nodes with nasty values, some shapeless. */
export const rule: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    {
      weight: 5,
      arbitrary: fc.record(
        {
          kind: fc.constant('condition'),
          field: fc.oneof(fc.constantFrom(...FIELDS, 'purchases.amount', 'a.b.c'), nastyString),
          op: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...OPERATORS) }, nastyString),
          value,
          values: fc.array(value, { maxLength: 3 }),
          from: value,
          to: value,
          date: relativeDate,
        },
        { requiredKeys: ['kind', 'field', 'op'] },
      ),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('group'),
        op: fc.oneof(fc.constantFrom('and', 'or', 'except'), nastyString),
        children: fc.array(tie('node'), { maxLength: 4 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record(
        {
          kind: fc.constant('link'),
          link: fc.oneof(fc.constant('purchases'), nastyString),
          where: tie('node'),
          aggregate: fc.record(
            {
              fn: fc.oneof(
                fc.constantFrom('exists', 'not exists', 'count', 'sum', 'avg', 'min', 'max'),
                nastyString,
              ),
              field: fc.constantFrom('amount', 'bought_at', 'nope'),
              op: fc.constantFrom('=', '>', '<=', '~'),
              value,
            },
            { requiredKeys: ['fn'] },
          ),
        },
        { requiredKeys: ['kind', 'link', 'aggregate'] },
      ),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('expression'), expression }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('audience'), audience: nastyString, negate: fc.boolean() }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('filter'), name: nastyString, params: fc.object() }),
    },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
  ),
})).node

const ACTIVITY_TYPES = [
  'scheduler',
  'signal',
  'build_audience',
  'read_audience',
  'combine',
  'deduplication',
  'enrichment',
  'split',
  'reconciliation',
  'change_dimension',
  'export_file',
  'fork',
  'and_join',
  'wait',
  'save_audience',
  'end',
  'nope',
]

/** Campaign definitions: activities of every type with rule, expression and random options. */
export const campaign: fc.Arbitrary<unknown> = fc
  .array(
    fc.record({
      type: fc.constantFrom(...ACTIVITY_TYPES),
      options: fc.oneof(
        fc.record({ rule }),
        fc.record({ fields: fc.array(fc.constantFrom(...FIELDS, 'x'), { maxLength: 3 }), keep: nastyNumber }),
        fc.record({ method: fc.record({ kind: fc.constant('expression'), expression }) }),
        fc.record({
          subsets: fc.array(
            fc.record({ code: nastyString, filter: rule, limit: fc.record({ count: nastyNumber }) }),
            { maxLength: 3 },
          ),
        }),
        fc.record({ label: nastyString, mode: fc.constantFrom('create', 'replace', 'nope') }),
        fc.record({ duration: fc.record({ days: nastyNumber }) }),
        fc.record({
          schedule: fc.record({ kind: fc.constantFrom('cron', 'once'), expression: nastyString }),
        }),
        fc.object({ maxDepth: 2 }),
      ),
    }),
    { maxLength: 6 },
  )
  .chain((acts) => {
    const activities = acts.map((a, i) => ({ id: `a${i}`, ...a }))
    const ids = activities.length ? activities.map((a) => a.id) : ['a0']
    return fc
      .array(fc.record({ from: fc.constantFrom(...ids, 'ghost'), to: fc.constantFrom(...ids, 'ghost') }), {
        maxLength: 8,
      })
      .chain((ts) =>
        fc.record({
          label: nastyString,
          activities: fc.constant(activities),
          transitions: fc.constant(ts.map((t, i) => ({ id: `t${i}`, ...t }))),
          settings: fc.oneof(
            fc.constant(undefined),
            fc.record({ dimension: fc.constantFrom('profiles', 'purchases', 'nope'), timeZone: nastyString }),
          ),
        }),
      )
  })

/** Upload query parameters and a small body. */
export const upload: fc.Arbitrary<{ query: Record<string, string>; text: string }> = fc.record({
  query: fc.record(
    {
      fileName: fc.oneof(
        fc.constantFrom('p.csv', 'p.tsv', 'p.ndjson', 'p.csv.gz', 'p.parquet', 'p'),
        nastyString,
      ),
      format: fc.constantFrom('csv', 'ndjson', 'parquet'),
      delimiter: fc.oneof(fc.constantFrom(',', ';', '\t', '|', '||'), nastyString),
      quote: fc.oneof(fc.constantFrom('"', "'", ''), nastyString),
      escape: fc.oneof(fc.constantFrom('"', '\\', ''), nastyString),
      encoding: fc.constantFrom('utf-8', 'latin-1', 'utf-16', 'nope'),
      header: fc.constantFrom('true', 'false', 'nope'),
    },
    { requiredKeys: ['fileName'] },
  ),
  text: fc.oneof(
    fc.constant('profile_id,email\nz1,z1@example.com\n'),
    fc.constant('{"profile_id":"z2"}\n'),
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
  ),
})

// ---------------------------------------------------------------- requests

const org = '/v1/orgs/acme'

function query(q: Record<string, string>): string {
  return `?${new URLSearchParams(q).toString()}`
}

/** The properties: each maps a generated value to the request it becomes. */
export const PROPERTIES: { name: string; runs: number; arbitrary: fc.Arbitrary<FuzzRequest> }[] = [
  {
    name: 'rule JSON',
    runs: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('validate', 'count', 'sql'), rule)
      .map(([tool, r]) => ({ method: 'POST', path: `${org}/rules/${tool}`, json: { rule: r } })),
  },
  {
    name: 'expressions',
    runs: 3,
    arbitrary: fc.tuple(fc.constantFrom('validate', 'count', 'sql'), expression).map(([tool, e]) => ({
      method: 'POST',
      path: `${org}/rules/${tool}`,
      json: { rule: { kind: 'expression', expression: e } },
    })),
  },
  {
    name: 'campaign definitions',
    runs: 2,
    arbitrary: campaign.map((c) => ({ method: 'POST', path: `${org}/campaigns/validate`, json: c })),
  },
  {
    name: 'upload parameters',
    runs: 1,
    arbitrary: upload.map((u) => ({
      method: 'POST',
      path: `${org}/datasets/profiles/batches${query(u.query)}`,
      text: u.text,
    })),
  },
]

/** JSON text of a rule nested `depth` groups deep (built as text: JSON.stringify would overflow). */
function nested(depth: number): string {
  const leaf = '{"kind":"condition","field":"country","op":"=","value":"FR"}'
  let open = ''
  for (let i = 0; i < depth; i++) open += `{"kind":"group","op":"${i % 2 ? 'or' : 'and'}","children":[`
  return open + leaf + ']}'.repeat(depth)
}

function nestedLinks(depth: number): string {
  const leaf = '{"kind":"condition","field":"amount","op":">","value":1}'
  const open = '{"kind":"link","link":"purchases","aggregate":{"fn":"exists"},"where":'.repeat(depth)
  return open + leaf + '}'.repeat(depth)
}

const sum = (terms: number) => `${Array.from({ length: terms }, () => '1').join(' + ')} > 0`
const deepParens = (depth: number) => `${'('.repeat(depth)}1${')'.repeat(depth)} > 0`

function campaignWith(rule: string): string {
  return `{"label":"deep","activities":[{"id":"b","type":"build_audience","options":{"rule":${rule}}},{"id":"e","type":"end"}],"transitions":[{"id":"t","from":"b","to":"e"}]}`
}

const expressionRule = (e: string) => ({ rule: { kind: 'expression', expression: e } })

/** Shapes that broke the API before (issue 13 item 9, issue 21), always sent. */
export const FIXED_SHAPES: { name: string; request: FuzzRequest }[] = [
  ...[5_000, 10_000].flatMap((depth) => [
    {
      name: `rule nested ${depth} levels (rules/count)`,
      request: { method: 'POST' as const, path: `${org}/rules/count`, jsonText: `{"rule":${nested(depth)}}` },
    },
    {
      name: `rule nested ${depth} levels (campaigns/validate)`,
      request: {
        method: 'POST' as const,
        path: `${org}/campaigns/validate`,
        json: campaignWith(nested(depth)),
      },
    },
    {
      name: `rule nested ${depth} levels (POST campaigns)`,
      request: { method: 'POST' as const, path: `${org}/campaigns`, jsonText: campaignWith(nested(depth)) },
    },
  ]),
  {
    name: 'links nested 5000 levels (rules/validate)',
    request: { method: 'POST', path: `${org}/rules/validate`, jsonText: `{"rule":${nestedLinks(5_000)}}` },
  },
  ...[1_000, 10_000].flatMap((terms) =>
    ['count', 'sql', 'validate'].map((tool) => ({
      name: `1 + 1 + ... of ${terms} terms (rules/${tool})`,
      request: { method: 'POST' as const, path: `${org}/rules/${tool}`, json: expressionRule(sum(terms)) },
    })),
  ),
  {
    name: '10000 nested parentheses (rules/count)',
    request: { method: 'POST', path: `${org}/rules/count`, json: expressionRule(deepParens(10_000)) },
  },
  {
    name: "like pattern ending in the escape char '%\\\\'",
    request: {
      method: 'POST',
      path: `${org}/rules/count`,
      json: { rule: { kind: 'condition', field: 'email', op: 'like', value: '%\\' } },
    },
  },
  {
    name: "dateAdd('day', 999999999999, birth_date)",
    request: {
      method: 'POST',
      path: `${org}/rules/count`,
      json: expressionRule("dateAdd('day', 999999999999, birth_date) > now()"),
    },
  },
  {
    name: 'length(x) * 3037000500 * 3037000500',
    request: {
      method: 'POST',
      path: `${org}/rules/count`,
      json: expressionRule('length(email) * 3037000500 * 3037000500 > 0'),
    },
  },
  {
    name: 'substr(x, 99999999999)',
    request: {
      method: 'POST',
      path: `${org}/rules/count`,
      json: expressionRule("substr(email, 99999999999) = 'x'"),
    },
  },
  ...['quote', 'escape', 'delimiter'].map((option) => ({
    name: `NUL in the ${option} of an upload`,
    request: {
      method: 'POST' as const,
      path: `${org}/datasets/profiles/batches${query({ fileName: 'p.csv', [option]: '\u0000' })}`,
      text: 'profile_id,email\nz9,z9@example.com\n',
    },
  })),
  ...['p.csv.gz', 'p.ndjson.gz'].map((fileName) => ({
    name: `${fileName} that is not gzip, read without a header`,
    request: {
      method: 'POST' as const,
      path: `${org}/datasets/profiles/batches${query({ fileName, header: 'false' })}`,
      text: 'z9,z9@example.com\n',
    },
  })),
]

/** Sends one request; returns the 5xx it got, if any. */
export async function send(
  target: FuzzTarget,
  property: string,
  req: FuzzRequest,
): Promise<ServerError | null> {
  const isJson = req.json !== undefined || req.jsonText !== undefined
  const body = req.jsonText ?? (req.json !== undefined ? JSON.stringify(req.json) : (req.text ?? ''))
  const headers: Record<string, string> = {
    authorization: `Bearer ${target.token}`,
    'content-type': isJson ? 'application/json' : 'text/csv',
  }
  const answer = await rawRequest(target.base, req.method, req.path, { headers, body, timeoutMs: 120_000 })
  // An error never carries the statement the engine ran (it goes to the server log).
  const leaksSql = answer.status >= 400 && /\bSELECT\b|\bFROM\s+"?org_|\bread_csv\(/i.test(answer.text)
  if (answer.status < 500 && !leaksSql) return null
  return {
    property: leaksSql ? `${property} (SQL in the error body)` : property,
    path: req.path,
    status: answer.status,
    code: answer.code,
    body: body.slice(0, 300),
  }
}

export interface FuzzResult {
  seed: number
  requests: number
  errors: ServerError[]
}

/**
 * Sends the fixed shapes, then `runs` x each property's weight generated requests from `seed`;
 * collects every 5xx (no shrinking: the failing input is printed with the seed).
 */
export async function runFuzz(
  target: FuzzTarget,
  options: { runs: number; seed: number; fixed?: boolean },
): Promise<FuzzResult> {
  const errors: ServerError[] = []
  let requests = 0
  if (options.fixed !== false) {
    for (const shape of FIXED_SHAPES) {
      requests++
      const err = await send(target, shape.name, shape.request)
      if (err) errors.push(err)
    }
  }
  for (const [i, p] of PROPERTIES.entries()) {
    await fc.check(
      fc.asyncProperty(p.arbitrary, async (req) => {
        requests++
        const err = await send(target, p.name, req)
        if (err) errors.push(err)
        return true
      }),
      { seed: options.seed + i, numRuns: options.runs * p.runs, endOnFailure: true },
    )
  }
  return { seed: options.seed, requests, errors }
}

/** One line per 5xx, for a failure message. */
export function describeErrors(result: FuzzResult): string {
  return [
    `${result.errors.length} responses >= 500 in ${result.requests} requests (seed ${result.seed}):`,
    ...result.errors.map(
      (e) =>
        `  ${e.status} ${e.code ?? ''} [${e.property}] POST ${e.path.slice(0, 120)} ${JSON.stringify(e.body)}`,
    ),
  ].join('\n')
}
