import { Store } from '@ahub/store'
import { createConfig, lintFromString } from '@redocly/openapi-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, buildApp } from './app'
import { bootstrapAdmin } from './auth/bootstrap'
import { operationId } from './openapi'

let store: Store
let app: App
// biome-ignore lint/suspicious/noExplicitAny: the served JSON document, read by the assertions
let doc: any

beforeAll(async () => {
  store = await Store.open({ dataDir: ':memory:' })
  app = await buildApp({ store, rateLimit: false })
  await app.ready()
  doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
})
afterAll(async () => {
  await app.close()
  await store.close()
})

const METHODS = ['get', 'put', 'post', 'delete', 'patch']
function operations(): { method: string; path: string; op: Record<string, unknown> }[] {
  return Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>).flatMap(
    ([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ method, path, op })),
  )
}

describe('the served OpenAPI document (issue 19, point 9)', () => {
  it("passes Redocly's recommended rules without an error", async () => {
    const config = await createConfig({ extends: ['recommended'] })
    const problems = await lintFromString({
      source: JSON.stringify(doc),
      absoluteRef: '/openapi.json',
      config,
    })
    const errors = problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)
    expect(errors).toEqual([])
  })

  it('gives every operation a unique operationId, a summary, and its 4xx answers with the shared error schema', () => {
    const ops = operations()
    expect(ops.length).toBeGreaterThan(70)
    const ids = ops.map((o) => o.op.operationId)
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]+$/.test(id))).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    for (const { method, path, op } of ops) {
      expect(op.summary, `${method} ${path}`).toBeTruthy()
      const responses = op.responses as Record<string, { content?: Record<string, { schema: unknown }> }>
      const errors = Object.keys(responses).filter((s) => s.startsWith('4'))
      expect(errors, `${method} ${path}`).toContain('429')
      for (const s of errors)
        expect(responses[s]!.content?.['application/json']?.schema, `${method} ${path} ${s}`).toEqual({
          $ref: '#/components/schemas/Error',
        })
    }
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message'])
    expect(doc.servers.length).toBeGreaterThan(0)
  })

  it('names operations from the method and the path, stable across releases', () => {
    expect(operationId('GET', '/v1/orgs/:org/audiences/:id')).toBe('getAudiencesById')
    expect(operationId('POST', '/v1/orgs/:org/campaigns/:id/runs/:run/pause')).toBe(
      'postCampaignsByIdRunsByRunPause',
    )
    expect(operationId('GET', '/v1/orgs/:org')).toBe('getOrgsByOrg')
    expect(operationId('GET', '/v1/orgs/:org/sharing/data-sources')).toBe('getSharingDataSources')
    const byId = new Map(operations().map((o) => [o.op.operationId, `${o.method} ${o.path}`]))
    expect(byId.get('getAudiencesById')).toBe('get /v1/orgs/{org}/audiences/{id}')
  })

  it('answers errors in the declared shape: a missing audience is a coded 404 with its details', async () => {
    await store.createOrg('acme', 'Acme')
    const { secret } = await bootstrapAdmin(store, 'acme', true)
    const res = await app.inject({
      method: 'GET',
      url: '/v1/orgs/acme/audiences/aud_missing',
      headers: { authorization: `Bearer ${secret}` },
    })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({
      error: {
        code: 'AUDIENCE_NOT_FOUND',
        message: expect.any(String),
        details: { audience: 'aud_missing' },
      },
    })
  })
})
