import type { Socket } from 'node:net'
import { AppError, type ErrorCode } from '@ahub/core'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'

/** The hub's error-to-status mapping (the hub is its own service, so it has its own). */
const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  BAD_JSON: 400,
  BAD_URL: 400,
  BAD_REQUEST: 400,
  REQUEST_TIMEOUT: 408,
  UNSUPPORTED_MEDIA_TYPE: 415,
  DATASOURCE_KEY_INVALID: 400,
  HUB_PUBLISH_EMPTY: 400,
  HUB_ID_TOO_LONG: 400,
  HUB_ID_MALFORMED: 400,
  HUB_PUBLISH_INVALID: 400,
  HUB_TOKEN_INVALID: 401,
  HUB_NOT_OWNER: 403,
  HUB_NOT_FOUND: 404,
  HUB_VERSION_NOT_FOUND: 404,
  NOT_FOUND: 404,
  HUB_NAME_TAKEN: 409,
  HUB_AUDIENCE_DELETED: 410,
  PAYLOAD_TOO_LARGE: 413,
  BODY_TOO_LARGE: 413,
  HUB_MASTER_KEY_INVALID: 500,
  STORE_LOCKED: 503,
  HUB_UNAVAILABLE: 503,
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> }
}

/**
 * The converter of anything thrown in a route into a status and `{ error: { code, message,
 * details } }`, given a service's code → status map: the same shape for the hub and the server.
 */
export function httpErrorConverter(
  status: Partial<Record<ErrorCode, number>>,
): (err: unknown) => { status: number; body: ErrorBody } {
  return (err) => {
    if (err instanceof AppError) {
      // An engine's message and details can hold the statement: they go to the log, not the caller.
      if (err.code === 'STORE_ERROR')
        return {
          status: status[err.code] ?? 500,
          body: {
            error: {
              code: 'STORE_ERROR',
              message: 'The storage engine reported an error; the request id identifies it in the server log',
            },
          },
        }
      return { status: status[err.code] ?? 500, body: { error: err.toJSON() } }
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        path: [err.validationContext ?? 'body', ...String(v.instancePath).split('/').filter(Boolean)],
        message: v.message ?? 'invalid',
      }))
      return {
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            message: `Invalid request: ${issues[0]?.message}`,
            details: { issues },
          },
        },
      }
    }
    const fe = err as FastifyError
    if (fe?.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return {
        status: 413,
        body: { error: { code: 'BODY_TOO_LARGE', message: 'The JSON body exceeds 1 MB' } },
      }
    if (fe?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
      return { status: 400, body: { error: { code: 'BAD_JSON', message: 'The body is not valid JSON' } } }
    if (fe?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return {
        status: 415,
        body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported content type' } },
      }
    if (fe?.code === 'FST_ERR_BAD_URL')
      return {
        status: 400,
        body: { error: { code: 'BAD_URL', message: 'The request path is not a valid URL' } },
      }
    if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
      return { status: fe.statusCode, body: { error: { code: 'VALIDATION_FAILED', message: fe.message } } }
    return { status: 500, body: { error: { code: 'INTERNAL', message: 'Internal error' } } }
  }
}

/** Converts anything thrown in a hub route into a status and the error body. */
export const toHubHttpError = httpErrorConverter(STATUS)

/**
 * Fastify options that answer the framework's own refusals in the coded shape too: a path that
 * does not decode (FST_ERR_BAD_URL) and requests the HTTP parser rejects before any route runs.
 */
export function codedFrameworkErrors(convert: (err: unknown) => { status: number; body: ErrorBody }): {
  frameworkErrors: (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => void
  clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => void
} {
  return {
    frameworkErrors(error, _req, reply) {
      const { status, body } = convert(error)
      reply.status(status).send(body)
    },
    clientErrorHandler(error, socket) {
      if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) {
        socket.destroy(error)
        return
      }
      const [status, code, message] =
        error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'REQUEST_TIMEOUT', 'The request was not received in time']
          : error.code === 'HPE_HEADER_OVERFLOW'
            ? [431, 'BAD_REQUEST', 'The request headers are too large']
            : [400, 'BAD_REQUEST', 'The request is not valid HTTP']
      const body = JSON.stringify({ error: { code, message } })
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
      )
      socket.destroy(error)
    },
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
}
