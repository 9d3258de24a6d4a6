import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError, type Issue } from '@ahub/core'
import { Clock } from './clock'
import { ChunkedFileWriter } from './csv'
import { DEMO_SCHEMA_FILE, DEMO_SCHEMA_YAML } from './demo-schema'
import type { Population } from './population'
import { buildPopulation } from './population'
import { writeProfiles } from './profiles'
import { writePurchases } from './purchases'
import { writeVisitorLinks } from './visitor-links'

export interface DemoProgress {
  /** File being written, e.g. `purchases.csv`. */
  file: string
  /** Data rows written to it so far. */
  rows: number
  /** Data rows it will hold. */
  totalRows: number
}

export interface GenerateDemoOptions {
  profiles: number
  purchases: number
  seed: number
  /** Output folder, created if missing; existing demo files in it are overwritten. */
  out: string
  /** Reference time: data lies before it. Defaults to the start of the current UTC day. */
  asOf?: Date
  onProgress?: (progress: DemoProgress) => void
}

export interface DemoFile {
  name: string
  path: string
  /** Data rows, without the header. */
  rows: number
  bytes: number
}

export interface DemoResult {
  files: DemoFile[]
  schemaPath: string
}

type FileWriter = (
  writer: ChunkedFileWriter,
  population: Population,
  clock: Clock,
  seed: number,
  progress: (rows: number) => void,
) => Promise<number>

/** Start of the current UTC day. */
export function startOfUtcDay(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
}

function checkOptions(options: GenerateDemoOptions): void {
  const issues: Issue[] = []
  const count = (key: 'profiles' | 'purchases') => {
    const value = options[key]
    if (!Number.isSafeInteger(value) || value < 0) {
      issues.push({ path: [key], code: 'INVALID_VALUE', message: `${key} must be a whole number >= 0` })
    }
  }
  count('profiles')
  count('purchases')
  if (options.profiles === 0 && options.purchases > 0) {
    issues.push({
      path: ['purchases'],
      code: 'INVALID_VALUE',
      message: 'purchases need at least one profile',
    })
  }
  if (options.profiles > 0xffffffff || options.purchases > 0xffffffff) {
    issues.push({ path: [], code: 'INVALID_VALUE', message: 'at most 4294967295 profiles and purchases' })
  }
  if (!Number.isSafeInteger(options.seed)) {
    issues.push({ path: ['seed'], code: 'INVALID_VALUE', message: 'seed must be a whole number' })
  }
  if (options.asOf !== undefined && Number.isNaN(options.asOf.getTime())) {
    issues.push({ path: ['asOf'], code: 'INVALID_VALUE', message: 'asOf must be a valid date' })
  }
  if (options.out === '')
    issues.push({ path: ['out'], code: 'INVALID_VALUE', message: 'out must be a folder' })
  if (issues.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `Invalid demo options: ${issues.map((i) => i.message).join('; ')}`,
      {
        details: { issues },
      },
    )
  }
}

/**
 * Writes a deterministic demo data set (schema.yaml, profiles.csv, purchases.csv, visitor_links.csv) into
 * `out`: the same profiles, purchases, seed and asOf always give byte-identical files.
 */
export async function generateDemo(options: GenerateDemoOptions): Promise<DemoResult> {
  checkOptions(options)
  const { profiles, purchases, seed, out, onProgress } = options
  const clock = new Clock(options.asOf ?? startOfUtcDay())
  await mkdir(out, { recursive: true })
  const schemaPath = join(out, DEMO_SCHEMA_FILE)
  await writeFile(schemaPath, DEMO_SCHEMA_YAML)

  const population = buildPopulation(profiles, purchases, seed, clock.asOf)
  const parts: [name: string, write: FileWriter, totalRows: number][] = [
    ['profiles.csv', writeProfiles, profiles],
    ['purchases.csv', writePurchases, purchases],
    ['visitor_links.csv', writeVisitorLinks, population.visitorLinkCount],
  ]
  const files: DemoFile[] = []
  for (const [name, write, totalRows] of parts) {
    const path = join(out, name)
    const writer = new ChunkedFileWriter(path)
    try {
      const rows = await write(writer, population, clock, seed, (done) =>
        onProgress?.({ file: name, rows: done, totalRows }),
      )
      await writer.close()
      files.push({ name, path, rows, bytes: writer.bytes })
    } catch (error) {
      writer.abort()
      throw error
    }
  }
  return { files, schemaPath }
}
