// Slows password guessing: after a few failures for one email or one client address, further
// attempts are refused for a while (429 with Retry-After), doubling with each new failure.
// Kept in process memory: with several replicas each slows guessing on its own.

const WINDOW_MS = 15 * 60_000
const FREE_FAILURES = 5
const BASE_LOCK_MS = 30_000
const MAX_LOCK_MS = 15 * 60_000

interface Entry {
  failures: number
  firstFailure: number
  lockedUntil: number
}

export class LoginLimiter {
  private entries = new Map<string, Entry>()

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds to wait before another attempt for any of these keys, or 0. */
  retryAfterSeconds(keys: string[]): number {
    const now = this.now()
    let wait = 0
    for (const key of keys) {
      const entry = this.entries.get(key)
      if (entry && entry.lockedUntil > now) wait = Math.max(wait, entry.lockedUntil - now)
    }
    return Math.ceil(wait / 1000)
  }

  recordFailure(keys: string[]): void {
    const now = this.now()
    for (const key of keys) {
      let entry = this.entries.get(key)
      if (!entry || now - entry.firstFailure > WINDOW_MS) entry = { failures: 0, firstFailure: now, lockedUntil: 0 }
      entry.failures++
      if (entry.failures >= FREE_FAILURES) {
        entry.lockedUntil = now + Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** (entry.failures - FREE_FAILURES))
      }
      this.entries.set(key, entry)
    }
    if (this.entries.size > 50_000) this.prune(now)
  }

  recordSuccess(keys: string[]): void {
    for (const key of keys) this.entries.delete(key)
  }

  private prune(now: number): void {
    for (const [key, entry] of this.entries) if (now - entry.firstFailure > WINDOW_MS && entry.lockedUntil < now) this.entries.delete(key)
  }
}

const GLOBAL_KEY = Symbol.for('flightline.login-limiter')
export function loginLimiter(): LoginLimiter {
  const slot = globalThis as Record<symbol, LoginLimiter | undefined>
  return (slot[GLOBAL_KEY] ??= new LoginLimiter())
}
