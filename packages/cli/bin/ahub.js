#!/usr/bin/env node
// Runs the built CLI (packages/cli/dist, see docs/adr/0024). Inside the repository the build is
// checked against the sources first: a stale one is rebuilt, and where it cannot be (no esbuild)
// the sources run under tsx. An installed package has no sources and runs its build as is.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

// `ahub ... | head`: a reader that stops early is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw e
})

const { main } = await import(await entry())
process.exitCode = await main(process.argv)

/** The module to run: the current build when it is fresh, else a new build, else the sources. */
async function entry() {
  const sources = new URL('../src/main.ts', import.meta.url)
  const info = readBuildInfo()
  if (!existsSync(sources)) return new URL(`../dist/${info?.id}/main.js`, import.meta.url).href
  if (process.env.AHUB_RUN_SOURCES !== '1') {
    if (info && isFresh(info)) return new URL(`../dist/${info.id}/main.js`, import.meta.url).href
    try {
      const { build } = await import('../scripts/build.js')
      return pathToFileURL(await build({ quiet: true })).href
    } catch (e) {
      process.stderr.write(`ahub: cannot rebuild (${e.message}); running the sources\n`)
    }
  }
  const { register } = await import('tsx/esm/api')
  register()
  return sources.href
}

function readBuildInfo() {
  try {
    return JSON.parse(readFileSync(new URL('../dist/build-info.json', import.meta.url), 'utf8'))
  } catch {
    return null
  }
}

/** Same check as scripts/build.js, inlined: importing the build script costs more than the check. */
function isFresh(info) {
  const root = fileURLToPath(new URL('../../../', import.meta.url))
  for (const input of info.inputs) {
    try {
      if (statSync(root + input).mtimeMs > info.builtAt) return false
    } catch {
      return false
    }
  }
  return existsSync(new URL(`../dist/${info.id}/main.js`, import.meta.url))
}
