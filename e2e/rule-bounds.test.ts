import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CampaignService } from '@ahub/campaigns'
import { parseSchemaText } from '@ahub/core'
import { type App, bootstrapAdmin, buildApp, openCampaigns } from '@ahub/server'
import { Store } from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = mkdtempSync(join(tmpdir(), 'ahub-rule-bounds-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/**
 * JSON text too deep for JSON.stringify (and for any recursive walk): the rule is spliced in as
 * text, so the test's own stack never holds it.
 */
class RawJson {
  constructor(readonly text: string) {}
}

/** A rule nested `depth` groups deep around one condition, as JSON text. */
function nested(depth: number): RawJson {
  const open = '{"kind":"group","op":"and","children":['.repeat(depth)
  return new RawJson(
    `${open}{"kind":"condition","field":"first_name","op":"=","value":"Ann"}${']}'.repeat(depth)}`,
  )
}

/** A chain of links nested `depth` deep, as JSON text. */
function nestedLinks(depth: number): RawJson {
  const open = '{"kind":"link","link":"purchases","aggregate":{"fn":"exists"},"where":'.repeat(depth)
  return new RawJson(`${open}{"kind":"condition","field":"amount","op":">","value":1}${'}'.repeat(depth)}`)
}

const RAW = '"__raw__"'
/** JSON.stringify, with each RawJson value spliced in as its text. */
function toJson(payload: unknown): string {
  const raws: string[] = []
  const text = JSON.stringify(payload, (_k, v) => {
    if (v instanceof RawJson) {
      raws.push(v.text)
      return '__raw__'
    }
    return v
  })
  let i = 0
  return text.replaceAll(RAW, () => raws[i++]!)
}

const expression = (text: string) => ({ kind: 'expression', expression: text })

/** The rules that used to reach the engine and fail there (issue 21, defect 1). */
const ENGINE_ERROR_SHAPES: [string, unknown, string][] = [
  [
    'like ending with the escape',
    { kind: 'condition', field: 'first_name', op: 'like', value: '%\\' },
    'RULE_BAD_PATTERN',
  ],
  [
    'like of a lone escape',
    { kind: 'condition', field: 'first_name', op: 'not like', value: '\\' },
    'RULE_BAD_PATTERN',
  ],
  ['like A%\\', { kind: 'condition', field: 'first_name', op: 'like', value: 'A%\\' }, 'RULE_BAD_PATTERN'],
  [
    'dateAdd out of range',
    expression("dateAdd('day', 999999999999, birth_date) > birth_date"),
    'RULE_VALUE_OUT_OF_RANGE',
  ],
  [
    'integer multiplication overflow',
    expression('length(first_name) * 3037000500 * 3037000500 > 0'),
    'RULE_VALUE_OUT_OF_RANGE',
  ],
  [
    'substr offset out of range',
    expression('substr(first_name, 99999999999) = first_name'),
    'RULE_VALUE_OUT_OF_RANGE',
  ],
]

describe('bounded rules over HTTP: coded 4xx, never a 500', () => {
  let store: Store
  let app: App
  let campaigns: CampaignService
  const secret = `test-${crypto.randomUUID()}`
  const call = async (url: string, payload: unknown) => {
    const res = await app.inject({
      method: 'POST',
      url: `/v1/orgs/shop${url}`,
      payload: toJson(payload),
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    })
    return {
      status: res.statusCode,
      text: res.body,
      body: res.json() as { error?: { code: string; message: string } },
    }
  }
  const campaign = (rule: unknown) => ({
    label: 'Deep',
    activities: [
      { id: 'build', type: 'build_audience', options: { rule } },
      { id: 'end', type: 'end' },
    ],
    transitions: [{ id: 't1', from: 'build', to: 'end' }],
  })

  beforeAll(async () => {
    store = await Store.open({ dataDir: join(root, 'data') })
    campaigns = await openCampaigns(store)
    await store.createOrg('shop', 'Shop')
    await store.catalog.apply(
      'shop',
      parseSchemaText(`tables:
  profiles:
    primaryKey: [profile_id]
    fields:
      profile_id: { type: string, nullable: false }
      first_name: { type: string }
      birth_date: { type: date }
      score: { type: integer }
    relationships:
      purchases: { target: purchases, cardinality: 1-N, on: { profile_id: profile_id }, inverse: profile }
  purchases:
    primaryKey: [purchase_id]
    fields:
      purchase_id: { type: string, nullable: false }
      profile_id: { type: string, nullable: false }
      amount: { type: integer }
`),
    )
    const people = join(root, 'people.csv')
    writeFileSync(
      people,
      'profile_id,first_name,birth_date,score\np1,Ann,1980-01-02,9000000000000000000\np2,Bob,1990-03-04,1\np3,,,\n',
    )
    await store.ingestor.ingest('shop', 'profiles', people)
    const { user } = await bootstrapAdmin(store, 'shop', false)
    app = await buildApp({
      store,
      campaigns,
      rateLimit: false,
      verifiers: [
        async (b) => (b === secret ? { kind: 'user', userId: user.id, via: 'oidc', issuer: 'test' } : null),
      ],
    })
  })

  afterAll(async () => {
    await campaigns?.close()
    await app?.close()
    await store?.close()
  })

  const expectCoded = (answer: Awaited<ReturnType<typeof call>>, codes: string[]) => {
    expect(answer.status, answer.text.slice(0, 400)).toBeGreaterThanOrEqual(400)
    expect(answer.status, answer.text.slice(0, 400)).toBeLessThan(500)
    const text = answer.text
    const found = codes.some((c) => text.includes(`"${c}"`))
    expect(found, `${codes.join(' or ')} in ${text.slice(0, 400)}`).toBe(true)
    expect(text).not.toMatch(/SELECT|STORE_ERROR/)
  }

  /** A validation route answers 200 with the issue listed (or a coded 4xx when the body itself is refused). */
  const expectIssue = (answer: Awaited<ReturnType<typeof call>>, code: string) => {
    if (code === 'NONE') return expect(answer.body).toEqual({ valid: true, issues: [] })
    if (answer.status !== 200) return expectCoded(answer, [code])
    expect(answer.body, answer.text.slice(0, 400)).toMatchObject({
      valid: false,
      issues: expect.arrayContaining([expect.objectContaining({ code })]),
    })
  }

  it.each([64 + 1, 5_000, 10_000])(
    'refuses a rule nested %i levels on every rule and campaign route',
    async (depth) => {
      // A link's rule is on purchases, which has no 1-N link: only JSON-deep chains reach the depth limit.
      for (const rule of depth > 64 * 3 ? [nested(depth), nestedLinks(depth)] : [nested(depth)]) {
        expectCoded(await call('/rules/count', { rule }), ['RULE_TOO_DEEP', 'RULE_INVALID'])
        expectCoded(await call('/rules/sql', { rule }), ['RULE_TOO_DEEP', 'RULE_INVALID'])
        expectIssue(await call('/rules/validate', { rule }), 'RULE_TOO_DEEP')
        expectIssue(await call('/campaigns/validate', campaign(rule)), 'RULE_TOO_DEEP')
        expectCoded(await call('/campaigns', campaign(rule)), ['RULE_TOO_DEEP'])
      }
    },
  )

  it.each([101, 1_000, 10_000])('refuses an expression of %i terms', async (terms) => {
    const rule = expression(`${Array.from({ length: terms }, () => '1').join(' + ')} > 0`)
    expectCoded(await call('/rules/count', { rule }), ['RULE_TOO_DEEP'])
    expectIssue(await call('/campaigns/validate', campaign(rule)), 'RULE_TOO_DEEP')
    expectCoded(await call('/campaigns', campaign(rule)), ['RULE_TOO_DEEP'])
  })

  it('counts with numbers beyond 2^53 (they failed to bind on the engine: 500)', async () => {
    const rule = {
      kind: 'link',
      link: 'purchases',
      aggregate: { fn: 'avg', field: 'amount', op: '<', value: 1e300 },
    }
    const answer = await call('/rules/count', { rule })
    expect(answer.status, answer.text).toBe(200)
    // No profile has purchases here: the answer, not an engine error, is what this pins.
    expect(answer.body).toMatchObject({ count: 0 })
  })

  it('still counts an expression of 90 terms', async () => {
    const rule = expression(`${Array.from({ length: 90 }, () => '1').join(' + ')} = 90`)
    const answer = await call('/rules/count', { rule })
    expect(answer.status, answer.text).toBe(200)
    expect(answer.body).toMatchObject({ count: 3 })
  })

  it('answers an overflow while evaluating with RULE_EVALUATION_FAILED (422, no SQL)', async () => {
    const rule = expression('score * score > 0')
    expectIssue(await call('/rules/validate', { rule }), 'NONE')
    const answer = await call('/rules/count', { rule })
    expect(answer.status, answer.text).toBe(422)
    expect(answer.body.error).toMatchObject({
      code: 'RULE_EVALUATION_FAILED',
      message: expect.stringMatching(/overflow/i),
    })
    expect(answer.text).not.toMatch(/SELECT|org_shop/)
    const audience = await app.inject({
      method: 'POST',
      url: '/v1/orgs/shop/audiences',
      payload: { label: 'Overflow', type: 'query', rule },
      headers: { authorization: `Bearer ${secret}` },
    })
    expect(audience.statusCode, audience.body).toBe(422)
    expect(audience.json()).toMatchObject({ error: { code: 'RULE_EVALUATION_FAILED' } })
  })

  it.each(ENGINE_ERROR_SHAPES)('refuses %s at validation', async (_name, rule, code) => {
    expectIssue(await call('/rules/validate', { rule }), code)
    expectCoded(await call('/rules/count', { rule }), [code])
    expectIssue(await call('/campaigns/validate', campaign(rule)), code)
  })
})
