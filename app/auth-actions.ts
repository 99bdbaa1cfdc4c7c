'use server'

import { cookies, headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { attemptLogin } from '@/lib/auth/login'
import { clientAddress } from '@/lib/http/client-address'
import { SESSION_COOKIE, createSession, deleteSession, sessionCookieOptions } from '@/lib/auth/sessions'
import { countUsers, createFirstAdmin, newUserSchema } from '@/lib/auth/users'
import { originFromHeaders } from '@/lib/http/request-origin'
import { storesReady } from '@/lib/runtime/stores'

export interface FormState {
  error?: string
  /** Echoed back so a failed attempt keeps what was typed (React resets the form). */
  email?: string
  name?: string
}

async function setSessionCookie(token: string, expires: Date) {
  const h = await headers()
  const url = `${originFromHeaders(h)}/`
  ;(await cookies()).set(SESSION_COOKIE, token, sessionCookieOptions(url, h.get('x-forwarded-proto'), expires))
}

function safeNext(value: FormDataEntryValue | null): string {
  const next = typeof value === 'string' ? value : ''
  // Only paths on this site: never an open redirect.
  return next.startsWith('/') && !next.startsWith('//') ? next : '/'
}

export async function loginAction(_: FormState, form: FormData): Promise<FormState> {
  await storesReady()
  const result = await attemptLogin(String(form.get('email') ?? ''), String(form.get('password') ?? ''), clientAddress(await headers()))
  if (!result.ok) {
    return {
      error: result.reason === 'rate_limited' ? `Too many failed sign-ins. Try again in ${result.retryAfterSeconds} s.` : 'Wrong email or password.',
      email: String(form.get('email') ?? ''),
    }
  }
  await setSessionCookie(result.token, result.expiresAt)
  redirect(safeNext(form.get('next')))
}

export async function setupAction(_: FormState, form: FormData): Promise<FormState> {
  await storesReady()
  if ((await countUsers()) > 0) redirect('/login')
  const parsed = newUserSchema.safeParse({
    email: form.get('email') ?? '',
    name: form.get('name') ?? '',
    password: form.get('password') ?? '',
    role: 'admin',
  })
  const typed = { email: String(form.get('email') ?? ''), name: String(form.get('name') ?? '') }
  if (!parsed.success) return { error: parsed.error.issues.map((issue) => issue.message).join('; '), ...typed }
  if (parsed.data.password !== form.get('confirm')) return { error: 'The two passwords differ.', ...typed }
  // Several setups may be submitted at once: one creates the administrator, the others sign in.
  const user = await createFirstAdmin(parsed.data)
  if (!user) redirect('/login')
  const session = await createSession(user.id)
  await setSessionCookie(session.token, session.expiresAt)
  redirect('/')
}

export async function logoutAction(): Promise<void> {
  const jar = await cookies()
  await storesReady()
  await deleteSession(jar.get(SESSION_COOKIE)?.value)
  jar.delete(SESSION_COOKIE)
  redirect('/login')
}
