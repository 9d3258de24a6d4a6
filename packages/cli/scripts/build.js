// @ts-check
// Bundles the CLI (and the server it starts) into packages/cli/dist with esbuild: see docs/adr/0024.
// Every build goes to its own folder, dist/<id>/, and dist/build-info.json (replaced atomically)
// names the current one with the sources it was made from, so concurrent rebuilds never mix files
// and the bin can tell a stale build from a fresh one.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const CLI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const ROOT = resolve(CLI_DIR, '../..')
const DIST = join(CLI_DIR, 'dist')
const INFO = join(DIST, 'build-info.json')
/** Builds kept besides the current one: a process started from an older one may still load its chunks. */
const KEEP_OLD = 2
/** Packages the bundle may import that the installed CLI does not carry (development and tests only). */
const DEV_ONLY = new Set(['chdb', 'tsx'])

/**
 * @typedef {{ id: string, builtAt: number, inputs: string[], external: string[] }} BuildInfo
 */

/** The current build's description, or null when there is none. @returns {BuildInfo | null} */
export function readBuildInfo() {
  try {
    return JSON.parse(readFileSync(INFO, 'utf8'))
  } catch {
    return null
  }
}

/** True when no source the build was made from changed (or went away) since. @param {BuildInfo} info */
export function isFresh(info) {
  for (const input of info.inputs) {
    try {
      if (statSync(join(ROOT, input)).mtimeMs > info.builtAt) return false
    } catch {
      return false
    }
  }
  return existsSync(join(DIST, info.id, 'main.js'))
}

/**
 * Builds unless the current build is fresh (or `force`). Returns the entry module's path.
 * @param {{ force?: boolean, quiet?: boolean }} [options]
 */
export async function build(options = {}) {
  const current = readBuildInfo()
  if (!options.force && current && isFresh(current)) return join(DIST, current.id, 'main.js')
  const { build: esbuild } = await import('esbuild')
  const builtAt = Date.now()
  const id = `${builtAt.toString(36)}-${process.pid.toString(36)}`
  const outdir = join(DIST, id)
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: {
      main: 'packages/cli/src/main.ts',
      // A worker thread of the phone normaliser, started by file name (packages/store/src/ingest/phones.ts).
      'phone-worker': 'packages/store/src/ingest/phone-worker.ts',
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    metafile: true,
    logLevel: options.quiet ? 'error' : 'warning',
    plugins: [externalPackages],
  })
  const inputs = [
    ...Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/')),
    ...readdirSync(join(ROOT, 'packages')).map((p) => `packages/${p}/package.json`),
    relative(ROOT, fileURLToPath(import.meta.url)),
  ].filter((f) => existsSync(join(ROOT, f)))
  const external = [
    ...new Set(
      Object.values(result.metafile.outputs).flatMap((o) =>
        o.imports.filter((i) => i.external && !i.path.startsWith('node:')).map((i) => packageName(i.path)),
      ),
    ),
  ].sort()
  checkDependencies(external)
  /** @type {BuildInfo} */
  const info = { id, builtAt, inputs: [...new Set(inputs)].sort(), external }
  const tmp = `${INFO}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(info, null, 2)}\n`)
  renameSync(tmp, INFO)
  pruneOldBuilds(id, KEEP_OLD)
  if (!options.quiet)
    process.stdout.write(`ahub: built packages/cli/dist/${id} in ${Date.now() - builtAt} ms\n`)
  return join(outdir, 'main.js')
}

/** The workspace packages (@ahub/*) go into the bundle; every other package stays an import. */
/** @type {import('esbuild').Plugin} */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@ahub/') || args.path.startsWith('node:')) return undefined
      return { path: args.path, external: true }
    })
  },
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. @param {string} spec */
function packageName(spec) {
  const parts = spec.split('/')
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec)
}

/** The installed CLI carries its own dependencies: every package the bundle imports must be one. @param {string[]} external */
function checkDependencies(external) {
  const pkg = JSON.parse(readFileSync(join(CLI_DIR, 'package.json'), 'utf8'))
  const declared = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
  ])
  const missing = external.filter((p) => !declared.has(p) && !DEV_ONLY.has(p))
  if (missing.length > 0)
    throw new Error(
      `packages/cli/package.json must list what the bundle imports; add to its dependencies: ${missing.join(', ')}`,
    )
}

/** Removes all but the current build and the `keep` newest others. @param {string} current @param {number} keep */
function pruneOldBuilds(current, keep) {
  const old = readdirSync(DIST, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== current)
    .map((e) => ({ name: e.name, at: statSync(join(DIST, e.name)).mtimeMs }))
    .sort((a, b) => b.at - a.at)
  for (const e of old.slice(keep)) rmSync(join(DIST, e.name), { recursive: true, force: true })
}

// `node packages/cli/scripts/build.js [--force] [--pack]`: the root postinstall runs it, and the
// CLI's prepack with --pack (only the current build goes into the tarball).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  mkdirSync(DIST, { recursive: true })
  const entry = await build({ force: args.includes('--force') })
  if (args.includes('--pack')) pruneOldBuilds(basename(dirname(entry)), 0)
}
