import { request } from 'node:http'

/** What a raw request answered: status, error code of a coded error body, and the text. */
export interface RawAnswer {
  status: number
  code: string | null
  text: string
  contentType: string
}

/**
 * Sends a request with `path` exactly as given (no URL normalisation, unlike fetch), so encoded
 * and odd paths reach the server as an attacker would send them. Event streams are cut after
 * their headers.
 */
export function rawRequest(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
): Promise<RawAnswer> {
  const url = new URL(base)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          ...(options.body !== undefined
            ? { 'content-length': String(Buffer.byteLength(options.body)) }
            : {}),
          ...options.headers,
        },
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const contentType = String(res.headers['content-type'] ?? '')
        if (contentType.startsWith('text/event-stream')) {
          res.destroy()
          resolve({ status: res.statusCode ?? 0, code: null, text: '', contentType })
          return
        }
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let code: string | null = null
          try {
            const parsed = JSON.parse(text) as { error?: { code?: unknown } }
            if (typeof parsed?.error?.code === 'string') code = parsed.error.code
          } catch {
            code = null
          }
          resolve({ status: res.statusCode ?? 0, code, text, contentType })
        })
      },
    )
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)))
    req.on('error', reject)
    if (options.body !== undefined) req.write(options.body)
    req.end()
  })
}

/** Runs `tasks` with at most `width` at a time, keeping their order in the result. */
export async function pool<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length)
  let next = 0
  async function worker() {
    while (next < tasks.length) {
      const i = next++
      out[i] = await (tasks[i] as () => Promise<T>)()
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker))
  return out
}
