/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** No scripts, no third-party resources, no framing: the pages are plain forms. */
export const PAGE_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}' +
  'label,input,button{display:block;width:100%;box-sizing:border-box;margin:.3rem 0}' +
  'input,button{padding:.5rem;font-size:1rem}.error{color:#b00020}code{font-size:1.5rem}'

/** A complete page around trusted body HTML. */
export function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`
}

/** The local provider's sign-in form; the CSRF token is bound to the interaction. */
export function loginPage(input: { action: string; csrf: string; email?: string; error?: string }): string {
  return page(
    'Sign in to Audience Hub',
    `${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : ''}
<form method="post" action="${escapeHtml(input.action)}" autocomplete="on">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
<label for="email">E-mail</label><input id="email" name="email" type="email" required autofocus value="${escapeHtml(input.email ?? '')}">
<label for="password">Password</label><input id="password" name="password" type="password" required autocomplete="current-password">
<button type="submit">Sign in</button>
</form>`,
  )
}
