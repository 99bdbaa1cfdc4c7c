import Link from 'next/link'
import { ShareViewForm } from '@/components/views/share-view-form'
import { requireProjectAccess } from '@/lib/auth/page-auth'
import { listViews, viewHref } from '@/lib/views/saved-views'
import { listShareLinks } from '@/lib/views/share-links'
import { deleteViewAction, renameViewAction, revokeShareAction } from './actions'

export const dynamic = 'force-dynamic'

function linkStatus(link: { revokedAt: Date | null; expiresAt: Date | null }): { label: string; active: boolean } {
  if (link.revokedAt) return { label: `revoked ${link.revokedAt.toISOString().slice(0, 16).replace('T', ' ')}`, active: false }
  if (link.expiresAt && link.expiresAt <= new Date()) return { label: 'expired', active: false }
  return { label: link.expiresAt ? `active until ${link.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'active, no expiry', active: true }
}

export default async function SavedViewsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params
  const { canWrite } = await requireProjectAccess(projectId)
  const views = await listViews(projectId)
  const links = new Map(await Promise.all(views.map(async (view) => [view.id, await listShareLinks(view.id)] as const)))
  return (
    <main className="mx-auto w-full max-w-5xl space-y-4 p-6">
      <h1 className="text-lg font-semibold">Saved views</h1>
      {views.length === 0 ? (
        <div className="rounded border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600" data-testid="no-views">
          No saved views yet. Open any traces or analytics page, set its filters and time range, and press <strong>Save view</strong> in the header.
        </div>
      ) : (
        <ul className="space-y-3">
          {views.map((view) => (
            <li key={view.id} className="space-y-2 rounded border border-slate-200 bg-white p-4" data-testid="saved-view">
              <div className="flex items-baseline gap-3">
                <Link href={viewHref(view)} className="font-medium text-blue-700 hover:underline">
                  {view.name}
                </Link>
                <span className="truncate font-mono text-xs text-slate-500">{viewHref(view)}</span>
                <span className="ml-auto shrink-0 text-xs text-slate-400">saved {view.createdAt.toISOString().slice(0, 10)}</span>
              </div>
              {canWrite && (
                <div className="flex flex-wrap items-center gap-3">
                  <form action={renameViewAction} className="flex items-center gap-1 text-xs">
                    <input type="hidden" name="projectId" value={projectId} />
                    <input type="hidden" name="viewId" value={view.id} />
                    <input name="name" defaultValue={view.name} maxLength={200} className="rounded border border-slate-300 px-1 py-0.5" aria-label={`New name for ${view.name}`} />
                    <button className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50">Rename</button>
                  </form>
                  <form action={deleteViewAction}>
                    <input type="hidden" name="projectId" value={projectId} />
                    <input type="hidden" name="viewId" value={view.id} />
                    <button className="text-xs text-red-700 underline">Delete</button>
                  </form>
                  <ShareViewForm projectId={projectId} viewId={view.id} />
                </div>
              )}
              {(links.get(view.id) ?? []).length > 0 && (
                <ul className="divide-y divide-slate-100 border-t border-slate-100 text-xs" aria-label="Share links">
                  {(links.get(view.id) ?? []).map((link) => {
                    const status = linkStatus(link)
                    return (
                      <li key={link.id} className="flex items-center gap-3 py-1.5" data-testid="share-link">
                        <span className={status.active ? 'text-emerald-700' : 'text-slate-400'}>{status.label}</span>
                        <span className="text-slate-400">created {link.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</span>
                        {status.active && canWrite && (
                          <form action={revokeShareAction} className="ml-auto">
                            <input type="hidden" name="projectId" value={projectId} />
                            <input type="hidden" name="linkId" value={link.id} />
                            <button className="text-red-700 underline">Revoke</button>
                          </form>
                        )}
                      </li>
                    )
                  })}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </main>
  )
}
