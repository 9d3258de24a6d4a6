/** A value accepted by a normaliser, in its canonical form. */
export interface IdentityValid {
  readonly ok: true
  readonly value: string
}

/** A value rejected by a normaliser; `reason` says why in words a user can act on. */
export interface IdentityInvalid {
  readonly ok: false
  readonly reason: string
  readonly code: 'IDENTITY_INVALID'
}

/** Outcome of normalising one raw value. Normalisers return this instead of throwing. */
export type IdentityResult = IdentityValid | IdentityInvalid

/** Builds a rejection. Normalisers build their fixed rejections once, at module load, and share them. */
export function invalid(reason: string): IdentityInvalid {
  return Object.freeze({ ok: false, reason, code: 'IDENTITY_INVALID' })
}
