// The re-entrancy mark: a trace whose aggregated call graph has a cycle.
export interface CycleSummary {
  cycle_count: number
  reentries: number
  max_depth: number
  top_cycle: string[]
}

export function CycleBadge({ cycle }: { cycle: CycleSummary }) {
  const title = `${cycle.cycle_count} cycle${cycle.cycle_count === 1 ? '' : 's'} in the call graph: ${cycle.top_cycle.join(' → ')}${
    cycle.top_cycle.length > 1 ? ` → ${cycle.top_cycle[0]}` : ' → itself'
  }; re-entered ${cycle.reentries} time${cycle.reentries === 1 ? '' : 's'}, nested ${cycle.max_depth} deep`
  return (
    <span
      title={title}
      data-testid="cycle-badge"
      className="inline-flex shrink-0 items-center gap-1 rounded-full border border-rose-300 bg-rose-50 px-1.5 py-px text-[11px] font-medium text-rose-700"
    >
      <svg aria-hidden viewBox="0 0 16 16" className="h-3 w-3 fill-none stroke-current stroke-2">
        <path d="M13 8a5 5 0 1 1-1.5-3.6M13 2.5v2.5h-2.5" />
      </svg>
      {/* Below 1400 px the word gives its room to the list's columns; the title says it all. */}
      {cycle.reentries > 0 ? (
        <>
          <span className="hidden min-[1400px]:inline">re-entry </span>×{cycle.reentries}
        </>
      ) : (
        'cycle'
      )}
    </span>
  )
}
