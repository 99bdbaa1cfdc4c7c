// A cost as every page shows it: reported costs, plus the price table's estimate for model calls
// that reported none (lib/analytics/costs.ts). A small mark says when part of it is estimated,
// and when some calls could be priced neither way.
import { formatUsd } from '@/lib/format'

export function CostValue({ usd, estimatedCalls, unpricedCalls = 0, calls }: { usd: number; estimatedCalls: number; unpricedCalls?: number; calls?: number }) {
  const parts: string[] = []
  if (estimatedCalls > 0) parts.push(`${estimatedCalls}${calls ? ` of ${calls}` : ''} model call${estimatedCalls === 1 ? '' : 's'} reported no cost: estimated from the price table`)
  if (unpricedCalls > 0) parts.push(`${unpricedCalls} model call${unpricedCalls === 1 ? '' : 's'} reported no cost and have no price (counted as $0)`)
  return (
    <span title={parts.length > 0 ? parts.join('; ') : 'Reported by the spans'} data-testid="cost-value" data-estimated={estimatedCalls > 0 ? 'true' : undefined}>
      {formatUsd(usd)}
      {estimatedCalls > 0 && (
        <sup className="ml-0.5 text-[10px] font-semibold text-amber-700" aria-label="estimated">
          est
        </sup>
      )}
      {unpricedCalls > 0 && (
        <sup className="ml-0.5 text-[10px] font-semibold text-slate-500" aria-label="some calls unpriced">
          ?
        </sup>
      )}
    </span>
  )
}
