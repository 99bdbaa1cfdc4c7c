// The demo workload generator: a deterministic stream of batches of spans and scores, in the
// native ingest shape, walking minute by minute through the range. Only one minute of traffic
// (plus the last few minutes, which are sorted) is held at a time, so any size can be streamed.
import { TOPICS, TOPIC_WEIGHTS, type Topic } from './content'
import { PromptLedger, emptyStats, type CallContext, type DemoStats } from './model-call'
import { cacheSeverity, inOnboardingPush, inRetryStorm, planDemo, type DemoOptions, type DemoPlan, type EvalRun } from './plan'
import { buildPopulation, normalisedShare, pickUser, routeFor, sessionId, type TenantPopulation } from './population'
import { Rng } from './prng'
import { TraceRecorder, isoMicros, type DemoScore, type DemoSpan } from './recorder'
import { HOUR, MINUTE, activity } from './schedule'
import { plantedStoryTraces, type StoryTrace } from './stories'
import { bulkTrace, onboardingTrace, runawayTrace, supportTrace, type TraceOutcome } from './traces'
import { EVAL_TENANT, PRODUCT, TENANTS, onboardingPrompt, supportPrompt, tenantById, type Segment, type SystemPrompt, type Tenant } from './world'

export interface DemoBatch {
  spans: DemoSpan[]
  scores: DemoScore[]
  traces: number
}

export interface DemoSummary extends DemoStats {
  plan: DemoPlan
  /**
   * Users served by both model paths in the range (the routing story's switchers), counted as the
   * routing view counts them: over the routed model calls emitted (eval runs aside). A user whose
   * request a guardrail blocked before any model call was served by no path on that request.
   */
  switchers: number
  /** Distinct users that sent traffic (eval runner excluded). */
  users: number
}

type Stream =
  | { kind: 'support'; population: TenantPopulation }
  | { kind: 'onboarding' }
  | { kind: 'bulk' }
  | { kind: 'eval'; run: EvalRun; index: number }
  | { kind: 'runaway'; spans: number }
  | { kind: 'story'; trace: StoryTrace }

interface BuiltTrace {
  start: number
  spans: DemoSpan[]
  scores: DemoScore[]
}

const TOPIC_LIST = TOPICS as readonly Topic[]
const TOPIC_WEIGHT_LIST = TOPICS.map((t) => TOPIC_WEIGHTS[t])
const TAIL_MS = 10 * MINUTE

/** Builds traces; owns the running state that stories need (counters, prompts sent, cohorts). */
class TraceFactory {
  readonly stats = emptyStats()
  readonly prompts = new PromptLedger(this.stats)
  /** Per user, the model paths their emitted routed model calls were served by (1 economy, 2 premium). */
  readonly segmentsByUser = new Map<string, number>()
  readonly users = new Set<string>()
  private readonly supportPrompts = new Map<string, SystemPrompt>()
  private loopEligible = 0
  private loopCount = 0
  private workspaces = 0

  constructor(
    readonly plan: DemoPlan,
    private readonly loadAt: (at: number) => number,
  ) {}

  private promptFor(tenant: Tenant, at: number): SystemPrompt {
    const version = at >= this.plan.promptRollout.at ? this.plan.promptRollout.to : this.plan.promptRollout.from
    const key = `${tenant.id}@${version}`
    let prompt = this.supportPrompts.get(key)
    if (!prompt) this.supportPrompts.set(key, (prompt = supportPrompt(tenant, version)))
    return prompt
  }

  private context(rng: Rng, rec: TraceRecorder, at: number, tenant: Tenant, freshPrefix = false): CallContext {
    return {
      plan: this.plan,
      rng,
      rec,
      stats: this.stats,
      prompts: this.prompts,
      locale: tenant.locale,
      load: this.loadAt(at),
      cacheSeverity: cacheSeverity(this.plan, at),
      storm: inRetryStorm(this.plan, at),
      freshPrefix,
      cache: { warm: 0, model: '' },
    }
  }

  private counted(trace: BuiltTrace): BuiltTrace {
    this.stats.traces++
    this.stats.spans += trace.spans.length
    return trace
  }

  build(stream: Stream, at: number, rng: Rng): BuiltTrace {
    if (stream.kind === 'story') return this.counted(stream.trace)
    const plan = this.plan
    const rec = new TraceRecorder(rng, rng.hex(32))
    const scores: DemoScore[] = []
    let outcome: TraceOutcome
    let shared: Partial<DemoSpan>
    let environment = 'production'
    let judge: { evaluator: string; sample: number; runId?: string } | undefined

    if (stream.kind === 'support') {
      const { tenant } = stream.population
      const user = pickUser(stream.population, at, rng)
      const segment = routeFor(plan, user, at, rng)
      this.users.add(user.id)
      const topic = rng.weighted(TOPIC_LIST, TOPIC_WEIGHT_LIST)
      let loop: { endsInError: boolean } | undefined
      if (tenant.id === plan.loopDeploy.tenant && topic === 'shipment_delay' && at >= plan.loopDeploy.at && this.loopEligible++ % 5 === 0) {
        loop = { endsInError: this.loopCount++ % 3 !== 2 }
      }
      outcome = supportTrace(this.context(rng, rec, at, tenant), { tenant, topic, segment, prompt: this.promptFor(tenant, at), at, loop })
      shared = { tenant_id: tenant.id, user_id: user.id, session_id: sessionId(user, at) }
      judge = { evaluator: 'llm-judge/gpt-4.1', sample: 0.25 }
    } else if (stream.kind === 'onboarding') {
      const tenant = tenantById(plan.cacheIncident.tenant)!
      const workspace = `${rng.pick(['lincoln', 'maple', 'riverside', 'oak-ridge', 'summit', 'harbor', 'cedar', 'west-valley'])}-${rng.pick(['academy', 'district', 'college', 'prep'])}-${++this.workspaces}`
      const prompt = onboardingPrompt(tenant, workspace, new Date(at).toISOString())
      this.stats.onboardingTraces++
      outcome = onboardingTrace(this.context(rng, rec, at, tenant, true), tenant, prompt, at, workspace)
      shared = { tenant_id: tenant.id, user_id: `${tenant.id}-admin-${workspace}`, session_id: `ses_onb_${workspace}` }
    } else if (stream.kind === 'bulk') {
      const tenant = tenantById(plan.retryStorm.tenant)!
      this.stats.bulkTraces++
      outcome = bulkTrace(this.context(rng, rec, at, tenant), this.promptFor(tenant, at), at)
      const day = new Date(plan.retryStorm.start).toISOString().slice(0, 10)
      shared = { tenant_id: tenant.id, user_id: `${tenant.id}-svc-bulk`, session_id: `ses_bulk_${day.replaceAll('-', '')}` }
    } else if (stream.kind === 'runaway') {
      const tenant = tenantById(plan.runaway.tenant)!
      this.stats.runawayTraces++
      outcome = runawayTrace(this.context(rng, rec, at, tenant), tenant, this.promptFor(tenant, at), at, stream.spans)
      shared = { tenant_id: tenant.id, user_id: `${tenant.id}-svc-reindex`, session_id: `ses_reindex_${rec.traceId.slice(0, 8)}` }
    } else {
      // Nightly eval run: golden cases replayed through the production agent, judged at once.
      const golden = TENANTS[stream.index % 3]
      const topic = TOPIC_LIST[stream.index % TOPIC_LIST.length]
      const segment: Segment = at >= plan.routingChange.at && stream.index % 2 === 1 ? 'premium' : 'economy'
      this.stats.evalTraces++
      const ctx = this.context(rng, rec, at, golden)
      ctx.locale = 'en'
      outcome = supportTrace(ctx, { tenant: golden, topic, segment, prompt: this.promptFor(golden, at), at })
      shared = { tenant_id: EVAL_TENANT, user_id: 'eval-runner', session_id: `ses_${stream.run.id}`, eval_run_id: stream.run.id }
      environment = 'eval'
      judge = { evaluator: 'llm-judge/gpt-4.1', sample: 1, runId: stream.run.id }
    }
    shared.resource = { 'service.name': PRODUCT.service, 'service.version': PRODUCT.serviceVersion, 'deployment.environment': environment }

    // The week ends now: a trace that would finish in the future is moved back to end before it.
    const delta = outcome.end > plan.end - 1 ? plan.end - 1 - outcome.end : 0
    const spans = rec.finish(delta, shared)
    for (const span of spans) {
      if (span.kind !== 'llm' || !span.route_segment || span.eval_run_id || !span.user_id) continue
      this.segmentsByUser.set(span.user_id, (this.segmentsByUser.get(span.user_id) ?? 0) | (span.route_segment === 'economy' ? 1 : 2))
    }
    const end = outcome.end + delta
    const rootId = rec.root.span.span_id
    const traceId = rec.traceId

    if (judge && !outcome.blocked && rng.chance(judge.sample)) {
      const value = quality(outcome, this.loadAt(at), rng)
      const when = (delayMs: number) => isoMicros(Math.min(plan.end - 1, end + delayMs))
      if (judge.runId) {
        scores.push(
          { id: `sc_${rng.hex(24)}`, trace_id: traceId, span_id: rootId, name: 'correctness', value: clamp01(value + rng.normal(0.02, 0.05)), source: 'eval', evaluator: judge.evaluator, run_id: judge.runId, timestamp: when(rng.range(2_000, 20_000)) },
          { id: `sc_${rng.hex(24)}`, trace_id: traceId, span_id: rootId, name: 'helpfulness', value, source: 'eval', evaluator: judge.evaluator, run_id: judge.runId, timestamp: when(rng.range(2_000, 20_000)) },
        )
      } else {
        scores.push({
          id: `sc_${rng.hex(24)}`,
          trace_id: traceId,
          span_id: rootId,
          name: 'helpfulness',
          value,
          source: 'judge',
          evaluator: judge.evaluator,
          comment: value < 0.5 ? 'The reply does not resolve the customer question.' : undefined,
          timestamp: when(rng.range(30_000, 360_000)),
        })
      }
    }
    if (stream.kind === 'support' && !outcome.blocked && rng.chance(0.03)) {
      const up = rng.chance(outcome.failed || outcome.refusal ? 0.15 : 0.8)
      scores.push({ id: `sc_${rng.hex(24)}`, trace_id: traceId, name: 'user_feedback', value: up ? 1 : 0, label: up ? 'thumbs_up' : 'thumbs_down', source: 'human', timestamp: isoMicros(Math.min(plan.end - 1, end + rng.range(5_000, 180_000))) })
    }
    this.stats.traces++
    this.stats.spans += spans.length
    this.stats.scores += scores.length
    return { start: at + delta, spans, scores }
  }
}

function clamp01(value: number): number {
  return Math.round(Math.max(0, Math.min(1, value)) * 100) / 100
}

/**
 * What a judge would score (0..1): the expensive path answers better; answers are worse under
 * peak load (more fallbacks, truncations), as the reranker's relevance sinks and when it drops the
 * retriever's best documents; refusals,
 * failures and invalid outputs score low.
 */
function quality(outcome: TraceOutcome, load: number, rng: Rng): number {
  if (outcome.failed || outcome.schemaFailed) return clamp01(rng.range(0.05, 0.3))
  if (outcome.refusal) return clamp01(rng.range(0.15, 0.4))
  let q = outcome.segment === 'premium' ? 0.87 : 0.78
  if (outcome.fallback) q -= 0.04
  q -= 0.2 * load * load
  if (outcome.rerankTop !== undefined) q -= Math.max(0, 0.85 - outcome.rerankTop) * 0.3
  // Documents the reranker dropped from the retriever's best five are context the answer lacks
  // (the swapped-in lite reranker keeps about half of them).
  if (outcome.rerankKept !== undefined) q -= (1 - outcome.rerankKept) * 0.15
  return clamp01(q + rng.normal(0, 0.07))
}

interface Schedule {
  slots: number
  /** Relative traffic per minute, stories included. */
  weight: Float64Array
  /** The providers' load per minute, 0..1 (ordinary traffic only). */
  load: Float64Array
  total: number
  evalsBySlot: Map<number, { run: EvalRun; index: number; at: number }[]>
}

function tenantWeight(population: TenantPopulation, at: number): number {
  return normalisedShare(population.tenant) * activity(at, population.offset)
}

const ONBOARDING_BOOST = 3.5
const BULK_WEIGHT = 0.35

function streamWeights(plan: DemoPlan, populations: readonly TenantPopulation[], at: number): { streams: Stream[]; weights: number[] } {
  const streams: Stream[] = populations.map((population) => ({ kind: 'support', population }))
  const weights = populations.map((population) => tenantWeight(population, at))
  if (inOnboardingPush(plan, at)) {
    const culprit = populations.find((p) => p.tenant.id === plan.cacheIncident.tenant)!
    streams.push({ kind: 'onboarding' })
    weights.push(ONBOARDING_BOOST * normalisedShare(culprit.tenant) * Math.max(0.5, activity(at, culprit.offset)))
  }
  if (inRetryStorm(plan, at)) {
    streams.push({ kind: 'bulk' })
    weights.push(BULK_WEIGHT)
  }
  return { streams, weights }
}

function buildSchedule(plan: DemoPlan, populations: readonly TenantPopulation[]): Schedule {
  const slots = Math.round((plan.end - plan.start) / MINUTE)
  const weight = new Float64Array(slots)
  const load = new Float64Array(slots)
  let total = 0
  let maxBase = 0
  for (let i = 0; i < slots; i++) {
    const at = plan.start + i * MINUTE + MINUTE / 2
    let base = 0
    for (const population of populations) base += tenantWeight(population, at)
    load[i] = base
    if (base > maxBase) maxBase = base
    const { weights } = streamWeights(plan, populations, at)
    weight[i] = weights.reduce((s, w) => s + w, 0)
    total += weight[i]
  }
  for (let i = 0; i < slots; i++) load[i] /= maxBase
  const evalsBySlot = new Map<number, { run: EvalRun; index: number; at: number }[]>()
  for (const run of plan.evalRuns) {
    const spacing = Math.min(15_000, (60 * MINUTE) / run.cases)
    for (let index = 0; index < run.cases; index++) {
      const at = run.start + index * spacing
      const slot = Math.floor((at - plan.start) / MINUTE)
      if (slot < 0 || slot >= slots) continue
      let list = evalsBySlot.get(slot)
      if (!list) evalsBySlot.set(slot, (list = []))
      list.push({ run, index, at })
    }
  }
  return { slots, weight, load, total, evalsBySlot }
}

/** Average spans per trace, measured on a small throwaway sample so the total lands near the target. */
function pilotSpansPerTrace(plan: DemoPlan, populations: readonly TenantPopulation[], schedule: Schedule): number {
  const factory = new TraceFactory(plan, (at) => schedule.load[Math.min(schedule.slots - 1, Math.max(0, Math.floor((at - plan.start) / MINUTE)))])
  const rng = Rng.from(plan.seed, 'pilot')
  let spans = 0
  const samples = 160
  for (let i = 0; i < samples; i++) {
    const slot = Math.floor(rng.next() * schedule.slots)
    const at = plan.start + slot * MINUTE + rng.next() * MINUTE
    const { streams, weights } = streamWeights(plan, populations, at)
    spans += factory.build(rng.weighted(streams, weights), at, rng.fork(i)).spans.length
  }
  return spans / samples
}

/**
 * Generates the demo workload as batches of whole traces in time order (by trace start). The
 * generator's return value summarises what was planted. Deterministic for equal options
 * (give `end` explicitly to reproduce a run).
 */
export function* generateDemo(options: DemoOptions = {}): Generator<DemoBatch, DemoSummary, undefined> {
  const plan = planDemo(options)
  const populations = buildPopulation(plan)
  const schedule = buildSchedule(plan, populations)
  const loadAt = (at: number) => schedule.load[Math.min(schedule.slots - 1, Math.max(0, Math.floor((at - plan.start) / MINUTE)))]
  const factory = new TraceFactory(plan, loadAt)
  const perTrace = pilotSpansPerTrace(plan, populations, schedule)
  const tracesWanted = plan.spans / perTrace

  const runawaySlot = Math.floor((plan.runaway.at - plan.start) / MINUTE)
  const stories = plantedStoryTraces(plan)
  let batch: DemoBatch = { spans: [], scores: [], traces: 0 }
  const tail: BuiltTrace[] = []
  let carry = 0
  let cumulativeWeight = 0
  let emitted = 0

  const add = (trace: BuiltTrace) => {
    batch.spans.push(...trace.spans)
    batch.scores.push(...trace.scores)
    batch.traces++
    emitted += trace.spans.length
  }

  for (let slot = 0; slot < schedule.slots; slot++) {
    const slotStart = plan.start + slot * MINUTE
    const rng = Rng.from(plan.seed, 'slot', slotStart)
    cumulativeWeight += schedule.weight[slot]
    // Steer the running total towards the target: traces per minute follow the traffic
    // weights, corrected by how far the spans emitted so far are from the target.
    const target = plan.spans * (cumulativeWeight / schedule.total)
    const drift = emitted > 50 * perTrace ? Math.max(0.5, Math.min(2, (target - schedule.weight[slot] / schedule.total * plan.spans) / emitted)) : 1
    carry += tracesWanted * (schedule.weight[slot] / schedule.total) * drift
    const count = Math.floor(carry)
    carry -= count

    const planned: { at: number; stream: Stream }[] = []
    for (let i = 0; i < count; i++) {
      const at = slotStart + rng.next() * MINUTE
      const { streams, weights } = streamWeights(plan, populations, at)
      planned.push({ at, stream: rng.weighted(streams, weights) })
    }
    for (const e of schedule.evalsBySlot.get(slot) ?? []) planned.push({ at: e.at, stream: { kind: 'eval', run: e.run, index: e.index } })
    if (slot === runawaySlot) planned.push({ at: plan.runaway.at, stream: { kind: 'runaway', spans: plan.runaway.spans } })
    for (const trace of stories) if (Math.floor((trace.start - plan.start) / MINUTE) === slot) planned.push({ at: trace.start, stream: { kind: 'story', trace } })
    planned.sort((a, b) => a.at - b.at)

    for (let i = 0; i < planned.length; i++) {
      const trace = factory.build(planned[i].stream, planned[i].at, rng.fork(i))
      if (slotStart >= plan.end - TAIL_MS) {
        tail.push(trace)
        emitted += trace.spans.length
      } else {
        add(trace)
        if (batch.spans.length >= plan.batchSpans) {
          yield batch
          batch = { spans: [], scores: [], traces: 0 }
        }
      }
    }
  }
  // The last minutes: traces there may have been moved back to end by now, so sort them.
  tail.sort((a, b) => a.start - b.start)
  emitted -= tail.reduce((s, t) => s + t.spans.length, 0)
  for (const trace of tail) {
    add(trace)
    if (batch.spans.length >= plan.batchSpans) {
      yield batch
      batch = { spans: [], scores: [], traces: 0 }
    }
  }
  if (batch.spans.length > 0 || batch.scores.length > 0) yield batch

  let switchers = 0
  for (const mask of factory.segmentsByUser.values()) if (mask === 3) switchers++
  return { ...factory.stats, plan, switchers, users: factory.users.size }
}

/** Every batch of a (small) demo dataset in memory: for tests and fixtures. */
export function collectDemo(options: DemoOptions = {}): { spans: DemoSpan[]; scores: DemoScore[]; summary: DemoSummary } {
  const spans: DemoSpan[] = []
  const scores: DemoScore[] = []
  const generator = generateDemo(options)
  for (;;) {
    const next = generator.next()
    if (next.done) return { spans, scores, summary: next.value }
    spans.push(...next.value.spans)
    scores.push(...next.value.scores)
  }
}

/**
 * One very large trace (the runaway re-index job) of about `spans` spans, ending before `end`:
 * for benchmarks and tests of large-trace paths.
 */
export function generateLargeTrace(options: { seed?: number; spans?: number; end?: Date | number | string } = {}): DemoSpan[] {
  const spans = Math.max(20, Math.trunc(options.spans ?? 10_000))
  const plan = planDemo({ seed: options.seed, end: options.end, days: 1, spans: Math.max(100, spans) })
  const factory = new TraceFactory(plan, () => 0.3)
  const at = plan.end - Math.max(HOUR, spans * 150)
  return factory.build({ kind: 'runaway', spans }, at, Rng.from(plan.seed, 'large-trace', spans)).spans
}
