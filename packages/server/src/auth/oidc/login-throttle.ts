/**
 * Guards the built-in provider's password form against guessing: after `perAccount` failed
 * attempts on one e-mail, or `perAddress` from one client address, within `windowMs`, further
 * attempts are refused before any password is checked, until the window has passed. A success
 * clears the account's count. Kept in memory, per process (docs/security.md).
 */
export interface LoginThrottleOptions {
  perAccount: number
  perAddress: number
  windowMs: number
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  perAccount: 5,
  perAddress: 30,
  windowMs: 15 * 60_000,
}

interface Window {
  failures: number
  until: number
}

export class LoginThrottle {
  private readonly windows = new Map<string, Window>()

  constructor(private readonly options: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE) {}

  /** Seconds to wait before another attempt, or 0 when one may be made now. */
  retryAfter(email: string, ip: string, now = Date.now()): number {
    const wait = (key: string, max: number) => {
      const w = this.windows.get(key)
      return w && w.until > now && w.failures >= max ? Math.ceil((w.until - now) / 1000) : 0
    }
    return Math.max(
      wait(accountKey(email), this.options.perAccount),
      wait(addressKey(ip), this.options.perAddress),
    )
  }

  failed(email: string, ip: string, now = Date.now()): void {
    for (const key of [accountKey(email), addressKey(ip)]) {
      const w = this.windows.get(key)
      if (!w || w.until <= now) this.windows.set(key, { failures: 1, until: now + this.options.windowMs })
      else w.failures++
    }
    if (this.windows.size > 100_000)
      for (const [k, w] of this.windows) if (w.until <= now) this.windows.delete(k)
  }

  succeeded(email: string): void {
    this.windows.delete(accountKey(email))
  }
}

const accountKey = (email: string) => `account ${email.trim().toLowerCase()}`
const addressKey = (ip: string) => `address ${ip}`
