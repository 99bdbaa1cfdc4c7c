// The traces list with its costs priced as everywhere else: the list query sorts, filters and
// shows the cost of a trace as reported, else from the price table (lib/analytics/costs.ts), so
// the list, the trace header and the analytics agree. This module binds the current price table
// for the serving models of the range.
import { listModelNames, listTraces, resolveListRange, traceHistogram, traceInList, type ListTracesQuery, type PriceParams } from '@/db/clickhouse/queries/traces'
import { currentPrices, priceParams } from '@/lib/analytics/costs'

async function pricesForRange(projectId: string, input: ListTracesQuery): Promise<PriceParams> {
  const { from, to } = resolveListRange(input)
  const [models, priceOf] = await Promise.all([listModelNames(projectId, from, to), currentPrices()])
  return priceParams(models, priceOf)
}

export async function listPricedTraces(projectId: string, input: ListTracesQuery) {
  return listTraces(projectId, input, await pricesForRange(projectId, input))
}

/** The list's page and its histogram over the whole range, with one price table. */
export async function listPricedTracesWithHistogram(projectId: string, input: ListTracesQuery) {
  const prices = await pricesForRange(projectId, input)
  const [page, histogram] = await Promise.all([listTraces(projectId, input, prices), traceHistogram(projectId, { ...input, cursor: undefined }, prices)])
  return { page, histogram }
}

/** Whether a trace is in the list these filters and this range select (for share links of a list). */
export async function listIncludesTrace(projectId: string, input: ListTracesQuery, traceId: string): Promise<boolean> {
  return traceInList(projectId, input, await pricesForRange(projectId, input), traceId)
}
