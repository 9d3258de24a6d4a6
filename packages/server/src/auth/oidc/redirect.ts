/**
 * Where to send the browser after sign-in: a path of this server only. The value is parsed as a
 * URL against the server's origin (as a browser would: tabs and newlines dropped, `\` read as `/`)
 * and kept only if it stays on that origin; anything else, and any control character, gives `/`.
 * The answer is re-serialised from the parsed URL, so it is always safe in a Location header.
 */
export function safeRedirect(redirect: string | undefined, origin: string): string {
  if (!redirect?.startsWith('/')) return '/'
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(redirect)) return '/'
  let url: URL
  try {
    url = new URL(redirect, origin)
  } catch {
    return '/'
  }
  if (url.origin !== new URL(origin).origin) return '/'
  // A path normalised to `//host` would read as another origin in a Location header.
  if (url.pathname.startsWith('//')) return '/'
  return `${url.pathname}${url.search}${url.hash}`
}
