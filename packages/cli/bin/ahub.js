#!/usr/bin/env node
// Runs the TypeScript sources directly: tsx compiles them on the fly (see docs/adr/0002).
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/main.ts')
process.exitCode = await main(process.argv)
