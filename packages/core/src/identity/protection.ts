import { createCipheriv, createDecipheriv, createHmac, hash } from 'node:crypto'
import { AppError } from '../errors'
import type { Protection, ProtectionView } from '../sharing'
import { type IdentityResult, invalid } from './result'

/**
 * Protection of IDs on the hub (docs/hub.md): none, SHA-256, HMAC-SHA-256 with a key, AES-CBC with
 * a key and IV (PKCS#7 padding). Protection happens in the installation, never on the hub; the
 * same value always protects to the same text, so a set of protected IDs can be compared without
 * unprotecting it. Node's crypto only.
 */

/** A protection with its key and IV checked and decoded, ready to use many times. */
export type ResolvedProtection =
  | { readonly kind: 'none' }
  | { readonly kind: 'sha256' }
  | { readonly kind: 'hmac-sha256'; readonly key: Buffer }
  | { readonly kind: 'aes-cbc'; readonly bits: 128 | 192 | 256; readonly key: Buffer; readonly iv: Buffer }

const HEX = /^(?:[0-9a-fA-F]{2})+$/
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/

/**
 * Decodes key material given as hex (tried first: an even number of hex digits) or Base64
 * (standard or URL alphabet, padding optional). Throws DATASOURCE_KEY_INVALID naming `what`.
 */
export function parseKeyText(text: string, what: 'key' | 'iv'): Buffer {
  const t = text.trim()
  if (HEX.test(t)) return Buffer.from(t, 'hex')
  if (BASE64.test(t) && t.length % 4 !== 1) {
    const bytes = Buffer.from(t, 'base64')
    // Node skips characters it cannot read; a round trip proves every character was used.
    const again = bytes.toString(t.includes('-') || t.includes('_') ? 'base64url' : 'base64')
    if (again.replace(/=+$/, '') === t.replace(/=+$/, '') && bytes.length > 0) return bytes
  }
  throw new AppError(
    'DATASOURCE_KEY_INVALID',
    `The ${what === 'iv' ? 'IV' : 'key'} is neither hex (an even number of 0-9a-f) nor Base64`,
    { details: { field: what, length: t.length } },
  )
}

function wrongSize(what: 'key' | 'iv', expected: string, actual: number): AppError {
  return new AppError(
    'DATASOURCE_KEY_INVALID',
    `The ${what === 'iv' ? 'IV' : 'key'} has ${actual} bytes; ${expected}`,
    { details: { field: what, expected, bytes: actual } },
  )
}

/** Checks and decodes the key and IV of a protection; throws DATASOURCE_KEY_INVALID naming what is wrong. */
export function resolveProtection(p: Protection | ResolvedProtection): ResolvedProtection {
  switch (p.kind) {
    case 'none':
    case 'sha256':
      return { kind: p.kind }
    case 'hmac-sha256': {
      if (Buffer.isBuffer(p.key)) return p as ResolvedProtection
      const key = parseKeyText(p.key, 'key')
      if (key.length < 1 || key.length > 1024)
        throw wrongSize('key', 'HMAC keys have 1 to 1024 bytes', key.length)
      return { kind: 'hmac-sha256', key }
    }
    case 'aes-cbc': {
      if (Buffer.isBuffer(p.key)) return p as ResolvedProtection
      if (p.bits !== 128 && p.bits !== 192 && p.bits !== 256) {
        throw new AppError(
          'DATASOURCE_KEY_INVALID',
          `AES key size ${String(p.bits)} is not 128, 192 or 256 bits`,
          {
            details: { field: 'bits', bits: p.bits },
          },
        )
      }
      const key = parseKeyText(p.key, 'key')
      if (key.length !== p.bits / 8) {
        throw wrongSize(
          'key',
          `AES-${p.bits} needs ${p.bits / 8} bytes (${p.bits / 4} hex digits)`,
          key.length,
        )
      }
      const iv = parseKeyText(p.iv as string, 'iv')
      if (iv.length !== 16) throw wrongSize('iv', 'an AES-CBC IV has 16 bytes (32 hex digits)', iv.length)
      return { kind: 'aes-cbc', bits: p.bits, key, iv }
    }
  }
}

/** The API's view of a protection: kind and size, never the key or IV. */
export function protectionView(p: Protection | ResolvedProtection): ProtectionView {
  if (p.kind === 'aes-cbc') return { kind: p.kind, bits: p.bits, hasKey: true }
  return { kind: p.kind, hasKey: p.kind === 'hmac-sha256' }
}

/**
 * The same protection with key and IV as lower-case hex (the canonical form the hub stores and
 * returns as key material). Checks them first.
 */
export function canonicalProtection(p: Protection): Protection {
  const r = resolveProtection(p)
  switch (r.kind) {
    case 'none':
    case 'sha256':
      return { kind: r.kind }
    case 'hmac-sha256':
      return { kind: r.kind, key: r.key.toString('hex') }
    case 'aes-cbc':
      return { kind: r.kind, bits: r.bits, key: r.key.toString('hex'), iv: r.iv.toString('hex') }
  }
}

/**
 * Protects one ID: `none` returns it as is, `sha256` and `hmac-sha256` give 64 lower-case hex
 * characters, `aes-cbc` the Base64 of the ciphertext (PKCS#7 padding). Hashes the UTF-8 bytes.
 */
export function protectId(value: string, protection: Protection | ResolvedProtection): string {
  const p = resolveProtection(protection)
  switch (p.kind) {
    case 'none':
      return value
    case 'sha256':
      return hash('sha256', value, 'hex')
    case 'hmac-sha256':
      return createHmac('sha256', p.key).update(value, 'utf8').digest('hex')
    case 'aes-cbc': {
      const c = createCipheriv(`aes-${p.bits}-cbc`, p.key, p.iv)
      return Buffer.concat([c.update(value, 'utf8'), c.final()]).toString('base64')
    }
  }
}

/**
 * Protects many IDs at once, in order. AES-CBC is vectorised: the n-th blocks of all values go
 * through one ECB call (CBC chains only within a value), which is some 20 times faster than a
 * cipher per value.
 */
export function protectIds(values: readonly string[], protection: Protection | ResolvedProtection): string[] {
  const p = resolveProtection(protection)
  switch (p.kind) {
    case 'none':
      return values.slice()
    case 'sha256': {
      const out = new Array<string>(values.length)
      for (let i = 0; i < values.length; i++) out[i] = hash('sha256', values[i] as string, 'hex')
      return out
    }
    case 'hmac-sha256': {
      const out = new Array<string>(values.length)
      for (let i = 0; i < values.length; i++) {
        out[i] = createHmac('sha256', p.key)
          .update(values[i] as string, 'utf8')
          .digest('hex')
      }
      return out
    }
    case 'aes-cbc':
      return encryptCbcBatch(values, p)
  }
}

const NOT_REVERSIBLE = invalid('IDs protected by a hash cannot be unprotected.')
const NOT_BASE64 = invalid('The ciphertext is not Base64 of whole 16-byte blocks.')
const BAD_PADDING = invalid('The ciphertext does not decrypt with this key and IV (bad padding).')
const NOT_UTF8 = invalid('The decrypted bytes are not UTF-8 text.')

const CIPHERTEXT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Recovers an ID: `none` returns it, `aes-cbc` decrypts it. A value that does not decrypt (not
 * Base64, wrong key, bad padding, not UTF-8) gives an invalid result, never an exception; hashed
 * IDs cannot be recovered and are always invalid.
 */
export function unprotectId(value: string, protection: Protection | ResolvedProtection): IdentityResult {
  return unprotectIds([value], protection)[0] as IdentityResult
}

/** `unprotectId` for many values; AES-CBC decryption runs as one ECB call over all blocks. */
export function unprotectIds(
  values: readonly string[],
  protection: Protection | ResolvedProtection,
): IdentityResult[] {
  const p = resolveProtection(protection)
  switch (p.kind) {
    case 'none':
      return values.map((value) => ({ ok: true as const, value }))
    case 'sha256':
    case 'hmac-sha256':
      return values.map(() => NOT_REVERSIBLE)
    case 'aes-cbc':
      return decryptCbcBatch(values, p)
  }
}

type Aes = Extract<ResolvedProtection, { kind: 'aes-cbc' }>

function asAes(p: ResolvedProtection): Aes {
  if (p.kind !== 'aes-cbc') throw new AppError('INTERNAL', `Not an AES-CBC protection: ${p.kind}`)
  return p
}

function ecb(p: Aes, decrypt: boolean) {
  const c = decrypt
    ? createDecipheriv(`aes-${p.bits}-ecb`, p.key, null)
    : createCipheriv(`aes-${p.bits}-ecb`, p.key, null)
  c.setAutoPadding(false)
  return c
}

function encryptCbcBatch(values: readonly string[], p: Aes): string[] {
  const cts = aesCbcEncrypt(
    values.map((v) => Buffer.from(v, 'utf8')),
    p,
  )
  return cts.map((c) => c.toString('base64'))
}

function decryptCbcBatch(values: readonly string[], p: Aes): IdentityResult[] {
  const cts = values.map((raw) => {
    const v = raw.trim()
    return v.length > 0 && CIPHERTEXT.test(v) ? Buffer.from(v, 'base64') : null
  })
  const plain = aesCbcDecrypt(cts, p)
  return plain.map((b) => {
    if (b === undefined) return NOT_BASE64
    if (b === null) return BAD_PADDING
    try {
      return { ok: true as const, value: utf8.decode(b) }
    } catch {
      return NOT_UTF8
    }
  })
}

/**
 * AES-CBC encryption with PKCS#7 padding of many byte strings with one key and IV, vectorised:
 * round r encrypts the r-th block of every value long enough in one ECB call, chained to that
 * value's previous ciphertext block (CBC chains only within a value).
 */
export function aesCbcEncrypt(plain: readonly Buffer[], protection: ResolvedProtection): Buffer[] {
  const p = asAes(protection)
  const n = plain.length
  // PKCS#7: always 1 to 16 bytes of padding, so a value of 16k bytes gets k + 1 blocks.
  const blocks = new Int32Array(n)
  const offsets = new Float64Array(n)
  let total = 0
  let maxBlocks = 0
  for (let i = 0; i < n; i++) {
    const b = (plain[i] as Buffer).length >> 4
    blocks[i] = b + 1
    offsets[i] = total
    total += (b + 1) * 16
    if (b + 1 > maxBlocks) maxBlocks = b + 1
  }
  const out = Buffer.allocUnsafe(total)
  for (let i = 0; i < n; i++) {
    const b = plain[i] as Buffer
    const off = offsets[i] as number
    b.copy(out, off)
    const pad = (blocks[i] as number) * 16 - b.length
    out.fill(pad, off + b.length, off + b.length + pad)
  }
  const cipher = ecb(p, false)
  let round: number[] = Array.from({ length: n }, (_, i) => i)
  for (let r = 0; r < maxBlocks && round.length > 0; r++) {
    const input = Buffer.allocUnsafe(round.length * 16)
    for (let j = 0; j < round.length; j++) {
      const at = (offsets[round[j] as number] as number) + r * 16
      const prev = r === 0 ? p.iv : out
      const prevAt = r === 0 ? 0 : at - 16
      for (let k = 0; k < 16; k++) input[j * 16 + k] = (out[at + k] as number) ^ (prev[prevAt + k] as number)
    }
    const enc = cipher.update(input)
    for (let j = 0; j < round.length; j++) {
      enc.copy(out, (offsets[round[j] as number] as number) + r * 16, j * 16, j * 16 + 16)
    }
    round = round.filter((i) => (blocks[i] as number) > r + 1)
  }
  cipher.final()
  const result = new Array<Buffer>(n)
  for (let i = 0; i < n; i++) {
    const off = offsets[i] as number
    result[i] = out.subarray(off, off + (blocks[i] as number) * 16)
  }
  return result
}

/**
 * AES-CBC decryption with PKCS#7 padding of many ciphertexts, as one ECB call over all blocks.
 * Gives the plaintext, `null` when the padding is wrong (wrong key or IV, altered ciphertext),
 * `undefined` when the input is null or not whole blocks. Never throws for bad ciphertext.
 */
export function aesCbcDecrypt(
  ciphertexts: readonly (Buffer | null)[],
  protection: ResolvedProtection,
): (Buffer | null | undefined)[] {
  const p = asAes(protection)
  const usable = (ct: Buffer | null): ct is Buffer => ct !== null && ct.length > 0 && ct.length % 16 === 0
  let total = 0
  for (const ct of ciphertexts) if (usable(ct)) total += ct.length
  const all = Buffer.allocUnsafe(total)
  let at = 0
  for (const ct of ciphertexts) {
    if (usable(ct)) {
      ct.copy(all, at)
      at += ct.length
    }
  }
  const decipher = ecb(p, true)
  const dec = total > 0 ? decipher.update(all) : Buffer.alloc(0)
  decipher.final()
  at = 0
  return ciphertexts.map((ct) => {
    if (!usable(ct)) return undefined
    // CBC: plaintext block = D(C_k) xor C_(k-1), with the IV before the first block.
    for (let k = 0; k < ct.length; k++) {
      dec[at + k] = (dec[at + k] as number) ^ (k < 16 ? (p.iv[k] as number) : (ct[k - 16] as number))
    }
    const start = at
    at += ct.length
    const pad = dec[at - 1] as number
    if (pad < 1 || pad > 16) return null
    for (let k = 1; k <= pad; k++) if (dec[at - k] !== pad) return null
    return dec.subarray(start, at - pad)
  })
}
