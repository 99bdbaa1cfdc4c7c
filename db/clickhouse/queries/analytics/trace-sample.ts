// A deterministic sample of traces that the engine can read without touching the others, for the
// views that must look at each trace's spans (guardrail stages, reranker agreement). Trace ids are
// random hex (W3C / OpenTelemetry), so the traces whose id sorts below a cut point are a uniform
// sample; and since spans are ordered by (project, hour, trace_id), a range condition on
// trace_id lets the primary index skip the granules of every other trace - a hash of the id
// would be just as uniform but would read every granule.
export const SAMPLE_POINTS = 65_536

export interface TraceSample {
  /** Four hex digits: traces whose id sorts below it are in the sample; null when all are. */
  cut: string | null
  /** The share of (random hex) trace ids below the cut. */
  fraction: number
}

/** The sample that holds about `wanted` of `total` traces (all of them when there are few). */
export function traceSample(total: number, wanted: number): TraceSample {
  if (total <= wanted) return { cut: null, fraction: 1 }
  const points = Math.min(SAMPLE_POINTS - 1, Math.max(1, Math.ceil((SAMPLE_POINTS * wanted) / total)))
  return { cut: points.toString(16).padStart(4, '0'), fraction: points / SAMPLE_POINTS }
}

/** SQL condition on `trace_id` for the sample, bound as {sample_cut:String}. */
export function inSample(sample: TraceSample, column = 'trace_id'): string {
  return sample.cut === null ? '1' : `${column} < {sample_cut:String}`
}

export const sampleParams = (sample: TraceSample) => ({ sample_cut: sample.cut ?? '' })
