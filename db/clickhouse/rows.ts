// The shapes of rows as the ClickHouse tables hold them (see migrations/clickhouse): what
// ingest writes, and what reads select (with times rendered for the API).

/** The values of spans.kind (an Enum8 in 0001_spans.sql). */
export const SPAN_KINDS = ['llm', 'tool', 'retriever', 'reranker', 'embedding', 'guardrail', 'agent', 'chain', 'eval', 'other'] as const
export type SpanKind = (typeof SPAN_KINDS)[number]

/** A row of `spans`, as inserted (times as DateTime64(9) literals). */
export interface SpanRow {
  project_id: string
  trace_id: string
  span_id: string
  parent_span_id: string
  name: string
  kind: SpanKind
  start_time: string
  end_time: string
  duration_ms: number
  status: 'unset' | 'ok' | 'error'
  status_message: string
  error_type: string
  tenant_id: string
  user_id: string
  session_id: string
  agent_name: string
  model_requested: string
  model_resolved: string
  provider: string
  input_tokens: number
  output_tokens: number
  reasoning_tokens: number
  cache_read_tokens: number
  cache_write_tokens: number
  local_input_tokens: number | null
  cost_usd: number | null
  temperature: number | null
  params: string
  prompt_name: string
  prompt_version: string
  system_prompt_hash: string
  tool_name: string
  tool_call_id: string
  retry_attempt: number
  retry_of: string
  route_segment: string
  fallback: boolean
  refusal: boolean
  schema_valid: boolean | null
  finish_reason: string
  ttft_ms: number | null
  eval_run_id: string
  tags: string[]
  input: string
  output: string
  input_original_bytes: number
  output_original_bytes: number
  events: string
  attributes: Record<string, string>
  resource: Record<string, string>
  service_name: string
  service_version: string
  environment: string
  /** Values redacted at ingest, by rule name (lib/recorder/redaction.ts); empty when none. */
  redactions?: Record<string, number>
}

/** A row of `prompt_snapshots`. */
export interface PromptSnapshotRow {
  project_id: string
  hash: string
  text: string
}

/** A row of `scores`, as inserted. */
export interface ScoreRow {
  project_id: string
  score_id: string
  trace_id: string
  span_id: string
  name: string
  value: number | null
  label: string
  source: string
  evaluator: string
  run_id: string
  comment: string
  timestamp: string
}
