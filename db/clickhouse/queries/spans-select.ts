// The column list every span read uses, with times as nanosecond integers (strings in JSON)
// so the API can render them exactly.
import type { SpanRow } from '../rows'

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
  service_name, service_version, environment, redactions, sample_weight,
  formatDateTime(ingested_at, '%Y-%m-%dT%H:%i:%S.%fZ') AS ingested_at`

/** A span as reads select it: the stored row, with times as nanosecond digit strings. */
export type SpanRecord = Omit<SpanRow, 'project_id' | 'start_time' | 'end_time' | 'temperature' | 'kind'> & {
  kind: string
  /** 1 / the probability sampling kept the span's trace (absent on spans merged from parts: 1). */
  sample_weight?: number
  start_ns: string
  end_ns: string
  ingested_at: string
}
