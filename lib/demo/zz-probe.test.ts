import { it } from 'vitest'
import { collectDemo } from '@/lib/demo/generate'
import { HOUR } from '@/lib/demo/schedule'
it('probe', () => {
  for (const [seed, end] of [[7, '2026-04-03T10:00:00Z']] as const) {
    const { spans, summary } = collectDemo({ seed, spans: 40_000, days: 7, end, batchSpans: 2000 })
    const { plan } = summary
    const rows: string[] = []
    for (let h = -8; h < 8; h++) {
      const t0 = plan.cacheIncident.onset + h * HOUR
      const calls = spans.filter((s) => s.kind === 'llm' && Date.parse(String(s.start_time)) >= t0 && Date.parse(String(s.start_time)) < t0 + HOUR && (s.input_tokens ?? 0) > 0)
      const inp = calls.reduce((a, s) => a + (s.input_tokens ?? 0), 0), cr = calls.reduce((a, s) => a + (s.cache_read_tokens ?? 0), 0)
      const bp = calls.filter((s) => s.tenant_id === 'brightpath')
      const nw = calls.filter((s) => s.tenant_id === 'northwind')
      rows.push(`${h}: n=${calls.length} in=${inp} hit=${(cr / inp).toFixed(2)} bp=${bp.length} nw=${nw.length} nwin=${nw.reduce((a, s) => a + (s.input_tokens ?? 0), 0)}`)
    }
    console.log(rows.join('\n'))
  }
}, 120_000)
