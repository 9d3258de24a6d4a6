import { AppError } from '@ahub/core'
import { describe, expect, it } from 'vitest'
import { toHubHttpError } from './errors'

describe('the error converter', () => {
  it('never puts an engine statement in the answer: STORE_ERROR keeps only its code', () => {
    const sql = 'SELECT secret_column FROM acme.profiles WHERE x = 1 + 1 + 1'
    const err = new AppError('STORE_ERROR', `Binder Error: max_expression_depth reached in ${sql}`, {
      details: { statement: sql, sqlState: '42000' },
    })
    const { status, body } = toHubHttpError(err)
    expect(status).toBe(500)
    expect(body.error.code).toBe('STORE_ERROR')
    expect(JSON.stringify(body)).not.toMatch(/SELECT|secret_column|statement|Binder/)
  })

  it("gives Fastify's own errors their codes", () => {
    const fastify = (code: string, statusCode: number) => Object.assign(new Error(code), { code, statusCode })
    expect(toHubHttpError(fastify('FST_ERR_BAD_URL', 400))).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_URL' } },
    })
    expect(toHubHttpError(fastify('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415))).toMatchObject({
      status: 415,
      body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } },
    })
  })
})
