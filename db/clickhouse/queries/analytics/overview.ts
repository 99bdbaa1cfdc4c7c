// Queries of the overview: model-call volume, errors, p95 latency and cost inputs per time bucket;
// the same per component (model, prompt version, tool, retriever or guardrail); and when each
// model, prompt version and system-prompt hash was first seen.
import { dateToClickhouse } from '@/lib/time/nanos'
import { queryClickhouse } from '../../query'
import { COST_SUMS, IN_RANGE, MODEL, MODEL_CALLS, type CostSums } from './model-calls'
import { MODEL_CALL_OUTCOMES, MERGED_COST_SUMS, ROLLUP_SETTINGS, rollupParams, rollupSource } from './rollups'

export const COMPONENTS = ['model', 'prompt', 'tool', 'retriever', 'guardrail'] as const
export type Component = (typeof COMPONENTS)[number]

/** Which spans a component split looks at, and what names a component. Fixed SQL, never user input. */
const SPLITS: Record<Component, { where: string; component: string }> = {
  model: { where: MODEL_CALLS, component: MODEL },
  prompt: { where: MODEL_CALLS, component: `if(prompt_name != '' OR prompt_version != '', concat(prompt_name, if(prompt_version != '', concat(' v', prompt_version), '')), '(no prompt)')` },
  tool: { where: `${IN_RANGE} AND kind = 'tool'`, component: `if(tool_name != '', tool_name, name)` },
  retriever: { where: `${IN_RANGE} AND kind = 'retriever'`, component: 'name' },
  guardrail: { where: `${IN_RANGE} AND kind = 'guardrail'`, component: 'name' },
}

export interface OverviewRange {
  from: Date
  to: Date
  bucketSeconds: number
}

const params = ({ from, to, bucketSeconds }: OverviewRange) => ({ from: dateToClickhouse(from), to: dateToClickhouse(to), bucket: bucketSeconds })

export interface BucketRow extends CostSums {
  /** 'bucket' rows carry outcomes of the bucket (or component in it); 'model' rows cost inputs by model. */
  level: 'bucket' | 'model'
  t: number
  component: string
  model: string
  spans: string
  errors: string
  p95_ms: number
}

/** Components of model calls the outcomes rollup keys by (its column names). */
const ROLLUP_COMPONENTS: Partial<Record<Component | 'all-model-calls', string>> = {
  'all-model-calls': `''`,
  model: 'model',
  prompt: `if(prompt != '', prompt, '(no prompt)')`,
}

/** Per bucket and component: span count, errors, p95 duration; per bucket, component and model: cost inputs. */
export function componentBuckets(projectId: string, range: OverviewRange, split: Component | 'all-model-calls'): Promise<BucketRow[]> {
  const rollupComponent = ROLLUP_COMPONENTS[split]
  if (rollupComponent && range.bucketSeconds % MODEL_CALL_OUTCOMES.blockSeconds === 0) {
    return queryClickhouse<BucketRow>({
      tag: `analytics.overview.${split}`,
      projectId,
      query: `SELECT
          if(grouping(model) = 1, 'bucket', 'model') AS level,
          intDiv(toUnixTimestamp(block), {bucket:UInt32}) * {bucket:UInt32} AS t,
          ${rollupComponent} AS component, model,
          sum(requests) AS spans, sum(errors) AS errors,
          arrayElement(quantilesTDigestMerge(0.5, 0.95)(duration), 2) AS p95_ms,
          ${MERGED_COST_SUMS}
        FROM ${rollupSource(MODEL_CALL_OUTCOMES)}
        GROUP BY GROUPING SETS ((t, component), (t, component, model))`,
      params: { ...rollupParams(MODEL_CALL_OUTCOMES, range), bucket: range.bucketSeconds },
      settings: ROLLUP_SETTINGS,
    })
  }
  // Tools, retrievers and guardrails (and buckets finer than the rollup's blocks) come from spans.
  const spec = split === 'all-model-calls' ? { where: MODEL_CALLS, component: `''` } : SPLITS[split]
  return queryClickhouse<BucketRow>({
    tag: `analytics.overview.${split}-raw`,
    projectId,
    query: `SELECT
        if(grouping(model) = 1, 'bucket', 'model') AS level,
        intDiv(toUnixTimestamp(start_time), {bucket:UInt32}) * {bucket:UInt32} AS t,
        ${spec.component} AS component,
        ${MODEL} AS model,
        count() AS spans,
        countIf(status = 'error') AS errors,
        quantileTDigest(0.95)(duration_ms) AS p95_ms,
        ${COST_SUMS}
      FROM spans
      WHERE ${spec.where}
      GROUP BY GROUPING SETS ((t, component), (t, component, model))`,
    params: params(range),
  })
}

export interface FirstSeenRow {
  marker: 'model' | 'prompt_version' | 'system_prompt_hash' | 'data'
  value: string
  first_seen_ns: string
}

/**
 * When each model, prompt version and system-prompt hash was first used (within retention),
 * limited to those first used in the range; plus the project's first model call ('data'), so
 * values that merely predate the data can be told apart.
 */
export function firstSeen(projectId: string, range: OverviewRange, limit: number): Promise<FirstSeenRow[]> {
  return queryClickhouse<FirstSeenRow>({
    tag: 'analytics.overview.first-seen',
    projectId,
    query: `SELECT if(grouping(what, value) = 3, 'data', toString(what)) AS marker, value,
        toString(toUnixTimestamp64Nano(min(first_seen))) AS first_seen_ns, min(first_seen) AS first_use
      FROM model_call_first_seen
      WHERE project_id = {project_id:String}
      GROUP BY GROUPING SETS ((what, value), ())
      HAVING marker = 'data' OR (first_use >= {from:DateTime64(3, 'UTC')} AND first_use < {to:DateTime64(3, 'UTC')})
      ORDER BY first_use
      LIMIT {limit:UInt32}`,
    params: { ...params(range), limit },
  })
}
