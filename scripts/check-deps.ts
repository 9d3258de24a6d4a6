import { readdirSync, readFileSync, statSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { join, relative } from 'node:path'
import ts from 'typescript'

/**
 * Checks the dependency edges of the workspace packages against what their code imports (issue 19,
 * point 6), using TypeScript's own import scanner:
 * - every bare import of a package's run-time code (`src/` but tests, and `bin/`) is in its
 *   `dependencies`: a production install (without dev dependencies) has it;
 * - every bare import of its tests is in its `dependencies` or `devDependencies`, or in the
 *   root's `devDependencies` (test tools shared by every package: vitest, fast-check, ...);
 * - every entry of its `dependencies` is imported by its run-time code (a test-only package
 *   belongs in `devDependencies`).
 * A type-only import (`import type`) is erased at compile time: a dev dependency is enough for it.
 * `npm run check-deps` prints the problems; `scripts/check-deps.test.ts` runs it in `npm test`.
 */

export interface DependencyProblem {
  package: string
  kind: 'undeclared' | 'unused'
  dependency: string
  /** The importing file (undeclared), relative to the root. */
  file?: string
}

const CODE = /\.(ts|tsx|js|mjs)$/
/** Test code: tests, and their set-up modules (`test-support.ts`, `test-support/`). */
const TEST = /(\.test\.tsx?$)|(\/test-support(\.ts$|\/))/

/**
 * Files of a package's src that are tools, not run-time code (checked as tests are), and declared
 * dependencies that are never imported on purpose; each with its reason.
 */
const TOOLS: Record<string, string> = {
  'packages/web/src/api/openapi-document.ts':
    'generates the API types from the server (npm run api:types and schema.test.ts); never bundled',
}
const UNIMPORTED: Record<string, string> = {
  '@ahub/web react-is': "recharts' peer dependency, bundled through recharts",
}
/** Run-time imports a dev dependency is enough for, on purpose; each with its reason. */
const ON_DEMAND: Record<string, string> = {
  '@ahub/store chdb':
    'the embedded ClickHouse of tests and development, imported only when the chdb backend is opened (ENGINE_NOT_INSTALLED otherwise)',
}
/**
 * Packages shipped as one bundle (docs/adr/0024): the workspace code they import is compiled in, so
 * a dev dependency is enough for every import, and their `dependencies` are what the bundle leaves
 * outside, which the build itself checks against the bundle (packages/cli/scripts/build.js).
 */
const BUNDLED: Record<string, string> = {
  '@ahub/cli': 'bundled by packages/cli/scripts/build.js, which checks the bundle against its dependencies',
}

interface Manifest {
  name: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

/** The package a bare specifier names (`@scope/name/sub` is `@scope/name`), or null for a relative path or builtin. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) return null
  // Vite's virtual modules and asset queries are not packages.
  if (specifier.startsWith('virtual:') || specifier.includes('?')) return null
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
}

/**
 * The bare packages a source file imports (static, dynamic and re-exports), each with whether
 * every import of it is type-only (erased at compile time, so a dev dependency is enough).
 */
export function importsOf(source: string): Map<string, { typeOnly: boolean }> {
  const found = new Map<string, { typeOnly: boolean }>()
  for (const f of ts.preProcessFile(source, true, true).importedFiles) {
    const name = packageOf(f.fileName)
    if (name) found.set(name, { typeOnly: false })
  }
  // Type-only when every declaration naming the package is `import type` / `export type`.
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TSX)
  const valueImports = new Set<string>()
  const typeImports = new Set<string>()
  for (const st of file.statements) {
    if (!(ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) || !st.moduleSpecifier) continue
    if (!ts.isStringLiteral(st.moduleSpecifier)) continue
    const name = packageOf(st.moduleSpecifier.text)
    if (!name) continue
    const typeOnly = ts.isImportDeclaration(st)
      ? st.importClause?.isTypeOnly === true ||
        (st.importClause !== undefined &&
          !st.importClause.name &&
          st.importClause.namedBindings !== undefined &&
          ts.isNamedImports(st.importClause.namedBindings) &&
          st.importClause.namedBindings.elements.length > 0 &&
          st.importClause.namedBindings.elements.every((e) => e.isTypeOnly))
      : st.isTypeOnly
    ;(typeOnly ? typeImports : valueImports).add(name)
  }
  for (const name of typeImports)
    if (!valueImports.has(name) && found.has(name) && !dynamicImport(source, name))
      found.set(name, { typeOnly: true })
  return found
}

function dynamicImport(source: string, name: string): boolean {
  return source.includes(`import('${name}`) || source.includes(`import("${name}`)
}

function files(dir: string): string[] {
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch {
    return []
  }
  return entries.flatMap((e) => {
    const path = join(dir, e)
    if (e === 'node_modules' || e === 'dist') return []
    return statSync(path).isDirectory() ? files(path) : CODE.test(e) ? [path] : []
  })
}

/** Every problem of every workspace package under `root`. */
export function checkDependencies(root: string): DependencyProblem[] {
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest
  const rootDev = new Set(Object.keys(rootManifest.devDependencies ?? {}))
  const problems: DependencyProblem[] = []
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const pkgDir = join(root, 'packages', dir)
    let manifest: Manifest
    try {
      manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Manifest
    } catch {
      continue
    }
    const deps = new Set(Object.keys(manifest.dependencies ?? {}))
    const devDeps = new Set(Object.keys(manifest.devDependencies ?? {}))
    const used = new Set<string>()
    const bundled = manifest.name in BUNDLED
    for (const file of [...files(join(pkgDir, 'src')), ...files(join(pkgDir, 'bin'))]) {
      const test = TEST.test(file) || relative(root, file) in TOOLS
      for (const [name, { typeOnly }] of importsOf(readFileSync(file, 'utf8'))) {
        if (name === manifest.name) continue
        if (!test) used.add(name)
        const dev = test || typeOnly || bundled || `${manifest.name} ${name}` in ON_DEMAND
        const declared = deps.has(name) || (dev && (devDeps.has(name) || rootDev.has(name)))
        if (!declared)
          problems.push({
            package: manifest.name,
            kind: 'undeclared',
            dependency: name,
            file: relative(root, file),
          })
      }
    }
    if (!bundled)
      for (const name of [...deps].sort())
        if (!used.has(name) && !(`${manifest.name} ${name}` in UNIMPORTED))
          problems.push({ package: manifest.name, kind: 'unused', dependency: name })
  }
  return problems
}

/** One line per problem, for people. */
export function describeProblem(p: DependencyProblem): string {
  return p.kind === 'undeclared'
    ? `${p.package}: imports ${p.dependency} (${p.file}) without declaring it`
    : `${p.package}: declares ${p.dependency} in dependencies but its code never imports it`
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = checkDependencies(process.cwd())
  for (const p of problems) console.error(describeProblem(p))
  process.exitCode = problems.length > 0 ? 1 : 0
}
