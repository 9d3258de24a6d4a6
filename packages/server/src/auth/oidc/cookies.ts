import { createHmac, timingSafeEqual } from 'node:crypto'

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim())
  }
  return undefined
}

/** A Set-Cookie value: httpOnly and SameSite=Lax always, Secure on https. */
export function setCookie(
  name: string,
  value: string,
  o: { path: string; maxAge: number; secure: boolean },
): string {
  return `${name}=${encodeURIComponent(value)}; Path=${o.path}; Max-Age=${Math.max(0, Math.floor(o.maxAge))}; HttpOnly; SameSite=Lax${o.secure ? '; Secure' : ''}`
}

/** Seals a JSON value with an HMAC so the browser can hold it but not change it. */
export function sign(value: unknown, secret: string): string {
  const body = Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`
}

/** Opens a value sealed by `sign`; undefined when it was changed or is not one. */
export function unsign<T>(sealed: string | undefined, secret: string): T | undefined {
  const [body, mac] = (sealed ?? '').split('.')
  if (!body || !mac) return undefined
  const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('base64url'))
  const given = Buffer.from(mac)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T
  } catch {
    return undefined
  }
}
