'use client'

import { useActionState } from 'react'
import { createKeyAction, createProjectAdminAction, createUserAction, type AdminState } from '@/app/admin/actions'

const input = 'rounded border border-slate-300 px-2 py-1'
const button = 'rounded bg-slate-900 px-3 py-1 font-medium text-white disabled:opacity-50'

function Outcome({ state }: { state: AdminState }) {
  return (
    <>
      {state.error && (
        <p role="alert" className="text-red-700">
          {state.error}
        </p>
      )}
      {state.message && <p className="text-emerald-800">{state.message}</p>}
      {state.secret && (
        <code data-testid="secret" className="block select-all break-all rounded border border-amber-300 bg-amber-50 p-2 font-mono text-xs">
          {state.secret}
        </code>
      )}
    </>
  )
}

export function CreateUserForm({ projects }: { projects: { id: string; name: string }[] }) {
  const [state, action, pending] = useActionState<AdminState, FormData>(createUserAction, {})
  return (
    <form action={action} className="space-y-2">
      <div className="flex flex-wrap items-end gap-2">
        <input className={input} name="email" type="email" placeholder="email" required aria-label="Email" />
        <input className={input} name="name" placeholder="name" aria-label="Name" />
        <input className={input} name="password" type="password" placeholder="initial password (10+)" minLength={10} required aria-label="Password" />
        <select className={input} name="role" defaultValue="member" aria-label="Role">
          <option value="member">member (read and write)</option>
          <option value="viewer">viewer (read only)</option>
          <option value="admin">admin (everything)</option>
        </select>
        <button className={button} disabled={pending}>
          Add user
        </button>
      </div>
      {projects.length > 0 && (
        <fieldset className="flex flex-wrap gap-3 text-xs text-slate-600">
          <legend className="mb-1">Member of:</legend>
          {projects.map((project) => (
            <label key={project.id} className="flex items-center gap-1">
              <input type="checkbox" name="projects" value={project.id} /> {project.name}
            </label>
          ))}
        </fieldset>
      )}
      <Outcome state={state} />
    </form>
  )
}

export function CreateProjectAdminForm() {
  const [state, action, pending] = useActionState<AdminState, FormData>(createProjectAdminAction, {})
  return (
    <form action={action} className="space-y-2">
      <div className="flex items-end gap-2">
        <input className={input} name="name" placeholder="project name" required aria-label="Project name" />
        <button className={button} disabled={pending}>
          Create project
        </button>
      </div>
      <Outcome state={state} />
    </form>
  )
}

export function CreateKeyForm({ projectId }: { projectId: string }) {
  const [state, action, pending] = useActionState<AdminState, FormData>(createKeyAction, {})
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="projectId" value={projectId} />
      <div className="flex flex-wrap items-center gap-2">
        <input className={input} name="name" placeholder="key name" aria-label="Key name" />
        <label className="flex items-center gap-1 text-xs">
          <input type="checkbox" name="scopes" value="ingest" defaultChecked /> ingest
        </label>
        <label className="flex items-center gap-1 text-xs">
          <input type="checkbox" name="scopes" value="read" defaultChecked /> read
        </label>
        <button className={button} disabled={pending}>
          New key
        </button>
      </div>
      <Outcome state={state} />
    </form>
  )
}
