import { createReadStream, createWriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { type Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import {
  AppError,
  type DataSource,
  type DataSourceInput,
  type ErrorCode,
  type Protection,
  type SharedAudience,
  SharedAudienceEvent,
  type SharedVersion,
  type SyncMode,
} from '@ahub/core'
import type { HubClient, SubscribeOptions } from './client'

export interface HttpHubClientOptions {
  /** Base URL of the hub, e.g. http://127.0.0.1:7700. */
  url: string
  /** A hub token (`ahubhub_...`); the client acts for its org. */
  token: string
  /** The org the token acts for, when known; otherwise read with `HttpHubClient.connect`. */
  org?: string
  /** Gzip published files on the wire (worth it over slow links, not on loopback). */
  gzip?: boolean
  /** Reconnection backoff of the event stream, in ms. */
  backoff?: { initialMs: number; maxMs: number }
}

/** The hub over HTTP (`ahub hub serve`), acting for the org of its token. */
export class HttpHubClient implements HubClient {
  private readonly base: string
  private orgName: string | undefined

  constructor(private readonly options: HttpHubClientOptions) {
    this.base = options.url.replace(/\/+$/, '')
    this.orgName = options.org
  }

  /** Creates a client and reads its org from the hub (checks the URL and token on the way). */
  static async connect(options: HttpHubClientOptions): Promise<HttpHubClient> {
    const client = new HttpHubClient(options)
    const me = await client.json<{ org: string }>('GET', '/v1/me')
    client.orgName = me.org
    return client
  }

  get org(): string {
    if (this.orgName === undefined) {
      throw new AppError(
        'INTERNAL',
        'The org of this hub client is unknown: create it with HttpHubClient.connect',
      )
    }
    return this.orgName
  }

  createDataSource(input: DataSourceInput): Promise<DataSource> {
    return this.json('POST', '/v1/data-sources', input)
  }

  async listDataSources(): Promise<DataSource[]> {
    return (await this.json<{ dataSources: DataSource[] }>('GET', '/v1/data-sources')).dataSources
  }

  getDataSource(id: string): Promise<DataSource> {
    return this.json('GET', `/v1/data-sources/${enc(id)}`)
  }

  keyMaterial(dataSourceId: string): Promise<Protection> {
    return this.json('GET', `/v1/data-sources/${enc(dataSourceId)}/key-material`)
  }

  createSharedAudience(input: {
    name: string
    dataSource: string
    sharedWith?: string[]
  }): Promise<SharedAudience> {
    return this.json('POST', '/v1/shared-audiences', input)
  }

  async listSharedAudiences(): Promise<SharedAudience[]> {
    return (await this.json<{ sharedAudiences: SharedAudience[] }>('GET', '/v1/shared-audiences'))
      .sharedAudiences
  }

  getSharedAudience(id: string): Promise<SharedAudience> {
    return this.json('GET', `/v1/shared-audiences/${enc(id)}`)
  }

  setSharedWith(id: string, orgs: string[]): Promise<SharedAudience> {
    return this.json('PUT', `/v1/shared-audiences/${enc(id)}/shared-with`, { orgs })
  }

  async deleteSharedAudience(id: string): Promise<void> {
    await this.request('DELETE', `/v1/shared-audiences/${enc(id)}`)
  }

  async publish(
    id: string,
    file: string,
    options: { mode: SyncMode; requestId: string },
  ): Promise<SharedVersion> {
    await stat(file).catch((cause) => {
      throw new AppError('HUB_PUBLISH_INVALID', `Cannot read ${file}`, { cause, details: { file } })
    })
    const gzipped = /\.gz$/i.test(file)
    const compress = this.options.gzip === true && !gzipped
    const query = new URLSearchParams({ mode: options.mode, requestId: options.requestId })
    const res = await this.stream('POST', `/v1/shared-audiences/${enc(id)}/versions?${query}`, {
      body: createReadStream(file, { highWaterMark: 1 << 20 }),
      gzip: compress,
      headers: {
        'content-type': gzipped ? 'application/gzip' : 'text/plain; charset=utf-8',
        ...(compress ? { 'content-encoding': 'gzip' } : {}),
      },
    })
    return JSON.parse(await readText(res)) as SharedVersion
  }

  async versions(id: string): Promise<SharedVersion[]> {
    return (await this.json<{ versions: SharedVersion[] }>('GET', `/v1/shared-audiences/${enc(id)}/versions`))
      .versions
  }

  async downloadMembers(id: string, file: string, version?: number): Promise<number> {
    const q = version === undefined ? '' : `?version=${version}`
    const res = await this.stream('GET', `/v1/shared-audiences/${enc(id)}/members${q}`)
    await pipeline(res, createWriteStream(file))
    return Number(res.headers['x-hub-count'])
  }

  async downloadChanges(
    id: string,
    sinceVersion: number,
    files: { added: string; removed: string },
  ): Promise<{ version: number; added: number; removed: number }> {
    const res = await this.stream('GET', `/v1/shared-audiences/${enc(id)}/changes?since=${sinceVersion}`)
    const added = createWriteStream(files.added)
    const removed = createWriteStream(files.removed)
    await pipeline(res, splitChanges(added, removed))
    await Promise.all([closeStream(added), closeStream(removed)])
    return {
      version: Number(res.headers['x-hub-version']),
      added: Number(res.headers['x-hub-added']),
      removed: Number(res.headers['x-hub-removed']),
    }
  }

  subscribe(listener: (event: SharedAudienceEvent) => void, options: SubscribeOptions = {}): () => void {
    const abort = new AbortController()
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 250, maxMs: 10_000 }
    let lastId: string | undefined
    const run = async () => {
      let delay = initialMs
      while (!abort.signal.aborted) {
        try {
          const res = await this.request('GET', '/v1/events', {
            headers: { accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) },
            signal: abort.signal,
          })
          delay = initialMs
          options.onOpen?.()
          for await (const message of readEvents(res)) {
            if (message.id) lastId = message.id
            if (message.event !== 'version') continue
            const parsed = SharedAudienceEvent.safeParse(JSON.parse(message.data))
            if (parsed.success) listener(parsed.data)
          }
          if (!abort.signal.aborted) throw new AppError('HUB_UNAVAILABLE', 'The hub closed the event stream')
        } catch (e) {
          if (abort.signal.aborted) return
          options.onError?.(e as Error)
          await sleep(delay, abort.signal)
          delay = Math.min(maxMs, delay * 2)
        }
      }
    }
    void run()
    return () => abort.abort()
  }

  /**
   * A request over node:http for bulk bodies (files up and down): streams without the copies of
   * fetch's web streams, which made a 1 M-ID transfer several times slower.
   */
  private stream(
    method: string,
    path: string,
    init: { body?: Readable; gzip?: boolean; headers?: Record<string, string> } = {},
  ): Promise<IncomingMessage> {
    const url = new URL(`${this.base}${path}`)
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    return new Promise((resolve, reject) => {
      const req = send(url, {
        method,
        headers: { authorization: `Bearer ${this.options.token}`, ...init.headers },
      })
      const unavailable = (cause: unknown) =>
        new AppError(
          'HUB_UNAVAILABLE',
          `The hub at ${this.base} cannot be reached: ${(cause as Error).message}`,
          {
            cause,
            details: { url: this.base },
          },
        )
      req.on('error', (cause) => reject(cause instanceof AppError ? cause : unavailable(cause)))
      req.on('response', (res) => {
        const status = res.statusCode ?? 0
        if (status >= 200 && status < 300) return resolve(res)
        readText(res).then(
          (text) => reject(errorFrom(status, text)),
          (cause) => reject(unavailable(cause)),
        )
      })
      if (!init.body) {
        req.end()
        return
      }
      // A refused upload (e.g. 401 before the body is read) ends the request early: the answer
      // above carries the reason, so a pipeline error alone is not reported.
      const piped = init.gzip ? pipeline(init.body, createGzip({ level: 1 }), req) : pipeline(init.body, req)
      piped.catch(() => undefined)
    })
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
    })
    return (await res.json()) as T
  }

  private async request(
    method: string,
    path: string,
    init: { body?: RequestInit['body']; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<Response> {
    let res: Response
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        body: init.body,
        headers: { authorization: `Bearer ${this.options.token}`, ...init.headers },
        signal: init.signal,
      } as RequestInit)
    } catch (cause) {
      if (init.signal?.aborted) throw cause
      throw new AppError(
        'HUB_UNAVAILABLE',
        `The hub at ${this.base} cannot be reached: ${(cause as Error).message}`,
        {
          cause,
          details: { url: this.base },
        },
      )
    }
    if (res.ok) return res
    throw errorFrom(res.status, await res.text().catch(() => ''))
  }
}

/** The AppError a hub error answer describes (`{ error: { code, message, details } }`), else HUB_UNAVAILABLE. */
function errorFrom(status: number, text: string): AppError {
  let err: { code?: string; message?: string; details?: Record<string, unknown> } | undefined
  try {
    err = (JSON.parse(text) as { error?: typeof err }).error
  } catch {
    err = undefined
  }
  if (err?.code && err.message) {
    return new AppError(err.code as ErrorCode, err.message, err.details ? { details: err.details } : {})
  }
  return new AppError('HUB_UNAVAILABLE', `The hub answered ${status}`, { details: { status } })
}

async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of res) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function enc(id: string): string {
  return encodeURIComponent(id)
}

function closeStream(w: NodeJS.WritableStream & { closed?: boolean }): Promise<void> {
  return new Promise((resolve, reject) => {
    if ((w as { closed?: boolean }).closed) return resolve()
    w.on('close', resolve)
    w.on('error', reject)
    w.end()
  })
}

/** A sink that splits `+id` / `-id` lines into two files without the sign. */
function splitChanges(added: Writable, removed: Writable): Writable {
  let carry: Buffer = Buffer.alloc(0)
  const write = (w: Writable, b: Buffer): Promise<void> =>
    new Promise((resolve, reject) => {
      if (b.length === 0) return resolve()
      w.write(b, (e) => (e ? reject(e) : resolve()))
    })
  const flushLines = async (buf: Buffer): Promise<Buffer> => {
    const outs: { add: Buffer[]; rem: Buffer[] } = { add: [], rem: [] }
    let start = 0
    for (;;) {
      const nl = buf.indexOf(10, start)
      if (nl < 0) break
      if (nl > start) {
        const target = buf[start] === 45 /* - */ ? outs.rem : outs.add
        target.push(buf.subarray(start + 1, nl + 1))
      }
      start = nl + 1
    }
    await write(added, Buffer.concat(outs.add))
    await write(removed, Buffer.concat(outs.rem))
    return buf.subarray(start)
  }
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk
      flushLines(buf).then((rest) => {
        carry = Buffer.from(rest)
        cb()
      }, cb)
    },
    final(cb) {
      const rest = carry.length > 0 ? Buffer.concat([carry, Buffer.from('\n')]) : carry
      flushLines(rest).then(() => cb(), cb)
    },
  })
}

interface SseMessage {
  id?: string
  event: string
  data: string
}

/** Parses a text/event-stream body into messages (comments skipped). */
async function* readEvents(res: Response): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder()
  let buffer = ''
  if (!res.body) return
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true })
    let end = buffer.indexOf('\n\n')
    while (end >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const message: SseMessage = { event: 'message', data: '' }
      const data: string[] = []
      for (const line of block.split('\n')) {
        if (line.startsWith(':') || line === '') continue
        const colon = line.indexOf(':')
        const field = colon < 0 ? line : line.slice(0, colon)
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
        if (field === 'data') data.push(value)
        else if (field === 'event') message.event = value
        else if (field === 'id') message.id = value
      }
      if (data.length > 0) {
        message.data = data.join('\n')
        yield message
      }
      end = buffer.indexOf('\n\n')
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms)
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t)
        resolve()
      },
      { once: true },
    )
  })
}
