import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseSchemaText } from '@ahub/core'
import { type App, bootstrapAdmin, buildApp, openCampaigns, TokenRepository } from '@ahub/server'
import { Store } from '@ahub/store'

const SCHEMA = `
tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      score: { type: integer }
      email: { type: string }
`

/**
 * A real server (DuckDB store, every route) for the editors' component tests: `answer` turns the
 * browser's fetch into an inject with a read token of org `acme`, so the editors talk to the real
 * routes without a socket.
 */
export async function editorServer(): Promise<{
  answer: (request: Request) => Promise<Response>
  requests: { url: string; body: unknown }[]
  close: () => Promise<void>
}> {
  const dir = mkdtempSync(join(tmpdir(), 'ahub-web-editors-'))
  const store = await Store.open({ dataDir: join(dir, 'data') })
  await store.createOrg('acme', 'acme')
  await store.catalog.apply('acme', parseSchemaText(SCHEMA))
  const first = await bootstrapAdmin(store, 'acme', true)
  const { secret } = await new TokenRepository(store.engine).create({
    org: 'acme',
    userId: first.user.id,
    name: 'reader',
    scopes: ['read'],
  })
  const app: App = await buildApp({ store, rateLimit: false, campaigns: await openCampaigns(store) })
  await app.ready()
  const requests: { url: string; body: unknown }[] = []
  return {
    requests,
    answer: async (request) => {
      const url = new URL(request.url)
      const text = request.method === 'GET' ? '' : await request.text()
      requests.push({ url: url.pathname, body: text ? JSON.parse(text) : undefined })
      const res = await app.inject({
        method: request.method as 'GET' | 'POST',
        url: url.pathname + url.search,
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        ...(text ? { payload: text } : {}),
      })
      return new Response(res.body, {
        status: res.statusCode,
        headers: { 'content-type': String(res.headers['content-type'] ?? 'application/json') },
      })
    },
    close: async () => {
      await app.close()
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
