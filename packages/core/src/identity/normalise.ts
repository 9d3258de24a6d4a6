import { AppError, assertNever } from '../errors'
import { normaliseEcid } from './ecid'
import { normaliseEmail } from './email'
import {
  type AllowCustomNamespaces,
  BUILT_IN_NAMESPACES,
  isBuiltInNamespace,
  isCustomNamespaceName,
  isKnownNamespace,
} from './namespaces'
import { normalisePhone } from './phone'
import { normaliseCrmId, normaliseCustomId } from './plain-ids'
import type { IdentityResult } from './result'
import { normaliseSha256 } from './sha256'

/** Options shared by every normaliser. */
export interface NormaliseOptions {
  /** ISO 3166 alpha-2 country used for phone numbers written without `+` or `00`. */
  defaultCountry?: string
  /**
   * Which other namespaces are accepted as custom ones (trimmed, 1 to 1024 characters): `true` for any
   * valid name, a set for the registered names only. By default none: they are unknown.
   */
  allowCustom?: AllowCustomNamespaces
}

/** A normaliser bound to one namespace, for calling once per row. */
export type Normaliser = (raw: string) => IdentityResult

/**
 * Normalises and validates one raw value of `namespace`. Invalid values give `{ ok: false }`, never an
 * exception; only an unknown namespace throws (AppError IDENTITY_UNKNOWN_NAMESPACE).
 */
export function normaliseIdentity(
  namespace: string,
  raw: string,
  options?: NormaliseOptions,
): IdentityResult {
  if (!isBuiltInNamespace(namespace)) {
    if (!isKnownNamespace(namespace, options)) throw unknownNamespace(namespace, options?.allowCustom)
    return normaliseCustomId(raw)
  }
  switch (namespace) {
    case 'email':
      return normaliseEmail(raw)
    case 'phone':
      return normalisePhone(raw, options?.defaultCountry)
    case 'ecid':
      return normaliseEcid(raw)
    case 'crm':
      return normaliseCrmId(raw)
    case 'email_sha256':
    case 'phone_sha256':
      return normaliseSha256(raw)
    default:
      return assertNever(namespace)
  }
}

/**
 * Resolves the normaliser of `namespace` once, so that a column of millions of values skips the lookup.
 * Throws AppError IDENTITY_UNKNOWN_NAMESPACE like normaliseIdentity, but at once rather than on the first row.
 */
export function getNormaliser(namespace: string, options?: NormaliseOptions): Normaliser {
  if (!isBuiltInNamespace(namespace)) {
    if (!isKnownNamespace(namespace, options)) throw unknownNamespace(namespace, options?.allowCustom)
    return normaliseCustomId
  }
  switch (namespace) {
    case 'email':
      return normaliseEmail
    case 'phone': {
      const country = options?.defaultCountry
      return (raw) => normalisePhone(raw, country)
    }
    case 'ecid':
      return normaliseEcid
    case 'crm':
      return normaliseCrmId
    case 'email_sha256':
    case 'phone_sha256':
      return normaliseSha256
    default:
      return assertNever(namespace)
  }
}

const BUILT_IN_NAMES: readonly string[] = Object.freeze(BUILT_IN_NAMESPACES.map((n) => n.name))

function unknownNamespace(namespace: string, allowed: AllowCustomNamespaces | undefined): AppError {
  const builtIn = BUILT_IN_NAMES.join(', ')
  if (allowed === undefined || allowed === false) {
    return new AppError(
      'IDENTITY_UNKNOWN_NAMESPACE',
      `Unknown identity namespace "${namespace}"; the namespaces are ${builtIn}.`,
      { details: { namespace, builtIn: BUILT_IN_NAMES } },
    )
  }
  if (allowed === true || !isCustomNamespaceName(namespace)) {
    return new AppError(
      'IDENTITY_UNKNOWN_NAMESPACE',
      `Identity namespace "${namespace}" is neither built in (${builtIn}) nor a valid custom namespace name ` +
        '([a-z][a-z0-9_]*, at most 63 characters).',
      { details: { namespace, builtIn: BUILT_IN_NAMES } },
    )
  }
  const custom = [...allowed].sort()
  return new AppError(
    'IDENTITY_UNKNOWN_NAMESPACE',
    `Unknown identity namespace "${namespace}"; the namespaces are ${builtIn} and the registered custom ` +
      `ones: ${custom.length === 0 ? '(none)' : custom.join(', ')}.`,
    { details: { namespace, builtIn: BUILT_IN_NAMES, custom } },
  )
}
