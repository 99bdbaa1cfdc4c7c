// The demo workload as a library: `generateDemo` streams batches of spans and scores in the
// native ingest shape; `planDemo` names the planted stories' windows; `collectDemo` gathers a
// small dataset in memory for tests.
export { collectDemo, generateDemo, generateLargeTrace, type DemoBatch, type DemoSummary } from './generate'
export { pinnedWeekEnd, planDemo, DEFAULT_SPANS, MAX_DAYS, MAX_SPANS, type DemoOptions, type DemoPlan, type EvalRun } from './plan'
export type { DemoScore, DemoSpan } from './recorder'
export { EVAL_TENANT, MODELS, PRODUCT, TENANTS } from './world'
