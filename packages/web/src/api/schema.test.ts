import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { generateApiTypes } from './openapi-document'

describe("the web app's API types", () => {
  it("match the server's OpenAPI document (run `npm run api:types -w packages/web` when this fails)", async () => {
    const committed = readFileSync(new URL('./schema.gen.ts', import.meta.url), 'utf8')
    expect(committed === (await generateApiTypes()), 'packages/web/src/api/schema.gen.ts is stale').toBe(true)
  })
})
