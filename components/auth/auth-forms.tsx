'use client'

import { useActionState } from 'react'
import { loginAction, setupAction, type FormState } from '@/app/auth-actions'

const input = 'w-full rounded border border-slate-300 px-2 py-1.5'

function Field({ label, ...props }: { label: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="block space-y-1">
      <span className="text-xs font-medium text-slate-600">{label}</span>
      <input className={input} {...props} />
    </label>
  )
}

function Submit({ pending, children }: { pending: boolean; children: React.ReactNode }) {
  return (
    <button type="submit" disabled={pending} className="w-full rounded bg-slate-900 px-3 py-2 font-medium text-white disabled:opacity-50">
      {children}
    </button>
  )
}

export function LoginForm({ next }: { next?: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(loginAction, {})
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="next" value={next ?? '/'} />
      <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus defaultValue={state.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      {state.error && (
        <p role="alert" className="text-red-700">
          {state.error}
        </p>
      )}
      <Submit pending={pending}>{pending ? 'Signing in…' : 'Sign in'}</Submit>
    </form>
  )
}

export function SetupForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(setupAction, {})
  return (
    <form action={action} className="space-y-4">
      <Field label="Your name" name="name" autoComplete="name" defaultValue={state.name} />
      <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus defaultValue={state.email} />
      <Field label="Password (at least 10 characters)" name="password" type="password" autoComplete="new-password" minLength={10} required />
      <Field label="Password again" name="confirm" type="password" autoComplete="new-password" minLength={10} required />
      {state.error && (
        <p role="alert" className="text-red-700">
          {state.error}
        </p>
      )}
      <Submit pending={pending}>{pending ? 'Creating…' : 'Create administrator'}</Submit>
    </form>
  )
}
