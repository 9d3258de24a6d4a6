export { ECID_LENGTH, ECID_MAX_HALF, isValidEcid, normaliseEcid } from './ecid'
export { canonicaliseGmail, EMAIL_MAX_LENGTH, EMAIL_PATTERN, normaliseEmail } from './email'
export {
  getHashingProfile,
  HASHING_PROFILES,
  type HashEncoding,
  type HashingProfile,
  type HashingProfileName,
  type PrepareOptions,
  prepareForDestination,
} from './hashing-profiles'
export {
  type AllowCustomNamespaces,
  BUILT_IN_NAMESPACES,
  type BuiltInNamespace,
  isBuiltInNamespace,
  isCustomNamespaceName,
  isKnownNamespace,
  NAMESPACE_NAME_PATTERN,
  type NamespaceInfo,
} from './namespaces'
export { getNormaliser, type NormaliseOptions, type Normaliser, normaliseIdentity } from './normalise'
export { normalisePhone, PHONE_MAX_LENGTH, toCountryCode } from './phone'
export { type PhoneMetadata, type PhonePlan, phoneMetadata } from './phone-metadata'
export { CRM_ID_MAX_LENGTH, CUSTOM_ID_MAX_LENGTH, normaliseCrmId, normaliseCustomId } from './plain-ids'
export {
  aesCbcDecrypt,
  aesCbcEncrypt,
  canonicalProtection,
  parseKeyText,
  protectId,
  protectIds,
  protectionView,
  type ResolvedProtection,
  resolveProtection,
  unprotectId,
  unprotectIds,
} from './protection'
export type { IdentityInvalid, IdentityResult, IdentityValid } from './result'
export { hexToBase64, normaliseSha256, sha256Base64, sha256Hex } from './sha256'
export { TRIM_CHARACTERS } from './text'
