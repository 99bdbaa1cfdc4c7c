// One sign-in procedure for the login page and the login API: rate-limited by email and by
// client address (lib/http/client-address.ts says how that address is known), the same answer for an unknown email and a wrong password, and a fresh
// session on success.
import { loginLimiter } from './login-limiter'
import { verifyPassword } from './passwords'
import { createSession } from './sessions'
import { findUserByEmail } from './users'

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date; userId: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number }

// A fixed hash to verify against when the email is unknown, so timing does not tell which
// emails have accounts.
const DECOY_HASH = 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2FsdA$8bOCFaTfGGt9tNPW4qFWsGxwlLz_LCnlLnOQ5zEJEVQ'

export async function attemptLogin(email: string, password: string, clientAddress: string | undefined): Promise<LoginResult> {
  const normalized = email.trim().toLowerCase()
  // Without a known address (a server other than ours) only the per-email limit applies: one
  // shared "unknown" key would let anyone lock everyone out.
  const keys = clientAddress ? [`email:${normalized}`, `ip:${clientAddress}`] : [`email:${normalized}`]
  const limiter = loginLimiter()
  const wait = limiter.retryAfterSeconds(keys)
  if (wait > 0) return { ok: false, reason: 'rate_limited', retryAfterSeconds: wait }
  const user = await findUserByEmail(normalized)
  const valid = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH)
  if (!user || !valid || user.disabledAt) {
    limiter.recordFailure(keys)
    return { ok: false, reason: 'invalid' }
  }
  limiter.recordSuccess(keys)
  const session = await createSession(user.id)
  return { ok: true, token: session.token, expiresAt: session.expiresAt, userId: user.id }
}
