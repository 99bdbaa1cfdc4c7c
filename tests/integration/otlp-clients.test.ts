// Real instrumentation clients export to the real server over OTLP/HTTP; what they sent must
// come back from the read API with the right kind, model, tokens, cache tokens, tool names,
// tenants and parent links.
import { SpanStatusCode, context, trace, type Tracer } from '@opentelemetry/api'
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { getLLMAttributes, traceAgent, traceLLM, traceTool } from '@arizeai/openinference-core'
import { LangfuseSpanProcessor } from '@langfuse/otel'
import { propagateAttributes, setLangfuseTracerProvider, startActiveObservation, startObservation } from '@langfuse/tracing'
import { generateText, stepCountIs, tool } from 'ai'
import { MockLanguageModelV3 } from 'ai/test'
import { z } from 'zod'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createProject, type FlightlineClient } from '../harness'
import { startRecordingProxy, type RecordingProxy } from '../recording-proxy'

const baseUrl = inject('baseUrl')
let client: FlightlineClient
let apiKey: string
let proxy: RecordingProxy

beforeAll(async () => {
  const project = await createProject(baseUrl, 'otlp-clients')
  client = project.client
  apiKey = project.api_key
  proxy = await startRecordingProxy(baseUrl)
  // A context manager, so the clients' active spans nest (as in any instrumented app).
  new NodeTracerProvider().register()
})

afterAll(async () => {
  await proxy.close()
})

type ApiSpan = Record<string, any>

async function traceSpans(traceId: string): Promise<ApiSpan[]> {
  const response = await client.getTrace(traceId)
  expect(response.status).toBe(200)
  return response.json.spans
}

const byName = (spans: ApiSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name)
  expect(found, `span named ${name}`).not.toHaveLength(0)
  return found
}

/** Runs `record` with a tracer whose spans go through `exporter`, then flushes and shuts down. */
async function recordWith(exporter: SpanExporter, resource: Record<string, string>, record: (tracer: Tracer) => Promise<string>): Promise<string> {
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes(resource), spanProcessors: [new SimpleSpanProcessor(exporter)] })
  const traceId = await record(provider.getTracer('flightline-tests', '1.0.0'))
  await provider.forceFlush()
  await provider.shutdown()
  return traceId
}

/** An agent with one model call (current GenAI names), one legacy-named call and one failing tool. */
async function agentRun(tracer: Tracer): Promise<string> {
  const root = tracer.startSpan('invoke_agent support', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' } })
  const inRoot = trace.setSpan(context.active(), root)
  const chat = tracer.startSpan(
    'chat gpt-4o',
    {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.response.model': 'gpt-4o-2024-08-06',
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.usage.output_tokens': 300,
        'gen_ai.usage.cache_read.input_tokens': 1000,
        'gen_ai.request.temperature': 0.2,
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Where is my order?' }] }]),
        'gen_ai.system_instructions': 'You are a support agent.',
        'tenant.id': 'acme',
        'user.id': 'user-42',
        'flightline.route.segment': 'premium',
        'flightline.route.fallback': true,
        'flightline.retry.attempt': 1,
        'flightline.output.schema_valid': false,
        'flightline.tokens.local_input': 1180,
        'app.region': 'eu-west',
      },
    },
    inRoot,
  )
  chat.addEvent('gen_ai.evaluation.result', { 'gen_ai.evaluation.name': 'relevance', 'gen_ai.evaluation.score.value': 0.9, 'gen_ai.evaluation.explanation': 'answers the question' })
  chat.end()
  const legacy = tracer.startSpan(
    'anthropic.chat',
    {
      attributes: {
        'gen_ai.system': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4',
        'gen_ai.usage.prompt_tokens': 2100,
        'gen_ai.usage.completion_tokens': 90,
        'gen_ai.usage.cache_read_input_tokens': 2000,
        'gen_ai.usage.cache_creation_input_tokens': 50,
      },
    },
    inRoot,
  )
  legacy.end()
  const toolSpan = tracer.startSpan(
    'execute_tool lookup_order',
    { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup_order', 'gen_ai.tool.call.id': 'call-7', 'gen_ai.tool.call.arguments': '{"order":"A-1"}' } },
    inRoot,
  )
  toolSpan.recordException(Object.assign(new Error('order service timed out'), { name: 'TimeoutError' }))
  toolSpan.setStatus({ code: SpanStatusCode.ERROR })
  toolSpan.end()
  root.end()
  return root.spanContext().traceId
}

describe.each([
  { encoding: 'protobuf', gzip: false },
  { encoding: 'protobuf', gzip: true },
  { encoding: 'json', gzip: false },
  { encoding: 'json', gzip: true },
] as const)('OpenTelemetry SDK exporter, $encoding, gzip $gzip', ({ encoding, gzip }) => {
  it('stores GenAI spans with kinds, models, tokens, cache, tools, tenant, events and parents', async () => {
    const Exporter = encoding === 'protobuf' ? ProtoExporter : JsonExporter
    const before = proxy.exchanges.length
    const exporter = new Exporter({ url: `${proxy.url}/v1/traces`, headers: { Authorization: `Bearer ${apiKey}` }, compression: gzip ? 'gzip' : 'none' } as never)
    const traceId = await recordWith(exporter, { 'service.name': 'support-api', 'service.version': '1.4.2', 'deployment.environment.name': 'prod' }, agentRun)

    const sent = proxy.exchanges.slice(before)
    expect(sent.length).toBeGreaterThan(0)
    for (const exchange of sent) {
      expect(exchange.status).toBe(200)
      expect(exchange.contentType).toBe(encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json')
      expect(exchange.contentEncoding).toBe(gzip ? 'gzip' : '')
    }

    const spans = await traceSpans(traceId)
    expect(spans).toHaveLength(4)
    const [root] = byName(spans, 'invoke_agent support')
    expect(root).toMatchObject({ kind: 'agent', agent_name: 'support', parent_span_id: '', service_name: 'support-api', service_version: '1.4.2', environment: 'prod' })

    const [chat] = byName(spans, 'chat gpt-4o')
    expect(chat).toMatchObject({
      kind: 'llm',
      parent_span_id: root.span_id,
      provider: 'openai',
      model_requested: 'gpt-4o',
      model_resolved: 'gpt-4o-2024-08-06',
      input_tokens: 1200,
      output_tokens: 300,
      cache_read_tokens: 1000,
      finish_reason: 'stop',
      tenant_id: 'acme',
      user_id: 'user-42',
      route_segment: 'premium',
      fallback: true,
      retry_attempt: 1,
      schema_valid: false,
      local_input_tokens: 1180,
      params: { temperature: 0.2 },
    })
    expect(chat.system_prompt_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.parse(chat.input)).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Where is my order?' }] }])
    expect(chat.attributes['app.region']).toBe('eu-west')
    expect(chat.attributes['otel.scope.name']).toBe('flightline-tests')
    expect(chat.events.map((e: { name: string }) => e.name)).toEqual(['gen_ai.evaluation.result'])

    const [legacy] = byName(spans, 'anthropic.chat')
    expect(legacy).toMatchObject({ kind: 'llm', provider: 'anthropic', input_tokens: 2100, output_tokens: 90, cache_read_tokens: 2000, cache_write_tokens: 50 })

    const [toolSpan] = byName(spans, 'execute_tool lookup_order')
    expect(toolSpan).toMatchObject({
      kind: 'tool',
      parent_span_id: root.span_id,
      tool_name: 'lookup_order',
      tool_call_id: 'call-7',
      status: 'error',
      error_type: 'TimeoutError',
      status_message: 'order service timed out',
    })
    expect(JSON.parse(toolSpan.input)).toEqual({ order: 'A-1' })
    expect(toolSpan.events[0].name).toBe('exception')

    // The evaluation event became a score on the chat span.
    const scores = await client.request('GET', `/api/v1/traces/${traceId}/scores`)
    expect(scores.status).toBe(200)
    expect(scores.json.scores).toEqual([expect.objectContaining({ span_id: chat.span_id, name: 'relevance', value: 0.9, comment: 'answers the question' })])
  })
})

describe('Vercel AI SDK v6 with telemetry and its mock model', () => {
  const usage = (input: number, output: number, cached: number) => ({
    inputTokens: { total: input, noCache: input - cached, cacheRead: cached, cacheWrite: 0 },
    outputTokens: { total: output, text: output, reasoning: 0 },
  })

  it('stores model calls as llm spans, the wrapper as a chain and tool calls as tools, counting tokens once', async () => {
    const model = new MockLanguageModelV3({
      provider: 'openai.chat',
      modelId: 'gpt-4o-mini',
      doGenerate: [
        {
          content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'weather', input: JSON.stringify({ city: 'Paris' }) }],
          finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
          usage: usage(100, 10, 80),
          warnings: [],
        },
        { content: [{ type: 'text', text: 'Sunny in Paris.' }], finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(150, 20, 100), warnings: [] },
      ] as never,
    })
    const exporter = new ProtoExporter({ url: `${proxy.url}/v1/traces`, headers: { Authorization: `Bearer ${apiKey}` }, compression: 'gzip' } as never)
    const traceId = await recordWith(exporter, { 'service.name': 'weather-app' }, (tracer) =>
      tracer.startActiveSpan('handle request', async (span) => {
        const result = await generateText({
          model,
          system: 'You are a weather bot.',
          prompt: 'Weather in Paris?',
          tools: { weather: tool({ description: 'Current weather', inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => ({ city, sky: 'sunny' }) }) },
          stopWhen: stepCountIs(3),
          experimental_telemetry: { isEnabled: true, tracer, functionId: 'weather-agent', metadata: { tenant_id: 'acme', userId: 'u-1' } },
        })
        expect(result.text).toBe('Sunny in Paris.')
        span.end()
        return span.spanContext().traceId
      }),
    )

    const spans = await traceSpans(traceId)
    const [request] = byName(spans, 'handle request')
    const [wrapper] = byName(spans, 'ai.generateText')
    expect(wrapper).toMatchObject({ kind: 'chain', parent_span_id: request.span_id, input_tokens: 250, agent_name: 'weather-agent' })
    const calls = byName(spans, 'ai.generateText.doGenerate').sort((a, b) => a.input_tokens - b.input_tokens)
    expect(calls).toHaveLength(2)
    for (const call of calls) {
      expect(call).toMatchObject({ kind: 'llm', parent_span_id: wrapper.span_id, provider: 'openai', model_requested: 'gpt-4o-mini', tenant_id: 'acme', user_id: 'u-1' })
      expect(call.system_prompt_hash).toMatch(/^[0-9a-f]{64}$/)
    }
    expect(calls[0]).toMatchObject({ input_tokens: 100, cache_read_tokens: 80, output_tokens: 10, finish_reason: 'tool-calls' })
    expect(calls[1]).toMatchObject({ input_tokens: 150, cache_read_tokens: 100, output_tokens: 20, finish_reason: 'stop', output: 'Sunny in Paris.' })
    const [toolCall] = byName(spans, 'ai.toolCall')
    expect(toolCall).toMatchObject({ kind: 'tool', tool_name: 'weather', tool_call_id: 'call-1', parent_span_id: wrapper.span_id })
    expect(JSON.parse(toolCall.input)).toEqual({ city: 'Paris' })
    expect(JSON.parse(toolCall.output)).toEqual({ city: 'Paris', sky: 'sunny' })

    // Trace totals count each model call once: 100 + 150, not 250 more from the wrapper.
    const list = await client.listTraces({ from: new Date(Date.now() - 3600_000).toISOString() })
    const summary = list.json.traces.find((t: { trace_id: string }) => t.trace_id === traceId)
    expect(summary).toMatchObject({ input_tokens: 250, output_tokens: 30, cache_read_tokens: 180 })
  })
})

describe('OpenInference (openinference-core tracing helpers)', () => {
  it('maps OpenInference kinds and normalizes Anthropic input tokens to include the cache', async () => {
    const exporter = new ProtoExporter({ url: `${proxy.url}/v1/traces`, headers: { Authorization: `Bearer ${apiKey}` } })
    const traceId = await recordWith(exporter, { 'service.name': 'oi-app' }, async (tracer) => {
      const callModel = traceLLM(async () => 'Hello!', {
        tracer,
        name: 'anthropic.messages.create',
        processOutput: () =>
          getLLMAttributes({
            provider: 'anthropic',
            modelName: 'claude-3-5-sonnet-20241022',
            tokenCount: { prompt: 14, completion: 60, total: 74, promptDetails: { cacheRead: 3000, cacheWrite: 400 } },
          }),
      })
      const search = traceTool(async (query: string) => [`doc about ${query}`], { tracer, name: 'search_docs' })
      let id = ''
      const agent = traceAgent(
        async () => {
          id = trace.getActiveSpan()!.spanContext().traceId
          await callModel()
          await search('refunds')
        },
        { tracer, name: 'support-agent' },
      )
      await agent()
      return id
    })

    const spans = await traceSpans(traceId)
    const [agent] = byName(spans, 'support-agent')
    expect(agent.kind).toBe('agent')
    const [llm] = byName(spans, 'anthropic.messages.create')
    expect(llm).toMatchObject({
      kind: 'llm',
      parent_span_id: agent.span_id,
      provider: 'anthropic',
      model_resolved: 'claude-3-5-sonnet-20241022',
      input_tokens: 3414,
      cache_read_tokens: 3000,
      cache_write_tokens: 400,
      output_tokens: 60,
    })
    const [search] = byName(spans, 'search_docs')
    expect(search).toMatchObject({ kind: 'tool', tool_name: 'search_docs', parent_span_id: agent.span_id, input: 'refunds' })
  })
})

describe('Langfuse OTel SDK (@langfuse/otel + @langfuse/tracing)', () => {
  for (const position of ['secretKey', 'publicKey'] as const) {
    it(`posts to /api/public/otel/v1/traces with Basic auth (key as ${position}) and lands generations`, async () => {
      const before = proxy.exchanges.length
      const processor = new LangfuseSpanProcessor({
        baseUrl: proxy.url,
        publicKey: position === 'publicKey' ? apiKey : 'pk-lf-flightline',
        secretKey: position === 'secretKey' ? apiKey : 'sk-lf-unused',
        exportMode: 'immediate',
      })
      const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'lf-app' }), spanProcessors: [processor] })
      setLangfuseTracerProvider(provider)
      let traceId = ''
      await propagateAttributes({ userId: 'u-7', sessionId: 's-1', tags: ['beta', 'eu'], metadata: { tenant_id: 'globex' } }, () =>
        startActiveObservation('support-request', async (root) => {
          traceId = root.traceId
          startObservation(
            'chat',
            {
              model: 'claude-sonnet-4',
              input: [{ role: 'user', content: 'hi' }],
              output: { role: 'assistant', content: 'hello' },
              usageDetails: { input: 14, output: 60, cache_read_input_tokens: 3000 },
              costDetails: { total: 0.0123 },
              modelParameters: { temperature: 0.3 },
            },
            { asType: 'generation' },
          ).end()
          startObservation('lookup_order', { input: { order: 'A-1' } }, { asType: 'tool' }).end()
        }),
      )
      await provider.forceFlush()
      await provider.shutdown()
      setLangfuseTracerProvider(null)

      const sent = proxy.exchanges.slice(before)
      expect(sent.length).toBeGreaterThan(0)
      for (const exchange of sent) expect(exchange).toMatchObject({ path: '/api/public/otel/v1/traces', authScheme: 'Basic', status: 200 })

      const spans = await traceSpans(traceId)
      const [root] = byName(spans, 'support-request')
      const [generation] = byName(spans, 'chat')
      expect(generation).toMatchObject({
        kind: 'llm',
        parent_span_id: root.span_id,
        model_requested: 'claude-sonnet-4',
        input_tokens: 3014,
        cache_read_tokens: 3000,
        output_tokens: 60,
        cost_usd: 0.0123,
        user_id: 'u-7',
        session_id: 's-1',
        tenant_id: 'globex',
        params: { temperature: 0.3 },
      })
      expect(generation.tags).toEqual(['beta', 'eu'])
      expect(JSON.parse(generation.output)).toEqual({ role: 'assistant', content: 'hello' })
      const [toolSpan] = byName(spans, 'lookup_order')
      expect(toolSpan).toMatchObject({ kind: 'tool', tool_name: 'lookup_order' })
    })
  }
})
