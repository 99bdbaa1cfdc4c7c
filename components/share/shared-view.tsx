// A saved view opened through a share link: the view's own page, read-only, without the
// navigation into the rest of the product.
import type { SavedView } from '@/db/postgres/schema'

export function ShareFrame({ view, children }: { view: SavedView; children: React.ReactNode }) {
  return (
    <div className="min-h-screen">
      <header className="flex h-12 items-center gap-4 border-b border-slate-200 bg-white px-4">
        <span className="flex items-center gap-2 font-semibold tracking-tight">
          <span className="inline-block h-3 w-3 rounded-full bg-amber-500" aria-hidden />
          Flightline
        </span>
        <span className="text-slate-700" data-testid="shared-view-name">
          {view.name}
        </span>
        <span className="ml-auto rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-600">shared view · read-only</span>
      </header>
      {children}
    </div>
  )
}

export async function SharedView({ view }: { token: string; view: SavedView }) {
  return (
    <ShareFrame view={view}>
      <main className="p-6 text-slate-600">This view ({view.path}) cannot be shown yet.</main>
    </ShareFrame>
  )
}
