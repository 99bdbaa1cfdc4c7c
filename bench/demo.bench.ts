// The demo workload: how fast the generator produces spans on its own, and how fast they go
// through the HTTP ingest API the way `npm run demo` sends them (bounded concurrency, batches
// of 2000). Size with BENCH_DEMO_SPANS (default 200,000; the demo goes up to 10 million).
import { generateDemo } from '../lib/demo'
import { httpSink } from '../lib/demo/http-sink'
import { loadDemo } from '../lib/demo/load'
import { rate, type BenchContext } from './harness'

const SPANS = Number(process.env.BENCH_DEMO_SPANS ?? 200_000)

export async function run(ctx: BenchContext): Promise<void> {
  const end = new Date()
  let generated = 0
  let bytes = 0
  const started = performance.now()
  const generator = generateDemo({ seed: 7, spans: SPANS, end, batchSpans: 2000 })
  for (let next = generator.next(); !next.done; next = generator.next()) {
    generated += next.value.spans.length
    bytes += JSON.stringify({ spans: next.value.spans }).length
  }
  const generateMs = performance.now() - started
  ctx.log(`generate + serialise ${generated.toLocaleString('en-US')} spans: ${(generateMs / 1000).toFixed(1)} s, ${rate(generated, generateMs)}, ${(bytes / generated).toFixed(0)} bytes/span as JSON`)

  const result = await loadDemo({ demo: { seed: 7, spans: SPANS, end, batchSpans: 2000 }, sink: httpSink({ baseUrl: ctx.baseUrl, apiKey: ctx.project.api_key }), concurrency: 4 })
  ctx.log(
    `npm run demo path: ${result.spansSent.toLocaleString('en-US')} spans + ${result.scoresSent.toLocaleString('en-US')} scores in ${(result.elapsedMs / 1000).toFixed(1)} s: ` +
      `${rate(result.spansSent, result.elapsedMs)} (${result.retries} retries after 503/429, ${result.rejected} rejected)`,
  )
}
