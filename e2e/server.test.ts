import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ApiError, AudienceHubClient } from '@ahub/client'
import type { BatchReport, Role, Scope } from '@ahub/core'
import { type App, type BearerVerifier, buildApp, TokenRepository } from '@ahub/server'
import { MembershipRepository, Store, UserRepository } from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const SCHEMA_YAML = `tables:
  profiles:
    primaryKey: [profile_id]
    fields:
      profile_id: { type: string, nullable: false }
      email: { type: string, identity: { namespace: email, primary: true } }
      age: { type: integer }
      tier: { type: enum, values: [bronze, silver, gold] }
    relationships:
      purchases: { target: purchases, cardinality: 1-N, on: { profile_id: profile_id }, inverse: profile }
  purchases:
    primaryKey: [purchase_id]
    fields:
      purchase_id: { type: string, nullable: false }
      profile_id: { type: string, nullable: false }
      amount: { type: number }
`

// Line 3 fails to parse (age is not an integer), line 5 breaks a rule (the e-mail is not one).
const PROFILES_CSV = `profile_id,email,age,tier
p1,ann@acme-secret.example,34,gold
p2,bob@acme-secret.example,old,silver
p3,cat@acme-secret.example,29,gold
p4,not-an-email,41,bronze
p5,dan@acme-secret.example,,bronze
`

/** Something only acme's data contains: it must never appear in an answer to another org. */
const ACME_MARKER = 'acme-secret'

interface Answer {
  status: number
  text: string
  body: unknown
}

/** Splits CSV text into rows of cells, honouring double quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    } else cell += ch
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell])
  return rows
}

describe('HTTP API on a real server', () => {
  let dir: string
  let store: Store
  let app: App
  let base: string
  const tokens = {
    admin: '',
    marketer: '',
    viewer: '',
    expired: '',
    revoked: '',
    otherAdmin: '',
    otherViewer: '',
    otherMarketerUser: '',
    otherAdminUser: '',
  }
  /** acme's own object ids: no answer to another org may contain them. */
  const acmeIds: string[] = []
  let acmeTokenId = ''
  let acmeUserId = ''
  let admin: AudienceHubClient
  let profilesCsv: string
  let firstBatch: BatchReport

  /** Calls the API with fetch, as an attacker would: any method, headers and body. */
  async function call(
    method: string,
    path: string,
    options: { token?: string; headers?: Record<string, string>; body?: string; json?: unknown } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers }
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`
    let body = options.body
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.json)
    }
    const res = await fetch(`${base}${path}`, { method, headers, body })
    const text = await res.text()
    let parsed: unknown = null
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = null
    }
    return { status: res.status, text, body: parsed }
  }

  const client = (token: string, org = 'acme') => new AudienceHubClient(base, token, org)

  async function apiError(promise: Promise<unknown>): Promise<ApiError> {
    try {
      await promise
    } catch (e) {
      if (e instanceof ApiError) return e
      throw e
    }
    throw new Error('expected the call to fail with an ApiError')
  }

  function expectError(answer: Answer, status: number, code: string) {
    expect(answer.status, answer.text).toBe(status)
    expect(answer.body).toEqual({
      error: {
        code,
        message: expect.any(String),
        ...(answer.text.includes('"details"') ? { details: expect.anything() } : {}),
      },
    })
    expect(answer.text).not.toContain(ACME_MARKER)
  }

  async function openapiOperations(): Promise<{ method: string; path: string }[]> {
    const spec = (await call('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>
    }
    return Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => ({ method: m.toUpperCase(), path })),
    )
  }

  /** An OpenAPI path made concrete for an org (acme by default), naming acme's objects. */
  const concrete = (path: string, org = 'acme') =>
    path
      .replace('{org}', org)
      .replace('{table}', 'profiles')
      .replace('{user}', acmeUserId)
      .replace('{id}', path.includes('/tokens/') ? acmeTokenId : (firstBatch?.batchId ?? 'b_none'))
      .replace(/\{[a-z_]+\}/gi, 'x')

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahub-'))
    store = await Store.open({ dataDir: join(dir, 'data') })
    await store.createOrg('acme', 'Acme')
    await store.createOrg('other', 'Other')
    const users = new UserRepository(store.engine)
    const memberships = new MembershipRepository(store.engine)
    const repo = new TokenRepository(store.engine)
    const SCOPES: Record<Role, Scope[]> = {
      viewer: ['read'],
      marketer: ['read', 'write', 'share'],
      admin: ['read', 'write', 'share', 'admin'],
    }
    /** A member of `org` with `role` and an API token with every scope the role grants. */
    const member = async (org: string, email: string, role: Role, expiresAt?: Date) => {
      const user = (await users.findByEmail(email)) ?? (await users.create({ email }))
      await memberships.set(org, user.id, role)
      const { token, secret } = await repo.create({
        org,
        userId: user.id,
        name: email,
        scopes: SCOPES[role],
        expiresAt,
      })
      return { user, token, secret }
    }
    const acmeAdmin = await member('acme', 'admin@acme-secret.example', 'admin')
    tokens.admin = acmeAdmin.secret
    acmeTokenId = acmeAdmin.token.id
    acmeUserId = acmeAdmin.user.id
    tokens.marketer = (await member('acme', 'marketer@acme-secret.example', 'marketer')).secret
    tokens.viewer = (await member('acme', 'viewer@acme-secret.example', 'viewer')).secret
    const old = await member('acme', 'old@acme-secret.example', 'admin', new Date(Date.now() - 60_000))
    tokens.expired = old.secret
    const gone = await member('acme', 'gone@acme-secret.example', 'admin')
    await repo.revoke('acme', gone.token.id)
    tokens.revoked = gone.secret
    acmeIds.push(acmeTokenId, acmeUserId, gone.token.id, old.user.id)
    const otherAdmin = await member('other', 'admin@other.example', 'admin')
    tokens.otherAdmin = otherAdmin.secret
    tokens.otherViewer = (await member('other', 'viewer@other.example', 'viewer')).secret
    const otherMarketer = await member('other', 'marketer@other.example', 'marketer')
    // People signed in through OpenID Connect reach the hook through a bearer verifier; this one
    // stands in for the sign-in module's JWT verifier and maps two fixed secrets to users.
    tokens.otherMarketerUser = `person-${crypto.randomUUID()}`
    tokens.otherAdminUser = `person-${crypto.randomUUID()}`
    const people = new Map([
      [tokens.otherMarketerUser, otherMarketer.user.id],
      [tokens.otherAdminUser, otherAdmin.user.id],
    ])
    const verifier: BearerVerifier = async (bearer) => {
      const userId = people.get(bearer)
      return userId ? { kind: 'user', userId, via: 'oidc', issuer: 'http://test.invalid' } : null
    }
    app = await buildApp({ store, verifiers: [verifier], rateLimit: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    if (!address || typeof address === 'string') throw new Error('the server has no port')
    base = `http://127.0.0.1:${address.port}`
    admin = client(tokens.admin)
    profilesCsv = join(dir, 'profiles.csv')
    writeFileSync(profilesCsv, PROFILES_CSV)
  })

  afterAll(async () => {
    await app?.close()
    await store?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  describe('health and documentation', () => {
    it('answers /health and /ready without a token', async () => {
      expect(await call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } })
      expect(await call('GET', '/ready')).toMatchObject({
        status: 200,
        body: { status: 'ready', engine: 'duckdb' },
      })
      expect(await client('not-a-token').health()).toEqual({ status: 'ok' })
    })

    it('serves an OpenAPI 3.1 document listing the /v1 routes', async () => {
      const answer = await call('GET', '/openapi.json')
      expect(answer.status).toBe(200)
      const spec = answer.body as { openapi: string; paths: Record<string, Record<string, unknown>> }
      expect(spec.openapi).toMatch(/^3\.1\./)
      expect(
        Object.keys(spec.paths)
          .filter((p) => p.startsWith('/v1/'))
          .sort(),
      ).toEqual(
        [
          ...new Set(
            app.routeTable
              .filter((r) => r.url.startsWith('/v1/'))
              .map((r) => r.url.replace(/:([a-z]+)/g, '{$1}')),
          ),
        ].sort(),
      )
      // Every family of the product is there.
      for (const path of [
        '/v1/me',
        '/v1/orgs/{org}/audiences/{id}/changes',
        '/v1/orgs/{org}/audit',
        '/v1/orgs/{org}/batches/{id}/rejects',
        '/v1/orgs/{org}/campaigns',
        '/v1/orgs/{org}/datasets/{table}',
        '/v1/orgs/{org}/members/{user}',
        '/v1/orgs/{org}/rules/count',
        '/v1/orgs/{org}/schemas/infer',
        '/v1/orgs/{org}/tokens/{id}',
      ])
        expect(spec.paths, path).toHaveProperty([path])
      expect(Object.keys(spec.paths['/v1/orgs/{org}/schemas'] ?? {}).sort()).toEqual(['get', 'post'])
    })

    it('answers unknown routes with 404 in the error shape', async () => {
      expectError(await call('GET', '/v1/nothing-here'), 404, 'NOT_FOUND')
    })
  })

  describe('authentication', () => {
    it('refuses every /v1 route without a token with 401 UNAUTHENTICATED', async () => {
      const operations = (await openapiOperations()).filter((o) => o.path.startsWith('/v1/'))
      expect(operations.length).toBeGreaterThanOrEqual(22)
      for (const op of operations) {
        const answer = await call(op.method, concrete(op.path))
        expectError(answer, 401, 'UNAUTHENTICATED')
      }
    })

    it('refuses HEAD requests without a token too', async () => {
      const res = await fetch(`${base}/v1/orgs/acme/datasets`, { method: 'HEAD' })
      expect(res.status).toBe(401)
    })

    it('refuses malformed, unknown, expired and garbage tokens with 401', async () => {
      const wellFormedUnknown = `ahub_${'A'.repeat(43)}`
      const authorizations = [
        '',
        'Bearer',
        'Bearer ',
        `Basic ${Buffer.from('admin:admin').toString('base64')}`,
        `Token ${tokens.admin}`,
        `Bearer ${tokens.admin} extra`,
        `Bearer  ${tokens.admin}`,
        `Bearer ${tokens.admin}x`,
        `Bearer ${tokens.admin.slice(0, -1)}`,
        `Bearer ${wellFormedUnknown}`,
        `Bearer ${tokens.admin.replace('ahub_', 'AHUB_')}`,
        `Bearer ${'x'.repeat(8192)}`,
        "Bearer ' OR '1'='1",
        'Bearer ahub_%00%00',
      ]
      for (const authorization of authorizations) {
        const answer = await call('GET', '/v1/orgs/acme/datasets', { headers: { authorization } })
        expect(answer.status, `authorization: ${authorization.slice(0, 60)}`).toBe(401)
        expectError(answer, 401, 'UNAUTHENTICATED')
      }
    })

    it('refuses expired and revoked tokens with their own codes', async () => {
      expectError(
        await call('GET', '/v1/orgs/acme/datasets', { token: tokens.expired }),
        401,
        'TOKEN_EXPIRED',
      )
      expectError(
        await call('GET', '/v1/orgs/acme/datasets', { token: tokens.revoked }),
        401,
        'TOKEN_REVOKED',
      )
    })

    it('accepts a valid token', async () => {
      expect(await admin.listDatasets()).toEqual({ datasets: [] })
    })
  })

  describe('roles', () => {
    it('lets only an admin apply schemas', async () => {
      for (const token of [tokens.viewer, tokens.marketer]) {
        const e = await apiError(client(token).applySchema({ text: SCHEMA_YAML }))
        expect(e).toMatchObject({ status: 403, code: 'FORBIDDEN' })
      }
      expect(await store.catalog.list('acme')).toEqual([])

      const result = await admin.applySchema({ text: SCHEMA_YAML })
      expect(result).toEqual({ created: ['profiles', 'purchases'], updated: [], unchanged: [] })
      expect((await admin.listSchemas()).tables.map((t) => t.name)).toEqual(['profiles', 'purchases'])
    })

    it('ingests a CSV file and reports every row', async () => {
      firstBatch = await admin.ingest('profiles', profilesCsv)
      expect(firstBatch).toMatchObject({
        org: 'acme',
        table: 'profiles',
        file: 'profiles.csv',
        format: 'csv',
        status: 'succeeded',
        received: 5,
        inserted: 3,
        updated: 0,
        deleted: 0,
        unchanged: 0,
        superseded: 0,
        rejected: 2,
      })
      expect(firstBatch.rejectSample.map((r) => [r.line, r.column, r.code])).toEqual([
        [3, 'age', 'WRONG_TYPE'],
        [5, 'email', 'IDENTITY_INVALID'],
      ])
      const dataset = await admin.showDataset('profiles', 10)
      expect(dataset.rows).toBe(3)
      expect(dataset.sample.map((r) => r.profile_id).sort()).toEqual(['p1', 'p3', 'p5'])
      expect(dataset.lastBatch).toMatchObject({ id: firstBatch.batchId, status: 'succeeded' })
    })

    it('serves the rejects as CSV with line, column, code, reason and raw text', async () => {
      const csv = await admin.downloadRejects(firstBatch.batchId)
      const [header, ...rows] = parseCsv(csv)
      expect(header).toEqual(['line', 'column', 'code', 'reason', 'raw'])
      expect(rows).toHaveLength(2)
      expect(rows[0]).toEqual([
        '3',
        'age',
        'WRONG_TYPE',
        expect.any(String),
        'p2,bob@acme-secret.example,old,silver',
      ])
      expect(rows[1]).toEqual([
        '5',
        'email',
        'IDENTITY_INVALID',
        expect.any(String),
        'p4,not-an-email,41,bronze',
      ])
      expect(rows.every((r) => (r[3] ?? '').length > 0)).toBe(true)
    })

    it('lets a viewer read but not ingest', async () => {
      const viewer = client(tokens.viewer)
      expect((await viewer.listDatasets()).datasets.map((d) => [d.table, d.rows])).toEqual([
        ['profiles', 3],
        ['purchases', 0],
      ])
      expect((await viewer.listBatches()).batches.map((b) => b.id)).toEqual([firstBatch.batchId])
      const e = await apiError(viewer.ingest('profiles', profilesCsv))
      expect(e).toMatchObject({ status: 403, code: 'FORBIDDEN' })
      expect((await store.batches.list('acme')).length).toBe(1)
    })

    it('lets a marketer ingest; the same file again changes nothing', async () => {
      const report = await client(tokens.marketer).ingest('profiles', profilesCsv)
      expect(report).toMatchObject({ received: 5, inserted: 0, updated: 0, unchanged: 3, rejected: 2 })
      expect((await admin.showDataset('profiles')).rows).toBe(3)
    })
  })

  describe('organisations are isolated', () => {
    it('answers 404 to every GET route of another org, with none of its data', async () => {
      const gets = (await openapiOperations()).filter((o) => o.method === 'GET' && o.path.includes('{org}'))
      expect(gets.length).toBeGreaterThanOrEqual(11)
      for (const token of [
        tokens.otherAdmin,
        tokens.otherViewer,
        tokens.otherMarketerUser,
        tokens.otherAdminUser,
      ]) {
        for (const op of gets) {
          const answer = await call('GET', concrete(op.path), { token })
          expect(answer.status, `GET ${concrete(op.path)}`).toBe(404)
          expectError(answer, 404, 'ORG_NOT_FOUND')
        }
      }
      // The same calls as acme do find the data: the 404s above are not for want of it.
      const own = await call('GET', concrete('/v1/orgs/{org}/batches/{id}/rejects'), { token: tokens.viewer })
      expect(own.status).toBe(200)
      expect(own.text).toContain(ACME_MARKER)
    })

    it('answers 404 to the POST routes of another org and changes nothing', async () => {
      const otherAdmin = client(tokens.otherAdmin, 'acme')
      const applied = await apiError(
        otherAdmin.applySchema({
          text: SCHEMA_YAML.replace('amount: { type: number }', 'note: { type: string }'),
        }),
      )
      expect(applied).toMatchObject({ status: 404, code: 'ORG_NOT_FOUND' })
      const ingested = await apiError(otherAdmin.ingest('profiles', profilesCsv))
      expect(ingested).toMatchObject({ status: 404, code: 'ORG_NOT_FOUND' })
      const inferred = await apiError(otherAdmin.inferSchema(profilesCsv, 'guessed'))
      expect(inferred).toMatchObject({ status: 404, code: 'ORG_NOT_FOUND' })

      expect((await store.catalog.get('acme', 'purchases')).revision).toBe(1)
      expect((await store.batches.list('acme')).length).toBe(2)
      expect((await admin.showDataset('profiles')).rows).toBe(3)
    })

    it('keeps each org to its own data through its own routes', async () => {
      const other = client(tokens.otherAdmin, 'other')
      expect(await other.listDatasets()).toEqual({ datasets: [] })
      expect(await other.listBatches()).toEqual({ batches: [] })
      expect(await apiError(other.getBatch(firstBatch.batchId))).toMatchObject({ status: 404 })
      expect(await apiError(other.downloadRejects(firstBatch.batchId))).toMatchObject({ status: 404 })
      expect(await apiError(other.getSchema('profiles'))).toMatchObject({
        status: 404,
        code: 'SCHEMA_NOT_FOUND',
      })
    })

    it('never answers another org with a success or its data, on any route of the OpenAPI document', async () => {
      const operations = (await openapiOperations()).filter((o) => o.path.includes('{org}'))
      expect(operations.length).toBeGreaterThanOrEqual(18)
      const callers = [tokens.otherAdmin, tokens.otherViewer, tokens.otherMarketerUser, tokens.otherAdminUser]
      const leaks = (text: string) =>
        [ACME_MARKER, firstBatch.batchId, ...acmeIds].filter((secret) => text.includes(secret))
      for (const op of operations) {
        for (const token of callers) {
          // acme in the path, and acme's org id and object ids in the body and the query.
          const path = `${concrete(op.path)}?org=acme&id=${acmeTokenId}`
          const json = { org: 'acme', id: acmeTokenId, user: acmeUserId, email: 'admin@acme-secret.example' }
          const answer =
            op.method === 'GET'
              ? await call('GET', path, { token })
              : await call(op.method, path, { token, json })
          const what = `${op.method} ${path}`
          expect(answer.status, what).toBeGreaterThanOrEqual(400)
          expect(leaks(answer.text), what).toEqual([])
          if (op.method === 'GET') expect(answer.status, what).toBe(404)
          else expect([400, 403, 404], what).toContain(answer.status)
        }
      }
    })

    it("never finds acme's objects by id through the other org's own routes", async () => {
      const operations = (await openapiOperations()).filter((o) => o.path.includes('{org}'))
      const withIds = operations.filter((o) => /\{(id|user|table)\}/.test(o.path))
      expect(withIds.length).toBeGreaterThanOrEqual(8)
      for (const op of operations) {
        for (const token of [tokens.otherAdmin, tokens.otherAdminUser]) {
          const path = `${concrete(op.path, 'other')}?org=acme`
          const json = { org: 'acme', id: acmeTokenId, user: acmeUserId }
          const answer =
            op.method === 'GET'
              ? await call('GET', path, { token })
              : await call(op.method, path, { token, json })
          const what = `${op.method} ${path}`
          expect(answer.text, what).not.toContain(ACME_MARKER)
          // An id the caller sent may be echoed in the error; any other acme id would be a leak.
          for (const id of [firstBatch.batchId, ...acmeIds].filter((i) => !path.includes(i)))
            expect(answer.text, what).not.toContain(id)
          if (withIds.includes(op) && !op.path.endsWith('{table}'))
            expect(answer.status, what).toBeGreaterThanOrEqual(400)
        }
      }
      // Nothing of acme changed: its admin still has a token and a membership.
      expect((await admin.listMembers()).members.map((m) => m.user.id)).toContain(acmeUserId)
      expect((await admin.listTokens()).tokens.find((t) => t.id === acmeTokenId)?.revokedAt).toBeNull()
    })

    it('keeps org-less routes to the caller: /v1/me and /v1/orgs name only their own', async () => {
      for (const token of [
        tokens.otherAdmin,
        tokens.otherViewer,
        tokens.otherMarketerUser,
        tokens.otherAdminUser,
      ]) {
        for (const path of ['/v1/me?org=acme', '/v1/orgs?org=acme']) {
          const answer = await call('GET', path, { token })
          expect(answer.status, path).toBe(200)
          expect(answer.text).not.toContain('acme')
        }
      }
      // An org id is one global name: taking one that exists says so, and changes nothing.
      const taken = await call('POST', '/v1/orgs', {
        token: tokens.otherAdmin,
        json: { id: 'acme', name: 'Mine' },
      })
      expectError(taken, 409, 'CONFLICT')
      expect((await store.orgs.get('acme')).name).toBe('Acme')
      expectError(
        await call('POST', '/v1/orgs', { token: tokens.otherViewer, json: { id: 'acme2', name: 'x' } }),
        403,
        'FORBIDDEN',
      )
    })
  })

  describe('request validation', () => {
    it('answers a malformed JSON body with 400 BAD_JSON', async () => {
      const answer = await call('POST', '/v1/orgs/acme/schemas', {
        token: tokens.admin,
        headers: { 'content-type': 'application/json' },
        body: '{"text": "tables: {}",',
      })
      expectError(answer, 400, 'BAD_JSON')
    })

    it('answers an unknown body key with 400 VALIDATION_FAILED and the issues', async () => {
      const answer = await call('POST', '/v1/orgs/acme/schemas', {
        token: tokens.admin,
        json: { text: SCHEMA_YAML, allowDestrutive: true },
      })
      expectError(answer, 400, 'VALIDATION_FAILED')
      const details = (answer.body as { error: { details?: { issues?: unknown[] } } }).error.details
      expect(details?.issues?.length).toBeGreaterThan(0)
    })

    it('wants exactly one of schema and text', async () => {
      expectError(
        await call('POST', '/v1/orgs/acme/schemas', { token: tokens.admin, json: {} }),
        400,
        'VALIDATION_FAILED',
      )
      const both = await call('POST', '/v1/orgs/acme/schemas', {
        token: tokens.admin,
        json: { text: SCHEMA_YAML, schema: { tables: {} } },
      })
      expectError(both, 400, 'VALIDATION_FAILED')
    })

    it('answers schema problems with 400 and every issue', async () => {
      const e = await apiError(admin.applySchema({ text: 'tables:\n  x:\n    primarykey: [id]\n' }))
      expect(e).toMatchObject({ status: 400, code: 'SCHEMA_INVALID' })
      expect(e.details?.issues).toEqual(
        expect.arrayContaining([expect.objectContaining({ code: 'UNKNOWN_KEY', path: ['tables', 'x'] })]),
      )
      const parse = await apiError(admin.applySchema({ text: 'tables: &a { x: *a }\n' }))
      expect(parse).toMatchObject({ status: 400, code: 'SCHEMA_PARSE_ERROR' })
    })

    it('answers a JSON body over 1 MiB with 413 BODY_TOO_LARGE', async () => {
      const answer = await call('POST', '/v1/orgs/acme/schemas', {
        token: tokens.admin,
        json: { text: `# ${'x'.repeat(1_100_000)}\n${SCHEMA_YAML}` },
      })
      expectError(answer, 413, 'BODY_TOO_LARGE')
    })

    it('answers a JSON body over 1 MiB with 413 on the upload routes too', async () => {
      // Uploads are streamed to disk by their own parsers; a JSON body is parsed in memory and must
      // keep the 1 MiB limit, or any writer (of any org) can make the server buffer gigabytes.
      const body = JSON.stringify({ padding: 'x'.repeat(2_000_000) })
      for (const path of [
        '/v1/orgs/acme/schemas/infer?fileName=x.csv&table=guessed',
        '/v1/orgs/acme/datasets/profiles/batches?fileName=x.csv',
      ]) {
        const answer = await call('POST', path, {
          token: tokens.admin,
          headers: { 'content-type': 'application/json' },
          body,
        })
        expect(answer.status, path).toBe(413)
        expectError(answer, 413, 'BODY_TOO_LARGE')
      }
    })

    it('answers an upload without a file name with 400', async () => {
      const answer = await call('POST', '/v1/orgs/acme/datasets/profiles/batches', {
        token: tokens.admin,
        headers: { 'content-type': 'text/csv' },
        body: PROFILES_CSV,
      })
      expectError(answer, 400, 'VALIDATION_FAILED')
    })

    it('answers an upload to an unknown dataset with 404', async () => {
      const e = await apiError(admin.ingest('nothing', profilesCsv))
      expect(e).toMatchObject({ status: 404, code: 'SCHEMA_NOT_FOUND' })
    })
  })

  describe('the audit log after the attacks', () => {
    it("shows acme's admin every refusal with its reason, and the changes, without secrets", async () => {
      const { events } = await admin.audit({ limit: 1000 })
      const denied = new Set(events.filter((e) => e.outcome === 'denied').map((e) => e.reason))
      for (const reason of [
        'UNAUTHENTICATED',
        'TOKEN_EXPIRED',
        'TOKEN_REVOKED',
        'FORBIDDEN',
        'ORG_NOT_FOUND',
      ])
        expect(denied, reason).toContain(reason)
      const failed = new Set(events.filter((e) => e.outcome === 'failed').map((e) => e.details.error))
      for (const code of ['BODY_TOO_LARGE', 'BAD_JSON', 'VALIDATION_FAILED'])
        expect(failed, code).toContain(code)
      const actions = new Set(events.filter((e) => e.outcome === 'ok').map((e) => e.action))
      for (const action of ['schema.apply', 'dataset.ingest', 'token.use'])
        expect(actions, action).toContain(action)
      const text = JSON.stringify(events)
      for (const secret of Object.values(tokens)) expect(text).not.toContain(secret)
      expect(text).not.toContain(ACME_MARKER)
      // The other org's log holds none of this.
      const other = await client(tokens.otherAdmin, 'other').audit({ limit: 1000 })
      expect(JSON.stringify(other.events)).not.toContain('acme')
    })
  })
})
