// Browser sessions: a random 256-bit token in an httpOnly cookie, stored only as its sha256,
// expiring after SESSION_DAYS. Logging out deletes the row, so a copied cookie stops working.
import { createHash, randomBytes } from 'node:crypto'
import { and, eq, gt, lt } from 'drizzle-orm'
import { postgres } from '@/db/postgres/client'
import { sessions, users, type User } from '@/db/postgres/schema'

export const SESSION_COOKIE = 'fl_session'
export const SESSION_DAYS = 7

const hash = (token: string) => createHash('sha256').update(token).digest('hex')

export async function createSession(userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000)
  await postgres().insert(sessions).values({ id: hash(token), userId, expiresAt })
  // Opportunistic clean-up of expired sessions keeps the table small without a scheduler.
  await postgres().delete(sessions).where(lt(sessions.expiresAt, new Date()))
  return { token, expiresAt }
}

export async function userForSession(token: string | undefined): Promise<User | undefined> {
  if (!token || token.length > 200) return undefined
  const [row] = await postgres()
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, hash(token)), gt(sessions.expiresAt, new Date())))
    .limit(1)
  if (!row || row.user.disabledAt) return undefined
  return row.user
}

export async function deleteSession(token: string | undefined): Promise<void> {
  if (!token) return
  await postgres().delete(sessions).where(eq(sessions.id, hash(token)))
}

/** Cookie attributes: Secure whenever the browser reached us over HTTPS or on localhost. */
export function sessionCookieOptions(requestUrl: string, forwardedProto: string | null, expires: Date) {
  // The URL is built from request headers; one that does not parse is simply not localhost.
  const url = URL.canParse(requestUrl) ? new URL(requestUrl) : undefined
  const secure = forwardedProto === 'https' || url?.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url?.hostname ?? '')
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: '/', expires }
}
