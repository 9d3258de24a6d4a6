// The subset of oidc-provider (v9, shipped without typings) that Audience Hub uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  export interface InteractionDetails {
    uid: string
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> }
    params: Record<string, unknown>
    session?: { accountId?: string }
    grantId?: string
  }

  export interface GrantInstance {
    addOIDCScope(scope: string): void
    addResourceScope(resource: string, scope: string): void
    addOIDCClaims(claims: string[]): void
    save(): Promise<string>
  }

  export interface OidcContext {
    oidc: {
      client?: { clientId: string }
      session?: { accountId?: string; grantIdFor(clientId: string): string | undefined }
      result?: { consent?: { grantId?: string } }
      provider: Provider
    }
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Record<string, unknown>)
    issuer: string
    proxy: boolean
    Grant: {
      new (init: { clientId: string; accountId: string }): GrantInstance
      find(id: string): Promise<GrantInstance | undefined>
    }
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>
    on(event: string, listener: (...args: unknown[]) => void): this
  }
}
