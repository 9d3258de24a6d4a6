import { AppError } from '@ahub/core'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Principal, Role, TokenRepository } from './tokens'

export type Permission = 'read' | 'write' | 'admin'

/** What each role may do; checked in this one place for every route. */
const GRANTS: Record<Role, Permission[]> = {
  viewer: ['read'],
  marketer: ['read', 'write'],
  admin: ['read', 'write', 'admin'],
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal
  }
}

/**
 * Every route that declares a permission requires a bearer token whose role grants it, and a
 * route with an `:org` parameter only answers for the token's own organisation.
 */
export function registerAuth(app: FastifyInstance, tokens: TokenRepository): void {
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const permission = req.routeOptions.config?.permission
    if (!permission) return
    const header = req.headers.authorization
    const match = typeof header === 'string' ? /^Bearer ([^\s]+)$/i.exec(header) : null
    if (!match) throw new AppError('UNAUTHENTICATED', 'Sign in: send Authorization: Bearer <token>')
    const principal = await tokens.verify(match[1]!)
    // Checked first and before the body is read: another org's caller gets a 404 (not a hint that
    // the org exists) and nothing is buffered.
    const org = (req.params as Record<string, string> | undefined)?.org
    if (org !== undefined && principal.org !== org)
      throw new AppError('ORG_NOT_FOUND', 'No such organisation')
    if (!GRANTS[principal.role].includes(permission)) {
      throw new AppError('FORBIDDEN', `Role ${principal.role} may not ${permission}`, {
        details: { role: principal.role, needs: permission },
      })
    }
    req.principal = principal
  })
}
