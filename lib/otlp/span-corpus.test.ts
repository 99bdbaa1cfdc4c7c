// The real-span corpus: spans written as each framework's SDK emits them are mapped like any
// OTLP span, and every expected fact (kind, models, tokens with cache, payload presence, tool,
// agent, user, session, system prompt, finish reason) is scored. The bar is 97% of fields across
// at least 10 frameworks; the mismatches are printed so a regression names its framework.
import { describe, expect, it } from 'vitest'
import { spanInputSchema } from '@/lib/ingest/span-schema'
import { corpusEvents, SPAN_CORPUS, type CorpusSpan } from '@/tests/fixtures/genai-span-corpus'
import type { OtlpSpan } from './otlp-span'
import { toNativeSpan } from './to-native-span'

const START = 1_764_000_000_000_000_000n

function mapCorpusSpan(entry: CorpusSpan, index: number) {
  const span: OtlpSpan = {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: (index + 1).toString(16).padStart(16, '0'),
    parentSpanId: '',
    name: entry.name,
    kind: 1,
    startTimeUnixNano: START,
    endTimeUnixNano: START + 1_000_000n,
    attributes: entry.attributes,
    events: corpusEvents(entry, START),
    links: [],
    statusCode: 0,
    statusMessage: '',
  }
  const result = toNativeSpan(span, { 'service.name': 'corpus' }, { name: entry.framework, version: '' }, {})
  return spanInputSchema.parse(result.span)
}

describe('real-span corpus', () => {
  const mismatches: string[] = []
  let checked = 0
  const frameworks = new Set<string>()
  SPAN_CORPUS.forEach((entry, index) => {
    frameworks.add(entry.framework)
    const mapped = mapCorpusSpan(entry, index) as Record<string, unknown>
    for (const [field, expected] of Object.entries(entry.expect)) {
      checked++
      const actual = field === 'has_input' ? mapped.input !== undefined : field === 'has_output' ? mapped.output !== undefined : mapped[field]
      if (actual !== expected) mismatches.push(`${entry.framework} '${entry.name}' ${field}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
    }
  })

  it('covers at least 10 frameworks', () => {
    expect(frameworks.size).toBeGreaterThanOrEqual(10)
  })

  it('maps at least 97% of the expected fields', () => {
    const rate = (checked - mismatches.length) / checked
    console.log(`corpus: ${checked - mismatches.length}/${checked} fields mapped\n  ${mismatches.join('\n  ')}`)
    expect(checked).toBeGreaterThan(150)
    expect(rate).toBeGreaterThanOrEqual(0.97)
  })

  it('never double counts cache tokens and never stores fewer input tokens than cached ones', () => {
    SPAN_CORPUS.forEach((entry, index) => {
      const mapped = mapCorpusSpan(entry, index)
      if (mapped.input_tokens !== undefined) expect(mapped.input_tokens).toBeGreaterThanOrEqual((mapped.cache_read_tokens ?? 0) + (mapped.cache_write_tokens ?? 0))
    })
  })
})
