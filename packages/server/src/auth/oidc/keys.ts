import type { SigningKeyRepository } from '@ahub/store'
import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose'

/** The built-in provider's keys: private ones for signing, public ones for verifying in-process. */
export interface LocalKeys {
  privateJwks: { keys: JWK[] }
  publicJwks: JSONWebKeySet
}

/** Loads the provider's signing keys, creating an ES256 key on first start. */
export async function loadOrCreateKeys(repo: SigningKeyRepository): Promise<LocalKeys> {
  let stored = await repo.list()
  if (stored.length === 0) {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true })
    const jwk = await exportJWK(privateKey)
    const kid = `k${Date.now().toString(36)}${crypto.randomUUID().slice(0, 8)}`
    await repo.add(kid, { ...jwk, kid, alg: 'ES256', use: 'sig' })
    stored = await repo.list()
  }
  const privateKeys = stored.map((k) => k.privateJwk as JWK)
  const publicKeys = privateKeys.map(({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub }) => pub)
  return { privateJwks: { keys: privateKeys }, publicJwks: { keys: publicKeys } }
}
