/**
 * Guards password checks (the built-in provider's form and `PUT /v1/me/password`) against guessing:
 * after `perAccount` attempts on one e-mail, or `perAddress` from one client address, within
 * `windowMs`, further attempts are refused before any password is checked, until the window has
 * passed. An attempt is counted when it is reserved, before the check (`reserve`), in one
 * synchronous step, so concurrent guesses cannot all pass the test before any is counted; a
 * success gives it back and clears the account's count. Kept in memory, per process
 * (docs/security.md).
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

  /**
   * Reserves an attempt: the seconds to wait when one may not be made now (nothing counted), or 0
   * after counting it against the account and the address. `succeeded` gives it back.
   */
  reserve(email: string, ip: string, now = Date.now()): number {
    const wait = this.retryAfter(email, ip, now)
    if (wait === 0) this.failed(email, ip, now)
    return wait
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

  /** A right password: the account starts afresh, and the address gets its reserved attempt back. */
  succeeded(email: string, ip?: string): void {
    this.windows.delete(accountKey(email))
    const w = ip === undefined ? undefined : this.windows.get(addressKey(ip))
    if (w && w.failures > 0) w.failures--
  }
}

const accountKey = (email: string) => `account ${email.trim().toLowerCase()}`
const addressKey = (ip: string) => `address ${ip}`
