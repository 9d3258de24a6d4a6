import { writeFileSync } from 'node:fs'
import { generateApiTypes } from '../src/api/openapi-document'

const target = new URL('../src/api/schema.gen.ts', import.meta.url)
writeFileSync(target, await generateApiTypes())
process.stdout.write(`wrote ${target.pathname}\n`)
