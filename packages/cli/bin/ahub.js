#!/usr/bin/env node
// Runs the TypeScript sources directly: tsx compiles them on the fly (see docs/adr/0002).
import { register } from 'tsx/esm/api'

register()
// `ahub ... | head`: a reader that stops early is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw e
})
const { main } = await import('../src/main.ts')
process.exitCode = await main(process.argv)
