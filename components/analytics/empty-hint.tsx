// What to send when a view has nothing to show: the attributes that feed it, in a sentence or two,
// and the ways to see the view at work without them.
export function EmptyHint({ children, testId }: { children: React.ReactNode; testId?: string }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600" data-testid={testId ?? 'empty-hint'}>
      {children}
      <p className="mt-1">Or load demo data from the Traces page, or pick a longer time range if your traffic is older.</p>
    </div>
  )
}
