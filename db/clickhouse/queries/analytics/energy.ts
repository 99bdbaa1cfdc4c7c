// Query of the energy view: token sums of model calls per task and serving model, and the number
// of traces per task. A task is the trace's `flightline.task` (the earliest root or model-call
// span, or its resource, that sets one), else the name of the trace's root span. Raw spans.
import { dateToClickhouse } from '@/lib/time/nanos'
import { queryClickhouse } from '../../query'
import { IN_RANGE, MODEL } from './model-calls'

const TASK_ATTRIBUTE = `if(attributes['flightline.task'] != '', attributes['flightline.task'], resource['flightline.task'])`

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
  return queryClickhouse<TaskModelRow>({
    tag: 'analytics.energy.tasks',
    projectId,
    query: `SELECT task, call.1 AS model, grouping(model) AS task_total, uniqExact(trace_id) AS traces, count() AS requests,
        sum(call.2) AS input_tokens, sum(call.3) AS cache_read_tokens, sum(call.4) AS output_tokens
      FROM (
        SELECT trace_id,
          argMinIf(task_attribute, start_time, task_attribute != '') AS explicit_task,
          if(explicit_task != '', explicit_task, argMinIf(toString(name), start_time, parent_span_id = '')) AS task,
          groupArrayIf((${MODEL}, input_tokens, cache_read_tokens, output_tokens), kind = 'llm') AS calls
        FROM (SELECT *, ${TASK_ATTRIBUTE} AS task_attribute FROM spans WHERE ${IN_RANGE} AND (kind = 'llm' OR parent_span_id = ''))
        GROUP BY trace_id
        HAVING length(calls) > 0
      )
      ARRAY JOIN calls AS call
      GROUP BY GROUPING SETS ((task, model), (task))`,
    params: { from: dateToClickhouse(range.from), to: dateToClickhouse(range.to) },
  })
}
