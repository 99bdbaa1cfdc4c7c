// Queries of the reranker view: reranker calls in a range (how many, per bucket and serving
// model), and for a deterministic sample of them (trace-sample.ts) the documents the reranker
// was given and returned, those of its sibling retriever (same parent span) and the trace's score.
// Read from raw spans: no rollup.
import { dateToClickhouse } from '@/lib/time/nanos'
import { queryClickhouse } from '../../query'
import { IN_RANGE } from './model-calls'
import { SCORE_LAG_MS } from './routing'
import { inSample, sampleParams, type TraceSample } from './trace-sample'

/**
 * Documents of a span as (ids, scores): OpenInference flattened attributes
 * `<prefix>N.document.id` / `.score` when present, else (unless `attributesOnly`) a JSON list in
 * the output of `{id, score}` or `{id, relevance_score}` objects. Scores are NaN when absent.
 */
function documentsOf(prefix: string, attributesOnly = false): string {
  const count = `length(arrayFilter(k -> startsWith(k, '${prefix}') AND endsWith(k, '.document.id'), mapKeys(attributes)))`
  const key = (i: string, field: string) => `attributes[concat('${prefix}', toString(${i}), '.document.${field}')]`
  const items = `JSONExtractArrayRaw(output)`
  const score = (e: string) => `coalesce(JSONExtract(${e}, 'score', 'Nullable(Float64)'), JSONExtract(${e}, 'relevance_score', 'Nullable(Float64)'), nan)`
  return `if(${count} > 0,
    (arrayMap(i -> ${key('i', 'id')}, range(${count})), arrayMap(i -> ifNull(toFloat64OrNull(${key('i', 'score')}), nan), range(${count}))),
    ${attributesOnly ? `(CAST([], 'Array(String)'), CAST([], 'Array(Float64)'))` : `(arrayMap(e -> JSONExtractString(e, 'id'), ${items}), arrayMap(e -> ${score('e')}, ${items}))`})`
}

/** The serving reranker: its model (OpenInference name, else resolved or requested model, else span name) and version. */
export const RERANKER_MODEL = `concat(multiIf(attributes['reranker.model_name'] != '', attributes['reranker.model_name'], model_resolved != '', toString(model_resolved),
    model_requested != '', toString(model_requested), toString(name)),
  multiIf(attributes['reranker.version'] != '', concat('@', attributes['reranker.version']), attributes['service.version'] != '', concat('@', attributes['service.version']), ''))`

export interface RerankRange {
  from: Date
  to: Date
  bucketSeconds: number
}

const params = ({ from, to, bucketSeconds }: RerankRange) => ({ from: dateToClickhouse(from), to: dateToClickhouse(to), bucket: bucketSeconds })

export async function countRerankCalls(projectId: string, range: RerankRange): Promise<number> {
  const [row] = await queryClickhouse<{ calls: string }>({
    tag: 'analytics.rerankers.count',
    projectId,
    query: `SELECT count() AS calls FROM spans PREWHERE ${IN_RANGE} AND kind = 'reranker'`,
    params: params(range),
  })
  return Number(row?.calls ?? 0)
}

export interface RerankCountRow {
  /** Bucket start, unix seconds. */
  t: number
  name: string
  model: string
  calls: string
}

/** Exact call counts per bucket, reranker and serving model (the sample's counts are estimates). */
export function rerankCounts(projectId: string, range: RerankRange): Promise<RerankCountRow[]> {
  return queryClickhouse<RerankCountRow>({
    tag: 'analytics.rerankers.counts',
    projectId,
    query: `SELECT intDiv(toUnixTimestamp(start_time), {bucket:UInt32}) * {bucket:UInt32} AS t, toString(name) AS name, ${RERANKER_MODEL} AS model, count() AS calls
      FROM spans PREWHERE ${IN_RANGE} AND kind = 'reranker'
      GROUP BY t, name, model`,
    params: params(range),
  })
}

export interface RerankSampleRow {
  /** Start of the reranker call, ms since the epoch. */
  t: number
  name: string
  model: string
  top_k: number
  reranked: [string[], number[]]
  /** The documents handed to the reranker (OpenInference `reranker.input_documents`), when it says. */
  given: [string[], number[]]
  /** The sibling retrievers' documents, each (start ms, ids, scores), earliest first. */
  retrievers: Array<[number, string[], number[]]>
  answer_score: number | null
}

/**
 * Reranker calls of the sampled traces, each with its sibling retrievers' documents and the mean
 * of its trace's scores (named `scoreName`, or all).
 */
export function sampledRerankCalls(projectId: string, range: RerankRange, sample: TraceSample, scoreName?: string): Promise<RerankSampleRow[]> {
  return queryClickhouse<RerankSampleRow>({
    tag: 'analytics.rerankers.sample',
    projectId,
    query: `SELECT r.3 AS t, r.4 AS name, r.5 AS model, r.6 AS top_k, r.7 AS reranked, r.8 AS given,
        arraySort(x -> x.1, arrayFilter(x -> x.1 <= r.3, retrievers)) AS retrievers,
        s.answer_score AS answer_score
      FROM (
        SELECT trace_id, parent_span_id,
          groupArrayIf((trace_id, parent_span_id, toUnixTimestamp64Milli(start_time), toString(name), model, top_k, docs, given), kind = 'reranker') AS rerankers,
          groupArrayIf((toUnixTimestamp64Milli(start_time), docs.1, docs.2), kind = 'retriever') AS retrievers
        FROM (
          SELECT trace_id, parent_span_id, start_time, name, kind,
            if(kind = 'reranker', ${RERANKER_MODEL}, '') AS model,
            toUInt32OrZero(attributes['reranker.top_k']) AS top_k,
            if(kind = 'reranker', ${documentsOf('reranker.output_documents.')}, ${documentsOf('retrieval.documents.')}) AS docs,
            if(kind = 'reranker', ${documentsOf('reranker.input_documents.', true)}, (CAST([], 'Array(String)'), CAST([], 'Array(Float64)'))) AS given
          FROM spans
          PREWHERE ${IN_RANGE} AND ${inSample(sample)} AND kind IN ('reranker', 'retriever')
        )
        GROUP BY trace_id, parent_span_id
        HAVING length(rerankers) > 0
      )
      ARRAY JOIN rerankers AS r
      LEFT JOIN (
        SELECT trace_id, avg(value) AS answer_score
        FROM scores
        WHERE project_id = {project_id:String} AND timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {scores_to:DateTime64(3, 'UTC')}
          AND value IS NOT NULL${scoreName ? ' AND name = {score_name:String}' : ''} AND ${inSample(sample)}
        GROUP BY trace_id
      ) AS s ON s.trace_id = r.1
      SETTINGS join_use_nulls = 1`,
    params: { ...params(range), ...sampleParams(sample), scores_to: dateToClickhouse(new Date(range.to.getTime() + SCORE_LAG_MS)), score_name: scoreName ?? '' },
  })
}
