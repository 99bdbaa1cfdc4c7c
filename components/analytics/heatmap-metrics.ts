// The metrics the diurnal heatmap can show: label, unit and which direction is bad.
import type { ValueFormat } from '@/components/charts/time-series-chart'
import type { HeatmapMetric } from '@/lib/analytics/diurnal'

export const HEATMAP_LABELS: Record<HeatmapMetric, { label: string; format: ValueFormat; higherIsWorse: boolean }> = {
  requests: { label: 'Requests', format: 'count', higherIsWorse: false },
  p50_ms: { label: 'p50 latency', format: 'ms', higherIsWorse: true },
  p95_ms: { label: 'p95 latency', format: 'ms', higherIsWorse: true },
  ttft_p50_ms: { label: 'Time to first token (p50)', format: 'ms', higherIsWorse: true },
  error_rate: { label: 'Error rate', format: 'percent', higherIsWorse: true },
  overload_rate: { label: 'Overload rate (429/529)', format: 'percent', higherIsWorse: true },
  fallback_rate: { label: 'Fallback rate', format: 'percent', higherIsWorse: true },
  mean_score: { label: 'Mean eval score', format: 'count', higherIsWorse: false },
}
