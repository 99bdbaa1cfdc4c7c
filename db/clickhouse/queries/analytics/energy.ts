// Query of the energy view: token sums of model calls per task and serving model, and the number
// of traces per task. A task is the `flightline.task` of the trace's root span (or of its
// resource), else the root span's name. Raw spans: the model calls joined to their trace's root.
import { dateToClickhouse } from '@/lib/time/nanos'
import { queryClickhouse } from '../../query'
import { IN_RANGE, MODEL, MODEL_CALLS } from './model-calls'

const TASK = `multiIf(attributes['flightline.task'] != '', attributes['flightline.task'], resource['flightline.task'] != '', resource['flightline.task'], toString(name))`

export interface TaskModelRow {
  task: string
  model: string
  /** 1 for the per-task total row (model is then ''), 0 for a (task, model) row. */
  task_total: number
  traces: string | number
  requests: string | number
  input_tokens: string | number
  cache_read_tokens: string | number
  output_tokens: string | number
}

export function energyByTaskModel(projectId: string, range: { from: Date; to: Date }): Promise<TaskModelRow[]> {
  // Grouped per (task, requested, resolved model) first, so the serving model is derived per
  // distinct pair; trace counts travel as uniqExact states to the per-task totals.
  return queryClickhouse<TaskModelRow>({
    tag: 'analytics.energy.tasks',
    projectId,
    query: `SELECT task, ${MODEL} AS model, grouping(model) AS task_total, uniqExactMerge(trace_ids) AS traces, sum(calls) AS requests,
        sum(input) AS input_tokens, sum(cache_read) AS cache_read_tokens, sum(output) AS output_tokens
      FROM (
        SELECT roots.task AS task, calls.model_requested AS model_requested, calls.model_resolved AS model_resolved,
          uniqExactState(calls.trace_id) AS trace_ids, count() AS calls,
          sum(calls.input_tokens) AS input, sum(calls.cache_read_tokens) AS cache_read, sum(calls.output_tokens) AS output
        FROM (SELECT trace_id, model_requested, model_resolved, input_tokens, cache_read_tokens, output_tokens FROM spans WHERE ${MODEL_CALLS}) AS calls
        LEFT JOIN (
          SELECT trace_id, argMin(${TASK}, start_time) AS task FROM spans WHERE ${IN_RANGE} AND parent_span_id = '' GROUP BY trace_id
        ) AS roots ON calls.trace_id = roots.trace_id
        GROUP BY task, model_requested, model_resolved
      )
      GROUP BY GROUPING SETS ((task, model), (task))`,
    params: { from: dateToClickhouse(range.from), to: dateToClickhouse(range.to) },
  })
}
