import type { MasterKeyKind, SecretBox } from '@ahub/hub'
import type { SigningKeyRepository } from '@ahub/store'
import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose'

/**
 * The server's own master key (ADR 0017): it seals the built-in provider's private signing keys
 * in the database. `AHUB_MASTER_KEY` (32 bytes, hex or Base64), or in development a `master-key`
 * file (0600) in the data directory, generated on first start.
 */
export const SERVER_MASTER_KEY: MasterKeyKind = { variable: 'AHUB_MASTER_KEY', code: 'MASTER_KEY_INVALID' }

/** The built-in provider's keys: private ones for signing, public ones for verifying in-process. */
export interface LocalKeys {
  privateJwks: { keys: JWK[] }
  publicJwks: JSONWebKeySet
  /** Keys found stored in clear (before sealing existed) and sealed now. */
  sealedNow: number
}

const context = (kid: string) => `signing-key:${kid}`

/**
 * Loads the provider's signing keys, creating an ES256 key on first start. Private keys are
 * stored sealed under the master key (AES-256-GCM, the key id authenticated); a key found in clear
 * is sealed in place.
 */
export async function loadOrCreateKeys(repo: SigningKeyRepository, box: SecretBox): Promise<LocalKeys> {
  let stored = await repo.list()
  if (stored.length === 0) {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true })
    const jwk = await exportJWK(privateKey)
    const kid = `k${Date.now().toString(36)}${crypto.randomUUID().slice(0, 8)}`
    await repo.add(kid, {
      sealed: box.seal(JSON.stringify({ ...jwk, kid, alg: 'ES256', use: 'sig' }), context(kid)),
    })
    stored = await repo.list()
  }
  let sealedNow = 0
  const privateKeys: JWK[] = []
  for (const k of stored) {
    const value = k.privateJwk as { sealed?: unknown } & JWK
    if (typeof value.sealed === 'string') {
      privateKeys.push(JSON.parse(box.open(value.sealed, context(k.kid))) as JWK)
      continue
    }
    await repo.replace(k.kid, { sealed: box.seal(JSON.stringify(value), context(k.kid)) })
    sealedNow++
    privateKeys.push(value)
  }
  const publicKeys = privateKeys.map(({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub }) => pub)
  return { privateJwks: { keys: privateKeys }, publicJwks: { keys: publicKeys }, sealedNow }
}
