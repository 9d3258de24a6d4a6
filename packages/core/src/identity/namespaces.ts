/** What a built-in identity namespace holds and how its values are normalised. */
export interface NamespaceInfo {
  readonly name: string
  readonly description: string
  /** True when values are SHA-256 digests rather than readable identifiers. */
  readonly hashed: boolean
}

/** The built-in identity namespaces, in display order. */
export const BUILT_IN_NAMESPACES = Object.freeze([
  Object.freeze({
    name: 'email',
    description: 'E-mail address; trimmed and lower-cased, must match EMAIL_PATTERN, at most 254 characters.',
    hashed: false,
  }),
  Object.freeze({
    name: 'phone',
    description: 'Phone number in E.164 (+33612345678); national numbers are read in a default country.',
    hashed: false,
  }),
  Object.freeze({
    name: 'ecid',
    description: 'Experience Cloud visitor ID: 38 digits, each 19-digit half at most 9223372036854775807.',
    hashed: false,
  }),
  Object.freeze({
    name: 'crm',
    description: 'CRM ID: trimmed, 1 to 256 characters, no control characters; case is kept.',
    hashed: false,
  }),
  Object.freeze({
    name: 'email_sha256',
    description: 'SHA-256 of a normalised e-mail address, as 64 lower-case hex characters (Base64 accepted).',
    hashed: true,
  }),
  Object.freeze({
    name: 'phone_sha256',
    description: 'SHA-256 of an E.164 phone number, as 64 lower-case hex characters (Base64 accepted).',
    hashed: true,
  }),
] as const)

/** Name of a built-in identity namespace. */
export type BuiltInNamespace = (typeof BUILT_IN_NAMESPACES)[number]['name']

const BUILT_IN_NAMES: ReadonlySet<string> = new Set(BUILT_IN_NAMESPACES.map((n) => n.name))

/** True when `name` is one of the built-in namespaces. */
export function isBuiltInNamespace(name: string): name is BuiltInNamespace {
  return BUILT_IN_NAMES.has(name)
}

/** Rule for the name of a custom namespace: an identifier of at most 63 characters. */
export const NAMESPACE_NAME_PATTERN = '^[a-z][a-z0-9_]{0,62}$'

const NAMESPACE_NAME_REGEX = new RegExp(NAMESPACE_NAME_PATTERN)

/** True when `name` may name a custom namespace: a valid identifier that is not a built-in namespace. */
export function isCustomNamespaceName(name: string): boolean {
  return NAMESPACE_NAME_REGEX.test(name) && !BUILT_IN_NAMES.has(name)
}

/** Which namespaces besides the built-in ones are accepted: `true` any valid name, a set only those names. */
export type AllowCustomNamespaces = boolean | ReadonlySet<string>

/** True when `name` is built in, or is a valid custom namespace name that `allowCustom` accepts. */
export function isKnownNamespace(name: string, options?: { allowCustom?: AllowCustomNamespaces }): boolean {
  if (BUILT_IN_NAMES.has(name)) return true
  const allowed = options?.allowCustom
  if (allowed === undefined || allowed === false || !NAMESPACE_NAME_REGEX.test(name)) return false
  return allowed === true || allowed.has(name)
}
