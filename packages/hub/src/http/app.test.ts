import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { AppError, type SharedAudienceEvent, sha256Hex } from '@ahub/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpHubClient } from '../http-client'
import { type HubFixture, httpFixture } from '../test-support'

let fx: HubFixture & { url: string; restart(): Promise<void> }
let token: string
let sa: string

/** The IDs of the tests: SHA-256 of an e-mail per letter, as the data source requires. */
const h = (name: string) => sha256Hex(`${name}@example.com`)
const ids = (...names: string[]) => names.map((n) => `${h(n)}\n`).join('')

async function get(path: string, headers: Record<string, string> = {}) {
  return fetch(`${fx.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } })
}

/** Reads an SSE body until `until` matches the text so far (or times out). */
async function readUntil(res: Response, until: RegExp, ms = 5000): Promise<string> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  let text = ''
  const deadline = Date.now() + ms
  while (!until.test(text) && Date.now() < deadline) {
    const { value, done } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
  }
  await reader.cancel()
  return text
}

beforeAll(async () => {
  fx = await httpFixture({ keepAliveMs: 100 })
  token = (await fx.hub.tokens.create('alpha', 'http test')).secret
  const ds = await fx.hub.createDataSource('alpha', {
    label: 'hashed',
    alias: 'h',
    idType: 'declared',
    namespace: 'email_sha256',
    protection: { kind: 'sha256' },
  })
  sa = (await fx.hub.createSharedAudience('alpha', { name: 'http', dataSource: ds.id, sharedWith: ['beta'] }))
    .id
})
afterAll(async () => fx?.close())

describe('hub HTTP API', () => {
  it('needs a valid hub token on every route but /health and the OpenAPI document', async () => {
    expect((await fetch(`${fx.url}/health`)).status).toBe(200)
    const doc = (await (await fetch(`${fx.url}/openapi.json`)).json()) as { paths: Record<string, unknown> }
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/events',
        '/v1/shared-audiences/{id}/versions',
        '/v1/data-sources/{id}/key-material',
      ]),
    )
    const none = await fetch(`${fx.url}/v1/shared-audiences`)
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toBe('Bearer')
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('HUB_TOKEN_INVALID')
    const forged = await fetch(`${fx.url}/v1/shared-audiences`, {
      headers: { authorization: `Bearer ahubhub_${'A'.repeat(43)}` },
    })
    expect(forged.status).toBe(401)
    const { token: info, secret } = await fx.hub.tokens.create('alpha', 'to revoke')
    const client = await HttpHubClient.connect({ url: fx.url, token: secret })
    expect(client.org).toBe('alpha')
    await fx.hub.tokens.revoke(info.id)
    await expect(client.listSharedAudiences()).rejects.toMatchObject({ code: 'HUB_TOKEN_INVALID' })
  })

  it('answers errors as { error: { code, message, details } } with their status', async () => {
    const res = await get('/v1/shared-audiences/sa_unknown00000000000')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({
      error: {
        code: 'HUB_NOT_FOUND',
        message: expect.any(String),
        details: { sharedAudience: 'sa_unknown00000000000' },
      },
    })
    const bad = await fetch(`${fx.url}/v1/data-sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        label: 'x',
        alias: 'x',
        idType: 'declared',
        namespace: 'email',
        protection: { kind: 'hmac-sha256', key: 'zz' },
      }),
    })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('DATASOURCE_KEY_INVALID')
  })

  it('takes gzip bodies, refuses broken gzip, and streams changes as +/- lines', async () => {
    const publish = (body: Buffer, requestId: string, mode = 'add') =>
      fetch(`${fx.url}/v1/shared-audiences/${sa}/versions?mode=${mode}&requestId=${requestId}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'text/plain',
          'content-encoding': 'gzip',
        },
        body,
      })
    const ok = await publish(gzipSync(ids('a', 'b', 'c')), 'g1')
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ version: 1, added: 3 })
    const broken = await publish(Buffer.from('not gzip at all'), 'g2')
    expect(broken.status).toBe(400)
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('HUB_PUBLISH_INVALID')
    expect((await publish(gzipSync(ids('b', 'd')), 'g3', 'mirror')).status).toBe(200)
    const changes = await get(`/v1/shared-audiences/${sa}/changes?since=1`)
    expect(changes.headers.get('x-hub-version')).toBe('2')
    expect([changes.headers.get('x-hub-added'), changes.headers.get('x-hub-removed')]).toEqual(['1', '2'])
    const body = (await changes.text()).split('\n').filter(Boolean)
    expect(body[0]).toBe(`+${h('d')}`)
    expect(body.slice(1).sort()).toEqual([`-${h('a')}`, `-${h('c')}`].sort())
    const members = await get(`/v1/shared-audiences/${sa}/members?version=1`)
    expect(members.headers.get('x-hub-count')).toBe('3')
    expect((await members.text()).split('\n').filter(Boolean).sort()).toEqual([h('a'), h('b'), h('c')].sort())
  })

  it('refuses IDs that are not SHA-256 digests under a SHA-256 data source, naming how many, with examples', async () => {
    const before = (await fx.hub.getSharedAudience('alpha', sa)).version
    const res = await fetch(`${fx.url}/v1/shared-audiences/${sa}/versions?mode=add&requestId=bad1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: `${ids('x')}alice@example.com;first_name=Alice\n${h('y').toUpperCase()}\n`,
    })
    expect(res.status).toBe(400)
    const { error } = (await res.json()) as {
      error: { code: string; message: string; details: Record<string, unknown> }
    }
    expect(error.code).toBe('HUB_ID_MALFORMED')
    expect(error.message).toMatch(/^2 of 3 IDs are not a SHA-256 digest as 64 lower-case hex digits/)
    expect(error.details).toMatchObject({
      malformed: 2,
      total: 3,
      protection: 'sha256',
      namespace: 'email_sha256',
      examples: [h('y').toUpperCase(), 'alice@example.com;first_name=Alice'],
    })
    // Nothing was published, and other orgs cannot read the text back.
    expect((await fx.hub.getSharedAudience('alpha', sa)).version).toBe(before)
  })

  it('keeps the event stream alive with comments and replays what a reconnecting client missed', async () => {
    const first = await get('/v1/events', { accept: 'text/event-stream' })
    expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(await readUntil(first, /: keep-alive/)).toMatch(/: keep-alive/)

    const live = await get('/v1/events')
    const reading = readUntil(live, /event: version[\s\S]*\n\n/)
    await new Promise((r) => setTimeout(r, 100))
    const f = join(fx.dir, 'e1.txt')
    writeFileSync(f, ids('e1'))
    await fx.hub.publish('alpha', sa, f, { mode: 'add', requestId: 'ev1' })
    const text = await reading
    const id = /id: (\S+)/.exec(text)?.[1] as string
    expect(JSON.parse(/data: (.*)/.exec(text)?.[1] as string)).toMatchObject({
      sharedAudience: sa,
      version: 3,
      added: 1,
    })
    writeFileSync(f, ids('e2'))
    await fx.hub.publish('alpha', sa, f, { mode: 'add', requestId: 'ev2' })
    // A client that saw event `id` reconnects and gets the next one at once.
    const replay = await get('/v1/events', { 'last-event-id': id })
    expect(await readUntil(replay, /"version":4/)).toMatch(/"version":4/)
  })

  it('the HTTP client reconnects by itself after the hub restarts', async () => {
    const { secret } = await fx.hub.tokens.create('beta', 'subscriber')
    const beta = await HttpHubClient.connect({
      url: fx.url,
      token: secret,
      backoff: { initialMs: 50, maxMs: 200 },
    })
    const events: SharedAudienceEvent[] = []
    let opens = 0
    const errors: Error[] = []
    const stop = beta.subscribe((e) => events.push(e), {
      onOpen: () => opens++,
      onError: (e) => errors.push(e),
    })
    try {
      while (opens < 1) await new Promise((r) => setTimeout(r, 20))
      // Stop serving (the SSE stream is cut), then serve the same hub again on the same port.
      await fx.restart()
      while (opens < 2) await new Promise((r) => setTimeout(r, 20))
      const f = join(fx.dir, 'r1.txt')
      writeFileSync(f, ids('r1'))
      await fx.hub.publish('alpha', sa, f, { mode: 'add', requestId: 'rc1' })
      for (let i = 0; i < 100 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
      expect(events.at(-1)).toMatchObject({ sharedAudience: sa, version: 5 })
      expect(errors.length).toBeGreaterThan(0)
    } finally {
      stop()
    }
  })

  it('reports a hub that is down as HUB_UNAVAILABLE', async () => {
    const client = new HttpHubClient({ url: 'http://127.0.0.1:1', token, org: 'alpha' })
    const e = await client.listDataSources().catch((x: unknown) => x)
    expect(e).toBeInstanceOf(AppError)
    expect((e as AppError).code).toBe('HUB_UNAVAILABLE')
  })
})
