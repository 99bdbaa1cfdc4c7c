// Title, one-line explanation and controls of an analytics page, and the error shown instead of
// the view when its URL parameters are invalid. Under the header, the project's incidents in the
// page's time range (nothing when there are none, or in a shared view).
import { IncidentStrip } from '@/components/charts/incident-bands'

export function PageHeader({ title, description, children }: { title: string; description: string; children?: React.ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-lg font-semibold">{title}</h1>
        <p className="max-w-3xl text-sm text-slate-600">{description}</p>
      </div>
      {children && <div className="flex flex-wrap items-center gap-4">{children}</div>}
      <IncidentStrip />
    </div>
  )
}

export function InvalidParams({ message }: { message: string }) {
  return (
    <div className="rounded border border-red-200 bg-red-50 p-4 text-sm text-red-800" data-testid="invalid-params">
      This view cannot be shown for this URL: {message}
    </div>
  )
}
