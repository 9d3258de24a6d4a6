import { createCipheriv, createHmac } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AppError } from '../errors'
import type { Protection } from '../sharing'
import {
  aesCbcDecrypt,
  aesCbcEncrypt,
  canonicalProtection,
  parseKeyText,
  protectId,
  protectIds,
  protectionView,
  resolveProtection,
  unprotectId,
  unprotectIds,
} from './protection'

// NIST SP 800-38A, appendix F.2: CBC-AES with IV 000102...0f and four plaintext blocks.
const NIST_IV = '000102030405060708090a0b0c0d0e0f'
const NIST_PLAIN = [
  '6bc1bee22e409f96e93d7e117393172a',
  'ae2d8a571e03ac9c9eb76fac45af8e51',
  '30c81c46a35ce411e5fbc1191a0a52ef',
  'f69f2445df4f9b17ad2b417be66c3710',
].join('')
const NIST = [
  {
    bits: 128 as const,
    key: '2b7e151628aed2a6abf7158809cf4f3c',
    cipher:
      '7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e22229516',
  },
  {
    bits: 192 as const,
    key: '8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b',
    cipher:
      '4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a571b242012fb7ae07fa9baac3df102e0',
  },
  {
    bits: 256 as const,
    key: '603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4',
    cipher:
      'f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d39f23369a9d9bacfa530e26304231461',
  },
]

function keyError(fn: () => unknown): AppError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    expect((e as AppError).code).toBe('DATASOURCE_KEY_INVALID')
    return e as AppError
  }
  throw new Error('expected DATASOURCE_KEY_INVALID')
}

describe('published test vectors', () => {
  it('HMAC-SHA-256: RFC 4231 test cases 1 and 2', () => {
    const case1: Protection = { kind: 'hmac-sha256', key: '0b'.repeat(20) }
    expect(protectId('Hi There', case1)).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    )
    // Key "Jefe", given in Base64 this time.
    const case2: Protection = { kind: 'hmac-sha256', key: Buffer.from('Jefe').toString('base64') }
    expect(protectId('what do ya want for nothing?', case2)).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    )
    expect(protectIds(['what do ya want for nothing?', 'Hi There'], case2)[0]).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    )
  })

  it('SHA-256: the published e-mail example, lower hex', () => {
    expect(protectId('johndoe@example.com', { kind: 'sha256' })).toBe(
      '55e79200c1635b37ad31a378c39feb12f120f116625093a19bc32fff15041149',
    )
  })

  it.each(NIST)('CBC-AES$bits: NIST SP 800-38A F.2 blocks 1 to 3 (encrypt and decrypt)', (v) => {
    const p = resolveProtection({ kind: 'aes-cbc', bits: v.bits, key: v.key, iv: NIST_IV })
    const plain = Buffer.from(NIST_PLAIN, 'hex')
    const [ct] = aesCbcEncrypt([plain.subarray(0, 48), plain.subarray(0, 16)], p)
    // PKCS#7 adds a whole block after 48 bytes; the first three blocks are the published ones.
    expect(ct?.length).toBe(64)
    expect(ct?.subarray(0, 48).toString('hex')).toBe(v.cipher)
    const [back, bad] = aesCbcDecrypt([ct as Buffer, Buffer.from(v.cipher, 'hex')], p)
    expect(back?.toString('hex')).toBe(NIST_PLAIN.slice(0, 96))
    // The published ciphertext alone has no padding block: it does not decrypt as PKCS#7.
    expect(bad).toBeNull()
  })
})

describe('protectId / unprotectId', () => {
  const aes: Protection = { kind: 'aes-cbc', bits: 128, key: NIST[0]!.key, iv: NIST_IV }

  it('leaves IDs as they are with none, and cannot reverse hashes', () => {
    expect(protectId('a@b.c', { kind: 'none' })).toBe('a@b.c')
    expect(unprotectId('a@b.c', { kind: 'none' })).toEqual({ ok: true, value: 'a@b.c' })
    expect(unprotectId('ab', { kind: 'sha256' }).ok).toBe(false)
  })

  it('aes-cbc gives Base64 that Node decrypts, and round-trips', () => {
    const ct = protectId('jane.doe@example.com', aes)
    const reference = createCipheriv(
      'aes-128-cbc',
      Buffer.from(NIST[0]!.key, 'hex'),
      Buffer.from(NIST_IV, 'hex'),
    )
    expect(ct).toBe(
      Buffer.concat([reference.update('jane.doe@example.com'), reference.final()]).toString('base64'),
    )
    expect(unprotectId(ct, aes)).toEqual({ ok: true, value: 'jane.doe@example.com' })
  })

  it('a ciphertext that does not decrypt is an invalid result, never an exception', () => {
    const other: Protection = { ...aes, key: '00'.repeat(16) } as Protection
    const ct = protectId('+33612345678', aes)
    const results = unprotectIds([ct, 'not base64!', '', 'AAAA', protectId('x', other)], aes)
    expect(results[0]).toEqual({ ok: true, value: '+33612345678' })
    for (const r of results.slice(1)) expect(r.ok).toBe(false)
    expect(unprotectId(ct, other).ok).toBe(false)
  })

  it('batch forms equal the one-at-a-time forms (property)', () => {
    const protections: Protection[] = [
      { kind: 'sha256' },
      { kind: 'hmac-sha256', key: 'c2VjcmV0' },
      aes,
      { kind: 'aes-cbc', bits: 256, key: NIST[2]!.key, iv: NIST_IV },
    ]
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 70 }), { maxLength: 40 }), (values) => {
        for (const p of protections) {
          const batch = protectIds(values, p)
          expect(batch).toEqual(values.map((v) => protectId(v, p)))
          if (p.kind === 'hmac-sha256') {
            expect(batch[0]).toBe(
              values[0] === undefined
                ? undefined
                : createHmac('sha256', 'secret').update(values[0]).digest('hex'),
            )
          }
          if (p.kind === 'aes-cbc') {
            expect(unprotectIds(batch, p)).toEqual(values.map((value) => ({ ok: true, value })))
          }
        }
      }),
      { numRuns: 60 },
    )
  })

  it('protects 100 000 IDs in one batch quickly', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => `customer.${i}@example.com`)
    const t = performance.now()
    const out = protectIds(values, aes)
    const ms = performance.now() - t
    expect(out).toHaveLength(100_000)
    expect(unprotectId(out[99_999] as string, aes)).toEqual({ ok: true, value: values[99_999] })
    // One cipher per value takes ~1 s here; the vectorised form a small fraction of it.
    expect(ms).toBeLessThan(1500)
  })
})

describe('keys and IVs', () => {
  it('accept hex and Base64 (standard or URL, padding optional) and canonicalise to hex', () => {
    expect(parseKeyText('00FF10', 'key').toString('hex')).toBe('00ff10')
    expect(parseKeyText('/+8=', 'key').toString('hex')).toBe('ffef')
    expect(parseKeyText('_-8', 'key').toString('hex')).toBe('ffef')
    const b64 = Buffer.from(NIST[0]!.key, 'hex').toString('base64')
    expect(canonicalProtection({ kind: 'aes-cbc', bits: 128, key: b64, iv: NIST_IV })).toEqual({
      kind: 'aes-cbc',
      bits: 128,
      key: NIST[0]!.key,
      iv: NIST_IV,
    })
  })

  it('refuse an AES key of the wrong length, naming the sizes', () => {
    const e = keyError(() =>
      resolveProtection({ kind: 'aes-cbc', bits: 256, key: NIST[0]!.key, iv: NIST_IV }),
    )
    expect(e.message).toMatch(/16 bytes; AES-256 needs 32 bytes/)
    expect(e.details).toMatchObject({ field: 'key', bytes: 16 })
  })

  it('refuse an IV that is not 16 bytes', () => {
    const e = keyError(() => resolveProtection({ kind: 'aes-cbc', bits: 128, key: NIST[0]!.key, iv: '0011' }))
    expect(e.details).toMatchObject({ field: 'iv', bytes: 2 })
    expect(e.message).toMatch(/IV has 2 bytes/)
  })

  it('refuse text that is neither hex nor Base64, and HMAC keys over 1024 bytes', () => {
    expect(keyError(() => parseKeyText('not a key!', 'key')).details).toMatchObject({ field: 'key' })
    expect(keyError(() => parseKeyText('', 'iv')).details).toMatchObject({ field: 'iv' })
    keyError(() => parseKeyText('abc*', 'key'))
    keyError(() => resolveProtection({ kind: 'hmac-sha256', key: 'ab'.repeat(1025) }))
    expect(resolveProtection({ kind: 'hmac-sha256', key: 'ab'.repeat(1024) }).kind).toBe('hmac-sha256')
    keyError(() =>
      protectId('x', { kind: 'aes-cbc', bits: 128 as 128, key: NIST[0]!.key, iv: `${NIST_IV}00` }),
    )
  })

  it('views never show key material', () => {
    expect(protectionView({ kind: 'aes-cbc', bits: 192, key: NIST[1]!.key, iv: NIST_IV })).toEqual({
      kind: 'aes-cbc',
      bits: 192,
      hasKey: true,
    })
    expect(protectionView({ kind: 'sha256' })).toEqual({ kind: 'sha256', hasKey: false })
  })
})
