import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { AppError } from '@ahub/core'

/** What `ahub login` remembers: the server and the credential for it. */
export interface CliConfig {
  server: string
  token: string
  /** How the token was obtained: pasted (`--token`) or through the device flow. */
  via: 'token' | 'device'
  /** When a signed-in (device flow) token stops working. */
  expiresAt?: string
}

/** `$AHUB_CONFIG`, else `$XDG_CONFIG_HOME/ahub/config.json`, else `~/.config/ahub/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AHUB_CONFIG) return env.AHUB_CONFIG
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'ahub', 'config.json')
}

/** The stored config, or undefined when there is none. */
export function readConfig(path = configPath()): CliConfig | undefined {
  if (!existsSync(path)) return undefined
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as Partial<CliConfig>
    if (typeof c.server !== 'string' || typeof c.token !== 'string')
      throw new Error('server or token missing')
    return c as CliConfig
  } catch (cause) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${path} is not a valid ahub config; run ahub logout, then ahub login`,
      {
        cause,
      },
    )
  }
}

/** Writes the config readable by its owner only (0600, in a 0700 folder): it holds a credential. */
export function writeConfig(config: CliConfig, path = configPath()): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 })
  chmodSync(path, 0o600)
}

/** Forgets the stored credential; true when there was one. */
export function removeConfig(path = configPath()): boolean {
  if (!existsSync(path)) return false
  rmSync(path)
  return true
}
