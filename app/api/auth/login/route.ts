import { z } from 'zod'
import { answer } from '@/lib/auth/with-project'
import { attemptLogin } from '@/lib/auth/login'
import { clientAddress } from '@/lib/http/client-address'
import { SESSION_COOKIE, sessionCookieOptions } from '@/lib/auth/sessions'
import { badRequest, jsonResponse } from '@/lib/http/errors'
import { readJson } from '@/lib/http/read-body'

export const dynamic = 'force-dynamic'

const loginSchema = z.object({ email: z.string().max(320), password: z.string().max(1024) })

export function POST(request: Request) {
  return answer(async () => {
    const parsed = loginSchema.safeParse(await readJson(request, 16 * 1024))
    if (!parsed.success) throw badRequest('body must be {"email": "...", "password": "..."}')
    const result = await attemptLogin(parsed.data.email, parsed.data.password, clientAddress(request.headers))
    if (!result.ok && result.reason === 'rate_limited') {
      return jsonResponse({ error: `too many failed sign-ins; try again in ${result.retryAfterSeconds} s`, code: 'rate_limited' }, 429, {
        'Retry-After': String(result.retryAfterSeconds),
      })
    }
    if (!result.ok) return jsonResponse({ error: 'wrong email or password', code: 'unauthorized' }, 401)
    const options = sessionCookieOptions(request.url, request.headers.get('x-forwarded-proto'), result.expiresAt)
    const cookie = [
      `${SESSION_COOKIE}=${result.token}`,
      `Path=${options.path}`,
      `Expires=${options.expires.toUTCString()}`,
      'HttpOnly',
      'SameSite=Lax',
      ...(options.secure ? ['Secure'] : []),
    ].join('; ')
    return jsonResponse({ ok: true }, 200, { 'Set-Cookie': cookie })
  })
}
