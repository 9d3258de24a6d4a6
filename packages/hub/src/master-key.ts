import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '@ahub/core'

/** The environment variable holding the hub's master key (32 bytes, hex or Base64). */
export const MASTER_KEY_ENV = 'AHUB_HUB_MASTER_KEY'
/** The file in the hub data directory that holds a generated development key. */
export const MASTER_KEY_FILE = 'master-key'

/** Which master key: the hub's (data-source keys) or the server's (its signing keys). */
export interface MasterKeyKind {
  /** The environment variable that holds it. */
  variable: string
  /** The error code when it is malformed or does not open what it sealed. */
  code: 'HUB_MASTER_KEY_INVALID' | 'MASTER_KEY_INVALID'
}

const HUB_KEY: MasterKeyKind = { variable: MASTER_KEY_ENV, code: 'HUB_MASTER_KEY_INVALID' }

function invalidKey(where: string, kind: MasterKeyKind): AppError {
  return new AppError(
    kind.code,
    `The master key from ${where} is not 32 bytes in hex (64 digits) or Base64 (44 characters)`,
    { details: { source: where } },
  )
}

/** Decodes a 32-byte key given as 64 hex digits or Base64; throws HUB_MASTER_KEY_INVALID (or the kind's code). */
export function parseMasterKey(text: string, where: string, kind: MasterKeyKind = HUB_KEY): Buffer {
  const t = text.trim()
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex')
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const key = Buffer.from(t, 'base64')
    if (key.length === 32) return key
  }
  throw invalidKey(where, kind)
}

/**
 * The master key: from AHUB_HUB_MASTER_KEY when set; otherwise (development) from the data
 * directory's `master-key` file, generated with mode 0600 on first use. `log` says which, never the key.
 */
export function loadMasterKey(
  dataDir: string,
  env: Record<string, string | undefined> = process.env,
  log: (message: string) => void = () => undefined,
  kind: MasterKeyKind = HUB_KEY,
): Buffer {
  const variable = kind.variable
  const fromEnv = env[variable]
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseMasterKey(fromEnv, variable, kind)
  const file = join(dataDir, MASTER_KEY_FILE)
  if (existsSync(file)) return parseMasterKey(readFileSync(file, 'utf8'), file, kind)
  const key = randomBytes(32)
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
  chmodSync(file, 0o600)
  log(
    `${variable} is not set: generated a development master key into ${file} (mode 0600). ` +
      `In production set ${variable} to 32 random bytes (hex or Base64) and keep it out of the data directory.`,
  )
  return key
}

/** AES-256-GCM sealing of small secrets (key material) under the master key, bound to a context. */
export class SecretBox {
  constructor(
    private readonly key: Buffer,
    private readonly kind: MasterKeyKind = HUB_KEY,
  ) {}

  /** `v1.` + Base64 of nonce (12) | tag (16) | ciphertext; `context` (e.g. the data source id) is authenticated. */
  seal(plain: string, context: string): string {
    const nonce = randomBytes(12)
    const c = createCipheriv('aes-256-gcm', this.key, nonce)
    c.setAAD(Buffer.from(context, 'utf8'))
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()])
    return `v1.${Buffer.concat([nonce, c.getAuthTag(), ct]).toString('base64')}`
  }

  /** Opens a sealed value; HUB_MASTER_KEY_INVALID when the key or context does not match. */
  open(sealed: string, context: string): string {
    try {
      if (!sealed.startsWith('v1.')) throw new Error('unknown format')
      const raw = Buffer.from(sealed.slice(3), 'base64')
      const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12))
      d.setAAD(Buffer.from(context, 'utf8'))
      d.setAuthTag(raw.subarray(12, 28))
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8')
    } catch (cause) {
      throw new AppError(
        this.kind.code,
        `Stored key material does not decrypt with this master key (was ${this.kind.variable} changed?)`,
        { cause },
      )
    }
  }
}

/**
 * The hub's admin credential, derived from the master key: whoever holds the master key (the
 * operator, on the hub's machine) can manage hub tokens of a running hub over HTTP.
 */
export function adminToken(masterKey: Buffer): string {
  return `ahubadmin_${createHmac('sha256', masterKey).update('ahub-hub-admin-v1').digest('base64url')}`
}
