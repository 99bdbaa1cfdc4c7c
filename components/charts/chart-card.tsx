// The frame of every chart: a title that says what is plotted and in which units, and an empty
// state in place of the chart when there is nothing to plot.
export function ChartCard({
  title,
  subtitle,
  empty,
  emptyText = 'No data in this time range.',
  height = 260,
  children,
  testId,
  actions,
}: {
  title: string
  subtitle?: React.ReactNode
  empty?: boolean
  emptyText?: string
  height?: number
  children: React.ReactNode
  testId?: string
  actions?: React.ReactNode
}) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={testId}>
      <div className="mb-2 flex items-start justify-between gap-4">
        <div>
          <h2 className="text-sm font-semibold text-slate-900">{title}</h2>
          {subtitle && <p className="text-xs text-slate-500">{subtitle}</p>}
        </div>
        {actions}
      </div>
      {empty ? (
        <div className="flex items-center justify-center rounded border border-dashed border-slate-300 text-sm text-slate-500" style={{ height }} data-testid="chart-empty">
          {emptyText}
        </div>
      ) : (
        <div style={{ height }}>{children}</div>
      )}
    </section>
  )
}
