// The column list every span read uses, with times as nanosecond integers (strings in JSON)
// so the API can render them exactly.
export const SPAN_COLUMNS = `
  trace_id, span_id, parent_span_id, name, kind,
  toString(toUnixTimestamp64Nano(start_time)) AS start_ns,
  toString(toUnixTimestamp64Nano(end_time)) AS end_ns,
  duration_ms, status, status_message, error_type,
  tenant_id, user_id, session_id, agent_name,
  model_requested, model_resolved, provider,
  input_tokens, output_tokens, reasoning_tokens, cache_read_tokens, cache_write_tokens, local_input_tokens,
  cost_usd, params, prompt_name, prompt_version, system_prompt_hash,
  tool_name, tool_call_id, retry_attempt, retry_of, route_segment, fallback, refusal, schema_valid,
  finish_reason, ttft_ms, eval_run_id, tags,
  input, output, input_original_bytes, output_original_bytes, events, attributes, resource,
  service_name, service_version, environment,
  formatDateTime(ingested_at, '%Y-%m-%dT%H:%i:%S.%fZ') AS ingested_at`

export interface SpanRecord {
  trace_id: string
  span_id: string
  parent_span_id: string
  name: string
  kind: string
  start_ns: string
  end_ns: string
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
  ingested_at: string
}
