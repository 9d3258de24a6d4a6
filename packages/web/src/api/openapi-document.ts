import { buildApp } from '@ahub/server'
import { Store } from '@ahub/store'
import openapiTS, { astToString } from 'openapi-typescript'

/** The server's OpenAPI document, read from an app on an in-memory store (no port opened). */
export async function serverOpenApiDocument(): Promise<Record<string, unknown>> {
  const store = await Store.open({ dataDir: ':memory:' })
  const app = await buildApp({ store, rateLimit: false })
  try {
    await app.ready()
    return app.swagger() as unknown as Record<string, unknown>
  } finally {
    await app.close()
    await store.close()
  }
}

/** The TypeScript the web app's API client is typed with, generated from the OpenAPI document. */
export async function generateApiTypes(): Promise<string> {
  const doc = await serverOpenApiDocument()
  const ast = await openapiTS(doc as unknown as Parameters<typeof openapiTS>[0], { alphabetize: true })
  return `// Generated from the server's /openapi.json by \`npm run api:types -w packages/web\`. Do not edit.\n\n${astToString(ast)}`
}
