import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

/** The web app's package (packages/web): its sources and, once built, `dist/`. */
export const WEB_PACKAGE_DIR = webPackageDir()

/**
 * Found by module resolution, so the sources and the built CLI (packages/cli/dist) find the same
 * folder; an installed CLI package has no web app beside it.
 */
function webPackageDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('@ahub/web/package.json'))
  } catch {
    return resolve(dirname(fileURLToPath(import.meta.url)), '../../web')
  }
}

/** Where `vite build` writes the app; the server serves it at `/`. */
export function webDistDir(packageDir = WEB_PACKAGE_DIR): string {
  return join(packageDir, 'dist')
}

/** Paths that belong to the API or sign-in: they keep their JSON answers, never the app's page. */
const API_PREFIXES = [
  '/v1/',
  '/auth/',
  '/oidc/',
  '/docs',
  '/openapi.json',
  '/health',
  '/ready',
  '/.well-known/',
]

/** True for a path the web app's router handles (so an unknown one gets index.html). */
export function isAppPath(path: string): boolean {
  return !API_PREFIXES.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p))
}

function newestMtime(path: string): number {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue
    newest = Math.max(newest, newestMtime(join(path, entry)))
  }
  return newest
}

/** True when `dist/index.html` is missing or older than a source of the app. */
export function webBuildIsStale(packageDir = WEB_PACKAGE_DIR): boolean {
  const index = join(webDistDir(packageDir), 'index.html')
  if (!existsSync(index)) return true
  const built = statSync(index).mtimeMs
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json', 'public']
    .map((f) => join(packageDir, f))
    .filter((f) => existsSync(f))
  return sources.some((f) => newestMtime(f) > built)
}

/**
 * Builds the web app with Vite when its build is missing or stale (a fresh clone, an edit).
 * Returns what was done; throws with Vite's output when the build fails.
 */
export function ensureWebBuild(
  log: (line: string) => void = () => {},
  packageDir = WEB_PACKAGE_DIR,
): 'built' | 'fresh' | 'absent' {
  if (!existsSync(join(packageDir, 'vite.config.ts'))) return 'absent'
  if (!webBuildIsStale(packageDir)) return 'fresh'
  log('Building the web app (vite build)...')
  const vite = join(packageDir, '..', '..', 'node_modules', 'vite', 'bin', 'vite.js')
  const run = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: packageDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (run.status !== 0) throw new Error(`vite build failed:\n${run.stdout}\n${run.stderr}`)
  return 'built'
}

/**
 * Serves the built web app at `/`: hashed assets cached for a year, index.html revalidated each
 * time, and every unknown app path answered with index.html so the app's router can take it.
 * API paths are untouched and keep their JSON 404.
 */
export async function registerWebApp(app: FastifyInstance, distDir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: distDir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    cacheControl: false,
    setHeaders: (res, path) => {
      const immutable = path.startsWith(join(distDir, 'assets'))
      res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      if (path.endsWith('.html')) for (const [k, v] of Object.entries(WEB_APP_HEADERS)) res.header(k, v)
    },
  })
}

/** Headers of the app's pages: the app loads only its own scripts and styles. */
export const WEB_APP_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
} as const
