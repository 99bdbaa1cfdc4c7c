// Queries of the overview: model-call volume, errors, p95 latency and cost inputs per time bucket;
// the same per component (model, prompt version, tool, retriever or guardrail); and when each
// model, prompt version and system-prompt hash was first seen.
import { dateToClickhouse } from '@/lib/time/nanos'
import { queryClickhouse } from '../../query'
import { COST_SUMS, IN_RANGE, MODEL, MODEL_CALLS, WEIGHTED_ERRORS, WEIGHTED_REQUESTS } from './model-calls'
import { FIRST_SEEN_SOURCE } from '../derived-tables'
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

export interface BucketRow {
  t: number
  component: string
  spans: string
  errors: string
  p95_ms: number
  /** Cost inputs per model: (model, reported cost, unpriced input, output, cache-read, cache-write tokens). */
  costs: Array<[string, number | null, string, string, string, string]>
}

/** Components of model calls the outcomes rollup keys by (its column names). */
const ROLLUP_COMPONENTS: Partial<Record<Component | 'all-model-calls', string>> = {
  'all-model-calls': `''`,
  model: 'model',
  prompt: `if(prompt != '', prompt, '(no prompt)')`,
}

/** Per bucket and component, from per-model rows: counts, p95 from merged t-digests, and per-model cost inputs. */
function perComponent(perModel: string): string {
  return `SELECT t, component, sum(spans) AS spans, sum(errors) AS errors,
      arrayElement(quantilesTDigestMerge(0.5, 0.95)(duration), 2) AS p95_ms,
      groupArray((model, reported_cost_usd, unpriced_input_tokens, unpriced_output_tokens, unpriced_cache_read_tokens, unpriced_cache_write_tokens)) AS costs
    FROM (${perModel})
    GROUP BY t, component`
}

/** Per bucket and component: span count, errors, p95 duration and per-model cost inputs. */
export async function componentBuckets(projectId: string, range: OverviewRange, split: Component | 'all-model-calls'): Promise<BucketRow[]> {
  const rollupComponent = ROLLUP_COMPONENTS[split]
  if (rollupComponent && range.bucketSeconds % MODEL_CALL_OUTCOMES.blockSeconds === 0) {
    return queryClickhouse<BucketRow>({
      tag: `analytics.overview.${split}`,
      projectId,
      query: perComponent(`SELECT intDiv(toUnixTimestamp(block), {bucket:UInt32}) * {bucket:UInt32} AS t, ${rollupComponent} AS component, model,
          sum(requests) AS spans, sum(errors) AS errors, quantilesTDigestMergeState(0.5, 0.95)(duration) AS duration, ${MERGED_COST_SUMS}
        FROM ${rollupSource(MODEL_CALL_OUTCOMES)}
        GROUP BY t, component, model`),
      params: { ...(await rollupParams(projectId, MODEL_CALL_OUTCOMES, range)), bucket: range.bucketSeconds },
      settings: ROLLUP_SETTINGS,
    })
  }
  // Tools, retrievers and guardrails (and buckets finer than the rollup's blocks) come from spans.
  const spec = split === 'all-model-calls' ? { where: MODEL_CALLS, component: `''` } : SPLITS[split]
  return queryClickhouse<BucketRow>({
    tag: `analytics.overview.${split}-raw`,
    projectId,
    query: perComponent(`SELECT intDiv(toUnixTimestamp(start_time), {bucket:UInt32}) * {bucket:UInt32} AS t, ${spec.component} AS component, ${MODEL} AS model,
        ${WEIGHTED_REQUESTS} AS spans, ${WEIGHTED_ERRORS} AS errors, quantilesTDigestState(0.5, 0.95)(duration_ms) AS duration, ${COST_SUMS}
      FROM spans
      WHERE ${spec.where}
      GROUP BY t, component, model`),
    params: params(range),
    settings: ROLLUP_SETTINGS,
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
      FROM ${FIRST_SEEN_SOURCE}
      GROUP BY GROUPING SETS ((what, value), ())
      HAVING marker = 'data' OR (first_use >= {from:DateTime64(3, 'UTC')} AND first_use < {to:DateTime64(3, 'UTC')})
      ORDER BY first_use
      LIMIT {limit:UInt32}`,
    params: { ...params(range), limit },
  })
}
