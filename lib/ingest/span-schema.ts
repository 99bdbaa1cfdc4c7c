// The native span shape (POST /api/v1/spans) and the read API's span shape use the same
// snake_case names, so a span read back can be sent again. This zod schema is the single
// definition: it validates requests and is exported as JSON Schema in docs/api/.
import { z } from 'zod'
import { SPAN_KINDS, type SpanKind } from '@/db/clickhouse/rows'
import { parseTimeToNanos, timeRangeProblem } from '@/lib/time/nanos'

export { SPAN_KINDS, type SpanKind }

export const SPAN_STATUSES = ['unset', 'ok', 'error'] as const
export type SpanStatus = (typeof SPAN_STATUSES)[number]

const id = (what: string) =>
  z
    .string({ message: `${what} must be a string` })
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, "must be 1-128 characters of letters, digits, '.', '_', ':' or '-'")

/** A time the span columns can hold (see timeRangeProblem). */
export const time = z
  .union([z.string(), z.number()], { message: 'must be an ISO-8601 string or unix nanoseconds' })
  .transform((value, ctx) => {
    const ns = parseTimeToNanos(value)
    if (ns === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be an ISO-8601 string or unix nanoseconds (got ${JSON.stringify(value)})` })
      return z.NEVER
    }
    const problem = timeRangeProblem(ns)
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem })
      return z.NEVER
    }
    return ns
  })

const text = (max = 1024) => z.string().max(max, `must be at most ${max} characters`)
const count = z.number().int('must be a whole number').nonnegative('must be >= 0').max(4_294_967_295, 'is too large')
const nullableCount = count.nullable()
const version = z.union([z.string().max(256), z.number()]).transform(String)

export const spanEventSchema = z.object({
  name: text(1024),
  time: time.optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
})

const spanFields = z.object({
  trace_id: id('trace_id'),
  span_id: id('span_id'),
  parent_span_id: id('parent_span_id').nullish().or(z.literal('')),
  name: z.string().min(1, 'must not be empty').max(1024),
  kind: z.enum(SPAN_KINDS, { message: `must be one of ${SPAN_KINDS.join(', ')}` }).optional(),
  start_time: time,
  end_time: time.optional(),
  status: z.enum(SPAN_STATUSES, { message: 'must be ok, error or unset' }).default('unset'),
  status_message: text(65_536).optional(),
  error_type: text(256).optional(),
  tenant_id: text(256).optional(),
  user_id: text(256).optional(),
  session_id: text(256).optional(),
  agent_name: text(256).optional(),
  model_requested: text(256).optional(),
  model_resolved: text(256).optional(),
  provider: text(256).optional(),
  input_tokens: count.optional(),
  output_tokens: count.optional(),
  reasoning_tokens: count.optional(),
  cache_read_tokens: count.optional(),
  cache_write_tokens: count.optional(),
  local_input_tokens: nullableCount.optional(),
  cost_usd: z.number().nonnegative('must be >= 0').nullable().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  prompt_name: text(256).optional(),
  prompt_version: version.optional(),
  system_prompt_hash: z.string().regex(/^[A-Za-z0-9:_-]{1,128}$/, 'must be a hash (hex or similar, <= 128 chars)').optional(),
  /** Write-only: the system prompt text. Hashed (sha256) and stored once as a prompt snapshot. */
  system_prompt: z.string().optional(),
  tool_name: text(256).optional(),
  tool_call_id: text(256).optional(),
  retry_attempt: z.number().int().nonnegative().max(65_535).optional(),
  retry_of: text(128).optional(),
  route_segment: text(256).optional(),
  fallback: z.boolean().optional(),
  refusal: z.boolean().optional(),
  schema_valid: z.boolean().nullable().optional(),
  finish_reason: text(256).optional(),
  ttft_ms: z.number().nonnegative().nullable().optional(),
  eval_run_id: text(256).optional(),
  tags: z.array(text(256)).max(100).optional(),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  events: z.array(spanEventSchema).max(1000).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  resource: z.record(z.string(), z.unknown()).optional(),
  // Read-only fields of the read API, accepted (and ignored) so a span read back can be re-sent.
  duration_ms: z.number().optional(),
  input_truncated: z.boolean().optional(),
  output_truncated: z.boolean().optional(),
  input_original_bytes: z.number().optional(),
  output_original_bytes: z.number().optional(),
  service_name: z.string().optional(),
  service_version: z.string().optional(),
  environment: z.string().optional(),
  ingested_at: z.string().optional(),
  redactions: z.record(z.string(), z.number()).optional(),
  sample_weight: z.number().optional(),
})

function checkSpan(span: { span_id: string; parent_span_id?: string | null; start_time?: bigint; end_time?: bigint }, ctx: z.RefinementCtx): void {
  if (span.end_time !== undefined && span.start_time !== undefined && span.end_time < span.start_time) {
    ctx.addIssue({ code: 'custom', path: ['end_time'], message: 'must not be before start_time' })
  }
  if (span.parent_span_id && span.parent_span_id === span.span_id) {
    ctx.addIssue({ code: 'custom', path: ['parent_span_id'], message: 'must differ from span_id' })
  }
}

export const spanInputSchema = spanFields.strict().superRefine(checkSpan)

/**
 * Part of a span that arrives apart from it (a Langfuse update, a GenAI log record): every field
 * optional but the ids, and no defaults, so a part never overwrites what it does not carry.
 */
export const spanPartSchema = spanFields
  .extend({ status: z.enum(SPAN_STATUSES, { message: 'must be ok, error or unset' }).optional() })
  .partial()
  .required({ trace_id: true, span_id: true })
  .strict()
  .superRefine(checkSpan)

export type SpanPartInput = z.output<typeof spanPartSchema>

export type SpanInput = z.output<typeof spanInputSchema>

export const spansRequestSchema = z.object({ spans: z.array(z.unknown()) }, { message: 'body must be a JSON object {"spans": [...]}' })

/** Turns zod issues into one readable line: `start_time: must be ...; kind: must be one of ...`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.join('.')
      if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
      return where ? `${where}: ${issue.message}` : issue.message
    })
    .join('; ')
}
