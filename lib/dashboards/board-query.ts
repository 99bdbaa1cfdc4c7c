// The one time range and tenant filter of a board, applied to each widget's query: the board's
// range replaces the widget's own, its tenant replaces the widget's tenant filter. A widget whose
// bucket would cut the board's range into too many points is drawn with the smallest round
// bucket that fits. Pure: the builder's preview in the browser runs the same rule.
import { MAX_CHART_BUCKETS } from '@/db/clickhouse/queries/analytics/chart-fields'

export interface Board {
  from: Date
  to: Date
  /** Every widget shows only this tenant's spans, when set. */
  tenantId?: string
}

/** Round bucket widths in seconds, from a minute to a week. */
export const WIDGET_BUCKETS = [60, 300, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 604_800] as const

export function widgetQueryOnBoard(query: Record<string, unknown>, board: Board): Record<string, unknown> {
  const { range: _range, from: _from, to: _to, ...rest } = query
  const filters = { ...((rest.filters as Record<string, unknown> | undefined) ?? {}) }
  if (board.tenantId) filters.tenant_id = board.tenantId
  let bucket = rest.bucket
  if (typeof bucket === 'number') {
    const seconds = (board.to.getTime() - board.from.getTime()) / 1000
    const wanted = bucket
    if (seconds / wanted > MAX_CHART_BUCKETS) bucket = WIDGET_BUCKETS.find((choice) => choice >= wanted && seconds / choice <= MAX_CHART_BUCKETS) ?? 604_800
  }
  return { ...rest, filters, ...(bucket !== undefined ? { bucket } : {}), from: board.from.toISOString(), to: board.to.toISOString() }
}
