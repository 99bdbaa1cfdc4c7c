import Link from 'next/link'
import { TopBar } from '@/components/layout/top-bar'
import { CreateKeyForm, CreateProjectAdminForm, CreateUserForm } from '@/components/admin/admin-forms'
import { requireAdminUser } from '@/lib/auth/page-auth'
import { listMemberships, listUsers } from '@/lib/auth/users'
import { listApiKeys, listProjects } from '@/lib/projects/projects'
import { membershipAction, revokeKeyAction, setRoleAction } from './actions'

export const dynamic = 'force-dynamic'

export default async function AdminPage() {
  const admin = await requireAdminUser()
  const [users, projects] = await Promise.all([listUsers(), listProjects()])
  const memberships = new Map<string, Set<string>>()
  for (const { userId, projectId } of await listMemberships()) memberships.set(userId, (memberships.get(userId) ?? new Set()).add(projectId))
  const keys = new Map(await Promise.all(projects.map(async (project) => [project.id, await listApiKeys(project.id)] as const)))
  return (
    <>
      <TopBar user={admin} />
      <main className="mx-auto max-w-5xl space-y-10 p-8">
        <div className="flex items-baseline justify-between">
          <h1 className="text-xl font-semibold">Administration</h1>
          <span className="flex gap-4">
            <Link href="/admin/prices" className="text-sm text-blue-700 hover:underline" data-testid="prices-link">
              Model prices
            </Link>
            <Link href="/admin/energy" className="text-sm text-blue-700 hover:underline" data-testid="energy-link">
              Energy coefficients
            </Link>
          </span>
        </div>

        <section className="space-y-3">
          <h2 className="text-base font-semibold">Users</h2>
          <table className="w-full rounded border border-slate-200 bg-white">
            <thead className="bg-slate-100 text-left text-xs uppercase text-slate-500">
              <tr>
                <th className="px-3 py-2">Email</th>
                <th className="px-3 py-2">Role</th>
                <th className="px-3 py-2">Projects</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} className="border-t border-slate-100 align-top">
                  <td className="px-3 py-2">
                    {user.email}
                    {user.name && <span className="ml-2 text-slate-500">{user.name}</span>}
                  </td>
                  <td className="px-3 py-2">
                    <form action={setRoleAction} className="flex gap-1">
                      <input type="hidden" name="userId" value={user.id} />
                      <select name="role" defaultValue={user.role} disabled={user.id === admin.id} className="rounded border border-slate-300 px-1" aria-label={`Role of ${user.email}`}>
                        <option value="admin">admin</option>
                        <option value="member">member</option>
                        <option value="viewer">viewer</option>
                      </select>
                      {user.id !== admin.id && <button className="text-xs text-blue-700 underline">set</button>}
                    </form>
                  </td>
                  <td className="px-3 py-2">
                    {user.role === 'admin' ? (
                      <span className="text-slate-500">all projects</span>
                    ) : (
                      <div className="flex flex-wrap gap-2">
                        {projects.map((project) => {
                          const member = memberships.get(user.id)?.has(project.id)
                          return (
                            <form key={project.id} action={membershipAction}>
                              <input type="hidden" name="userId" value={user.id} />
                              <input type="hidden" name="projectId" value={project.id} />
                              <input type="hidden" name="op" value={member ? 'remove' : 'add'} />
                              <button
                                className={`rounded-full border px-2 text-xs ${member ? 'border-emerald-300 bg-emerald-50 text-emerald-800' : 'border-slate-200 text-slate-400'}`}
                                title={member ? 'Member: click to remove' : 'Not a member: click to add'}
                              >
                                {project.name}
                              </button>
                            </form>
                          )
                        })}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <CreateUserForm projects={projects.map((p) => ({ id: p.id, name: p.name }))} />
        </section>

        <section className="space-y-3">
          <h2 className="text-base font-semibold">Projects and API keys</h2>
          <CreateProjectAdminForm />
          {projects.map((project) => (
            <div key={project.id} className="space-y-2 rounded border border-slate-200 bg-white p-4">
              <h3 className="font-medium">
                {project.name} <span className="font-mono text-xs text-slate-500">{project.id}</span>
              </h3>
              <ul className="divide-y divide-slate-100 text-xs">
                {(keys.get(project.id) ?? []).map((key) => (
                  <li key={key.id} className="flex items-center gap-3 py-1.5">
                    <span className="font-mono">{key.prefix}…</span>
                    <span>{key.name}</span>
                    <span className="text-slate-500">{key.scopes.join(' + ')}</span>
                    <span className="text-slate-400">created {key.createdAt.toISOString().slice(0, 10)}</span>
                    {key.revokedAt ? (
                      <span className="ml-auto text-red-700">revoked</span>
                    ) : (
                      <form action={revokeKeyAction} className="ml-auto">
                        <input type="hidden" name="projectId" value={project.id} />
                        <input type="hidden" name="keyId" value={key.id} />
                        <button className="text-red-700 underline">revoke</button>
                      </form>
                    )}
                  </li>
                ))}
              </ul>
              <CreateKeyForm projectId={project.id} />
            </div>
          ))}
        </section>
      </main>
    </>
  )
}
