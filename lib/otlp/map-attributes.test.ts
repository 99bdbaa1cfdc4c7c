import { describe, expect, it } from 'vitest'
import { spanInputSchema } from '@/lib/ingest/span-schema'
import { mapAttributes } from './map-attributes'
import type { OtlpSpan } from './otlp-span'
import { toNativeSpan } from './to-native-span'

describe('mapAttributes: one fact, many conventions', () => {
  it('maps current OTel GenAI names', () => {
    const m = mapAttributes(
      {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.response.model': 'gpt-4o-2024-08-06',
        'gen_ai.provider.name': 'openai',
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.usage.output_tokens': 300,
        'gen_ai.usage.cache_read.input_tokens': 1000,
        'gen_ai.request.temperature': 0.2,
        'gen_ai.request.max_tokens': 512,
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.conversation.id': 'conv-1',
        'gen_ai.agent.name': 'support',
        'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]',
        'gen_ai.output.messages': [{ role: 'assistant', parts: [{ type: 'text', content: 'hello' }] }],
        'gen_ai.system_instructions': '[{"type":"text","content":"Be brief."}]',
        'gen_ai.response.time_to_first_chunk': 0.25,
        'app.custom': 'kept',
      },
      {},
    )
    expect(m).toMatchObject({
      kind: 'llm',
      model_requested: 'gpt-4o',
      model_resolved: 'gpt-4o-2024-08-06',
      provider: 'openai',
      input_tokens: 1200,
      output_tokens: 300,
      cache_read_tokens: 1000,
      params: { temperature: 0.2, max_tokens: 512 },
      finish_reason: 'stop',
      session_id: 'conv-1',
      agent_name: 'support',
      system_prompt: 'Be brief.',
      ttft_ms: 250,
    })
    expect(JSON.parse(m.input as string)).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }])
    expect(m.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'hello' }] }])
    // Values stored unchanged in a column, and payloads, are not repeated; everything else stays.
    for (const key of ['gen_ai.input.messages', 'gen_ai.system_instructions', 'gen_ai.request.model', 'gen_ai.usage.input_tokens', 'gen_ai.request.temperature', 'gen_ai.conversation.id']) {
      expect(m.attributes).not.toHaveProperty(key)
    }
    // Unknown attributes, kind sources and converted values (seconds -> ms) stay.
    expect(m.attributes).toEqual({ 'app.custom': 'kept', 'gen_ai.operation.name': 'chat', 'gen_ai.response.time_to_first_chunk': 0.25 })
  })

  it('maps <= 1.36 / Traceloop names, indexed prompts and completions', () => {
    const m = mapAttributes(
      {
        'gen_ai.system': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4',
        'llm.request.type': 'chat',
        'gen_ai.usage.prompt_tokens': 2100,
        'gen_ai.usage.completion_tokens': 90,
        'gen_ai.usage.cache_read_input_tokens': 2000,
        'gen_ai.prompt.0.role': 'system',
        'gen_ai.prompt.0.content': 'You are terse.',
        'gen_ai.prompt.1.role': 'user',
        'gen_ai.prompt.1.content': 'Hi',
        'gen_ai.completion.0.role': 'assistant',
        'gen_ai.completion.0.content': 'Hello',
        'gen_ai.completion.0.finish_reason': 'end_turn',
        'traceloop.association.properties.user_id': 'u-9',
        'traceloop.association.properties.session_id': 's-9',
        'traceloop.prompt.key': 'greeting',
        'traceloop.prompt.version': 3,
      },
      {},
    )
    expect(m).toMatchObject({
      kind: 'llm',
      provider: 'anthropic',
      input_tokens: 2100,
      cache_read_tokens: 2000,
      output_tokens: 90,
      user_id: 'u-9',
      session_id: 's-9',
      prompt_name: 'greeting',
      prompt_version: '3',
      finish_reason: 'end_turn',
      system_prompt: 'You are terse.',
    })
    expect(m.input).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hi' },
    ])
    expect(m.output).toEqual([{ role: 'assistant', content: 'Hello', finish_reason: 'end_turn' }])
  })

  it('maps Traceloop workflow and tool spans', () => {
    expect(mapAttributes({ 'traceloop.span.kind': 'tool', 'traceloop.entity.name': 'lookup_order', 'traceloop.entity.input': '{"id":1}' }, {})).toMatchObject({
      kind: 'tool',
      tool_name: 'lookup_order',
      input: '{"id":1}',
    })
    expect(mapAttributes({ 'traceloop.span.kind': 'agent', 'traceloop.entity.name': 'planner' }, {})).toMatchObject({ kind: 'agent', agent_name: 'planner' })
  })

  it('maps OpenInference, including flattened messages and invocation parameters', () => {
    const m = mapAttributes(
      {
        'openinference.span.kind': 'LLM',
        'llm.provider': 'openai',
        'llm.model_name': 'gpt-4o-mini-2024-07-18',
        'llm.invocation_parameters': '{"model":"gpt-4o-mini","temperature":"0.7"}',
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.content': 'hi',
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.content': 'hello',
        'llm.token_count.prompt': 20,
        'llm.token_count.completion': 5,
        'llm.cost.total': 0.0021,
        'user.id': 'u1',
        'session.id': 's1',
        metadata: '{"tenant_id":"initech"}',
        'tag.tags': '["a","b"]',
      },
      {},
    )
    expect(m).toMatchObject({
      kind: 'llm',
      model_requested: 'gpt-4o-mini',
      model_resolved: 'gpt-4o-mini-2024-07-18',
      provider: 'openai',
      input_tokens: 20,
      output_tokens: 5,
      cost_usd: 0.0021,
      user_id: 'u1',
      session_id: 's1',
      tenant_id: 'initech',
      tags: ['a', 'b'],
      params: { model: 'gpt-4o-mini', temperature: 0.7 },
    })
    expect(m.input).toEqual([{ role: 'user', content: 'hi' }])
    expect(m.output).toEqual([{ role: 'assistant', content: 'hello' }])
    expect(mapAttributes({ 'openinference.span.kind': 'TOOL', 'input.value': '{"q":"x"}', 'output.value': 'found' }, {}, {}, 'search_docs')).toMatchObject({
      kind: 'tool',
      tool_name: 'search_docs',
      input: '{"q":"x"}',
      output: 'found',
    })
  })

  it('maps the Vercel AI SDK v6: provider calls, wrappers, tool calls', () => {
    const call = mapAttributes(
      {
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.model.provider': 'openai.chat',
        'ai.model.id': 'gpt-4o-mini',
        'gen_ai.system': 'openai.chat',
        'ai.response.model': 'gpt-4o-mini-2024-07-18',
        'ai.usage.inputTokens': 100,
        'ai.usage.inputTokenDetails.cacheReadTokens': 80,
        'ai.usage.outputTokens': 10,
        'ai.response.finishReason': 'tool-calls',
        'ai.response.toolCalls': '[{"toolCallId":"c1","toolName":"weather"}]',
        'ai.prompt.messages': '[{"role":"system","content":"Weather bot."},{"role":"user","content":"Paris?"}]',
        'ai.telemetry.functionId': 'weather-agent',
        'ai.telemetry.metadata.userId': 'u1',
        'ai.telemetry.metadata.tenant_id': 'acme',
        'ai.settings.maxRetries': 2,
        'ai.response.msToFirstChunk': 120,
      },
      {},
    )
    expect(call).toMatchObject({
      kind: 'llm',
      provider: 'openai',
      model_requested: 'gpt-4o-mini',
      model_resolved: 'gpt-4o-mini-2024-07-18',
      input_tokens: 100,
      cache_read_tokens: 80,
      output_tokens: 10,
      finish_reason: 'tool-calls',
      agent_name: 'weather-agent',
      user_id: 'u1',
      tenant_id: 'acme',
      system_prompt: 'Weather bot.',
      ttft_ms: 120,
      params: { maxRetries: 2 },
    })
    expect(call.output).toEqual({ toolCalls: [{ toolCallId: 'c1', toolName: 'weather' }] })
    const wrapper = mapAttributes({ 'ai.operationId': 'ai.generateText', 'ai.model.id': 'gpt-4o-mini', 'ai.usage.inputTokens': 250, 'ai.prompt': '{"system":"Weather bot.","prompt":"Paris?"}' }, {})
    expect(wrapper).toMatchObject({ kind: 'chain', input_tokens: 250, system_prompt: 'Weather bot.' })
    expect(mapAttributes({ 'ai.operationId': 'ai.toolCall', 'ai.toolCall.name': 'weather', 'ai.toolCall.id': 'c1', 'ai.toolCall.args': '{"city":"Paris"}', 'ai.toolCall.result': '{"sky":"sunny"}' }, {})).toMatchObject({
      kind: 'tool',
      tool_name: 'weather',
      tool_call_id: 'c1',
      input: '{"city":"Paris"}',
      output: '{"sky":"sunny"}',
    })
  })

  it('maps the spans the Vercel AI SDK v7 (ai 7.0 + @ai-sdk/otel 1.0) sends for a tool-using generateText', () => {
    // Attributes as recorded from the real packages (payloads shortened).
    const agent = mapAttributes(
      {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.agent.name': 'weather-agent',
        'gen_ai.system_instructions': '[{"type":"text","content":"Weather bot."}]',
        'gen_ai.usage.input_tokens': 250,
        'gen_ai.usage.output_tokens': 30,
        'gen_ai.usage.cache_read.input_tokens': 180,
      },
      {},
      {},
      'invoke_agent gpt-4o-mini',
    )
    // The agent repeats its calls' summed usage: it is an agent, never a model call.
    expect(agent).toMatchObject({ kind: 'agent', agent_name: 'weather-agent', input_tokens: 250, system_prompt: 'Weather bot.' })
    expect(mapAttributes({ 'gen_ai.operation.name': 'agent_step' }, {}, {}, 'step 1')).toMatchObject({ kind: 'chain' })
    const chat = mapAttributes(
      {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.tool.definitions': '[{"type":"function","name":"weather"}]',
        'gen_ai.response.finish_reasons': ['tool-calls'],
        'gen_ai.response.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 100,
        'gen_ai.usage.output_tokens': 10,
        'gen_ai.usage.cache_read.input_tokens': 80,
        'gen_ai.usage.cache_creation.input_tokens': 0,
      },
      {},
      {},
      'chat gpt-4o-mini',
    )
    expect(chat).toMatchObject({ kind: 'llm', input_tokens: 100, cache_read_tokens: 80, cache_write_tokens: 0, finish_reason: 'tool-calls' })
    expect(chat.tool_name).toBeUndefined()
    const toolCall = mapAttributes(
      {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'weather',
        'gen_ai.tool.call.id': 'call-1',
        'gen_ai.tool.type': 'function',
        'gen_ai.tool.call.arguments': '{"city":"Paris"}',
        'gen_ai.tool.call.result': '{"city":"Paris"}',
      },
      {},
      {},
      'execute_tool weather',
    )
    expect(toolCall).toMatchObject({ kind: 'tool', tool_name: 'weather', tool_call_id: 'call-1', input: '{"city":"Paris"}', output: '{"city":"Paris"}' })
  })

  it('maps the Vercel AI SDK v7 span shapes (GenAI operation names)', () => {
    expect(mapAttributes({ 'gen_ai.operation.name': 'invoke_agent' }, {}, {}, 'invoke_agent weather')).toMatchObject({ kind: 'agent', agent_name: 'weather' })
    expect(mapAttributes({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.call.id': 'c1' }, {}, {}, 'execute_tool weather')).toMatchObject({ kind: 'tool', tool_name: 'weather', tool_call_id: 'c1' })
    expect(mapAttributes({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-5' }, {}, {}, 'chat gpt-5')).toMatchObject({ kind: 'llm', model_requested: 'gpt-5' })
    expect(mapAttributes({ 'gen_ai.operation.name': 'embeddings' }, {})).toMatchObject({ kind: 'embedding' })
    expect(mapAttributes({ 'gen_ai.operation.name': 'rerank' }, {})).toMatchObject({ kind: 'reranker' })
  })

  it('maps Langfuse attributes (usage and cost JSON, level, completion start)', () => {
    const m = mapAttributes(
      {
        'langfuse.observation.type': 'generation',
        'langfuse.observation.model.name': 'claude-sonnet-4',
        'langfuse.observation.usage_details': '{"input":14,"output":60,"cache_read_input_tokens":3000}',
        'langfuse.observation.cost_details': '{"input":0.001,"output":0.002}',
        'langfuse.observation.model.parameters': '{"temperature":0.3}',
        'langfuse.observation.input': '[{"role":"user","content":"hi"}]',
        'langfuse.observation.output': '{"role":"assistant","content":"hello"}',
        'langfuse.observation.prompt.name': 'support',
        'langfuse.observation.prompt.version': 4,
        'langfuse.observation.level': 'ERROR',
        'langfuse.observation.status_message': 'refused',
        'langfuse.observation.completion_start_time': '"2026-01-01T00:00:00.500Z"',
        'user.id': 'u-7',
        'session.id': 's-1',
        'langfuse.trace.tags': ['beta', 'eu'],
        'langfuse.trace.metadata.tenant_id': 'globex',
      },
      {},
    )
    expect(m).toMatchObject({
      kind: 'llm',
      model_requested: 'claude-sonnet-4',
      input_tokens: 3014,
      output_tokens: 60,
      cache_read_tokens: 3000,
      params: { temperature: 0.3 },
      prompt_name: 'support',
      prompt_version: '4',
      user_id: 'u-7',
      session_id: 's-1',
      tenant_id: 'globex',
      tags: ['beta', 'eu'],
      levelError: 'refused',
    })
    expect(m.cost_usd).toBeCloseTo(0.003)
    // JSON text is kept as sent: it is stored as text.
    expect(m.input).toBe('[{"role":"user","content":"hi"}]')
  })

  it('reads our own flightline.* names from the span, else from the resource', () => {
    const m = mapAttributes(
      {
        'flightline.route.segment': 'premium',
        'flightline.route.fallback': true,
        'flightline.retry.attempt': 2,
        'flightline.retry.of': 'abcdef0123456789',
        'flightline.refusal': 'false',
        'flightline.output.schema_valid': false,
        'flightline.tokens.local_input': 1180,
      },
      { 'flightline.eval.run_id': 'run-9', 'flightline.route.segment': 'ignored' },
    )
    expect(m).toMatchObject({
      route_segment: 'premium',
      fallback: true,
      retry_attempt: 2,
      retry_of: 'abcdef0123456789',
      refusal: false,
      schema_valid: false,
      local_input_tokens: 1180,
      eval_run_id: 'run-9',
    })
  })

  it('keeps a flightline.* value that does not convert in the attributes', () => {
    const m = mapAttributes({ 'flightline.retry.attempt': 'second', 'flightline.route.fallback': 'maybe', 'flightline.refusal': true }, {})
    expect(m.retry_attempt).toBeUndefined()
    expect(m.fallback).toBeUndefined()
    expect(m.refusal).toBe(true)
    expect(m.attributes).toEqual({ 'flightline.retry.attempt': 'second', 'flightline.route.fallback': 'maybe' })
  })

  it('finds the tenant: project key, tenant.id, then the resource', () => {
    expect(mapAttributes({ 'tenant.id': 'a' }, { 'tenant.id': 'r' }).tenant_id).toBe('a')
    expect(mapAttributes({}, { 'tenant.id': 'r' }).tenant_id).toBe('r')
    expect(mapAttributes({ 'tenant.id': 'a', 'app.customer': 'c' }, {}, { tenantAttribute: 'app.customer' }).tenant_id).toBe('c')
    expect(mapAttributes({ 'ai.telemetry.metadata.customer': 'm' }, {}, { tenantAttribute: 'customer' }).tenant_id).toBe('m')
    expect(mapAttributes({}, { 'app.customer': 'rc', 'tenant.id': 'r' }, { tenantAttribute: 'app.customer' }).tenant_id).toBe('rc')
  })

  it('accepts tags as a JSON string or a string list', () => {
    expect(mapAttributes({ 'tag.tags': ['x', 'y'] }, {}).tags).toEqual(['x', 'y'])
    expect(mapAttributes({ 'tag.tags': '["x","y"]' }, {}).tags).toEqual(['x', 'y'])
  })

  it('clips over-long promoted values instead of losing the span (the original stays in attributes)', () => {
    const long = 'm'.repeat(400)
    const m = mapAttributes({ 'gen_ai.request.model': long }, {})
    expect(m.model_requested).toHaveLength(256)
    expect(m.attributes['gen_ai.request.model']).toBe(long)
  })
})

const base: OtlpSpan = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  parentSpanId: '',
  name: 'chat',
  kind: 1,
  startTimeUnixNano: 1_764_230_400_000_000_000n,
  endTimeUnixNano: 1_764_230_401_000_000_000n,
  attributes: {},
  events: [],
  links: [],
  statusCode: 0,
  statusMessage: '',
}

describe('toNativeSpan', () => {
  it('produces objects the native schema accepts', () => {
    const { span } = toNativeSpan({ ...base, attributes: { 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 5 } }, { 'service.name': 's' }, { name: 'lib', version: '1' }, {})
    const parsed = spanInputSchema.safeParse(span)
    expect(parsed.success).toBe(true)
    expect(span).toMatchObject({ kind: 'llm', attributes: { 'otel.scope.name': 'lib', 'otel.scope.version': '1' }, resource: { 'service.name': 's' } })
  })

  it('turns an exception event into the error details and keeps the event', () => {
    const { span } = toNativeSpan(
      { ...base, events: [{ name: 'exception', timeUnixNano: base.startTimeUnixNano + 5n, attributes: { 'exception.type': 'TimeoutError', 'exception.message': 'tool timed out', 'exception.stacktrace': 'at x' } }] },
      {},
      { name: '', version: '' },
      {},
    )
    expect(span).toMatchObject({ status: 'error', error_type: 'TimeoutError', status_message: 'tool timed out' })
    expect((span!.events as { name: string }[])[0].name).toBe('exception')
    // An explicit OK status stands: the exception was handled.
    expect(toNativeSpan({ ...base, statusCode: 1, events: [{ name: 'exception', timeUnixNano: 0n, attributes: { 'exception.type': 'E' } }] }, {}, { name: '', version: '' }, {}).span).toMatchObject({
      status: 'ok',
      error_type: 'E',
    })
  })

  it('turns gen_ai.evaluation.result events into scores', () => {
    const { scores } = toNativeSpan(
      {
        ...base,
        attributes: { 'flightline.eval.run_id': 'run-1' },
        events: [
          {
            name: 'gen_ai.evaluation.result',
            timeUnixNano: base.startTimeUnixNano + 10n,
            attributes: { 'gen_ai.evaluation.name': 'relevance', 'gen_ai.evaluation.score.value': 0.75, 'gen_ai.evaluation.score.label': 'good', 'gen_ai.evaluation.explanation': 'on topic' },
          },
        ],
      },
      {},
      { name: '', version: '' },
      {},
    )
    expect(scores).toEqual([
      {
        trace_id: base.traceId,
        span_id: base.spanId,
        name: 'relevance',
        value: 0.75,
        label: 'good',
        comment: 'on topic',
        run_id: 'run-1',
        timestamp: (base.startTimeUnixNano + 10n).toString(),
      },
    ])
  })

  it('derives time to first token from Langfuse completion_start_time', () => {
    const { span } = toNativeSpan({ ...base, attributes: { 'langfuse.observation.completion_start_time': '"2025-11-27T08:00:00.250Z"' } }, {}, { name: '', version: '' }, {})
    expect(span!.ttft_ms).toBe(250)
  })

  it('names what is wrong with unusable ids', () => {
    expect(toNativeSpan({ ...base, traceId: '00000000000000000000000000000000' }, {}, { name: '', version: '' }, {}).problem).toMatch(/traceId must be 16 non-zero bytes/)
    expect(toNativeSpan({ ...base, spanId: 'abc' }, {}, { name: '', version: '' }, {}).problem).toMatch(/spanId must be 8 non-zero bytes.*'abc'/)
    expect(toNativeSpan({ ...base, parentSpanId: 'zz' }, {}, { name: '', version: '' }, {}).problem).toMatch(/parentSpanId/)
    expect(toNativeSpan({ ...base, startTimeUnixNano: 0n }, {}, { name: '', version: '' }, {}).problem).toMatch(/startTimeUnixNano/)
  })
})
