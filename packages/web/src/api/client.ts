import createClient from 'openapi-fetch'
import type { paths } from './schema.gen'

/** A coded error of the API (`{ error: { code, message, details } }`), or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** The typed client of the public API, generated from the server's OpenAPI document; the session cookie signs it in. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' })

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown }
}

/** Turns an API answer's error body into an ApiError. */
export function toApiError(status: number, body: unknown): ApiError {
  const e = (body as ErrorBody | undefined)?.error
  return new ApiError(
    status,
    e?.code ?? `HTTP_${status}`,
    e?.message ?? `The server answered ${status}`,
    e?.details,
  )
}

/** Awaits an openapi-fetch call: its data, or throws an ApiError with the server's code. */
export async function call<T>(
  request: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<NonNullable<T>> {
  let result: { data?: T; error?: unknown; response: Response }
  try {
    result = await request
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached')
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error)
  return result.data as NonNullable<T>
}
