// A dashboard on screen: its widgets answered over the board's one time range and tenant filter
// (board-query.ts), a few at a time.
import type { DashboardWidget } from '@/db/postgres/schema'
import { describeQueryIssues, queryInputSchema, runQuery, type ChartAnswer } from '@/lib/analytics/query-engine'
import { widgetQueryOnBoard, type Board } from './board-query'

export type { Board }

export type WidgetResult = { answer: ChartAnswer; error?: undefined } | { answer?: undefined; error: string }

export async function answerWidget(projectId: string, query: Record<string, unknown>, board: Board): Promise<WidgetResult> {
  const parsed = queryInputSchema.safeParse(widgetQueryOnBoard(query, board))
  if (!parsed.success) return { error: describeQueryIssues(parsed.error) }
  try {
    return { answer: await runQuery(projectId, parsed.data) }
  } catch (error) {
    // One widget's failure (a timeout over a huge range) must not take the board down with it.
    console.error('[flightline] dashboard widget query failed:', error)
    return { error: 'its query failed; see the server log' }
  }
}

/** Every widget's answer, a few at a time (the engine is shared with everyone else's requests). */
export async function answerBoard(projectId: string, widgets: readonly DashboardWidget[], board: Board): Promise<WidgetResult[]> {
  const results: WidgetResult[] = new Array(widgets.length)
  let next = 0
  const worker = async () => {
    while (next < widgets.length) {
      const i = next++
      results[i] = await answerWidget(projectId, widgets[i].query, board)
    }
  }
  await Promise.all([worker(), worker(), worker()])
  return results
}
