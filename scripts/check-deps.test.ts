import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { checkDependencies, describeProblem, importsOf } from './check-deps'

const root = resolve(__dirname, '..')
const fixtures = mkdtempSync(join(tmpdir(), 'ahub-check-deps-'))
afterAll(() => rmSync(fixtures, { recursive: true, force: true }))

/** A workspace with one package `@x/app`, its manifest and files. */
function workspace(
  name: string,
  manifest: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> },
  files: Record<string, string>,
): string {
  const dir = join(fixtures, name)
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  write('package.json', JSON.stringify({ name: 'root', devDependencies: { vitest: '*' } }))
  write('packages/app/package.json', JSON.stringify({ name: '@x/app', ...manifest }))
  for (const [path, text] of Object.entries(files)) write(`packages/app/${path}`, text)
  return dir
}

describe('dependency edges of the workspace packages (issue 19, point 6)', () => {
  it('finds no undeclared or unused dependency in this repository', () => {
    expect(checkDependencies(root).map(describeProblem)).toEqual([])
  })

  it('refuses a run-time import declared only as a dev dependency, and a dependency nothing imports', () => {
    const dir = workspace(
      'bad',
      { dependencies: { zod: '*', left: '*' }, devDependencies: { pino: '*' } },
      {
        'src/index.ts': "import { z } from 'zod'\nimport { pino } from 'pino'\nexport const a = [z, pino]\n",
        'src/lazy.ts': "export const load = () => import('@scope/lazy/sub')\n",
      },
    )
    expect(checkDependencies(dir)).toEqual([
      { package: '@x/app', kind: 'undeclared', dependency: 'pino', file: 'packages/app/src/index.ts' },
      { package: '@x/app', kind: 'undeclared', dependency: '@scope/lazy', file: 'packages/app/src/lazy.ts' },
      { package: '@x/app', kind: 'unused', dependency: 'left' },
    ])
  })

  it('lets tests and type-only imports use dev dependencies (the package own or the root ones)', () => {
    const dir = workspace(
      'good',
      { dependencies: { zod: '*' }, devDependencies: { pino: '*', fixtures: '*' } },
      {
        'src/index.ts':
          "import type { Logger } from 'pino'\nimport { z } from 'zod'\nexport type L = Logger\nexport const s = z\n",
        'src/index.test.ts':
          "import { it } from 'vitest'\nimport { pino } from 'pino'\nit('x', () => pino)\n",
        'src/test-support/data.ts': "export { rows } from 'fixtures'\n",
        'src/files.ts':
          "import { readFile } from 'node:fs/promises'\nimport { join } from 'path'\nexport const r = [readFile, join]\n",
      },
    )
    expect(checkDependencies(dir)).toEqual([])
    const undeclaredTestTool = workspace('test-tool', {}, { 'src/a.test.ts': "import 'fast-check'\n" })
    expect(checkDependencies(undeclaredTestTool).map((p) => p.dependency)).toEqual(['fast-check'])
  })

  it('tells type-only imports from value imports of the same package', () => {
    expect([...importsOf("import type { A } from 'a'\nimport { type B } from 'b'\n")]).toEqual([
      ['a', { typeOnly: true }],
      ['b', { typeOnly: true }],
    ])
    expect(importsOf("import type { A } from 'a'\nimport { b } from 'a'\n").get('a')).toEqual({
      typeOnly: false,
    })
  })
})
