// Detector precision end to end: the seeded quiet week (tests/fixtures/quiet-week.ts) goes to a
// fresh project through the ingest API - most spans on time, the late ones after the rollups
// have folded the rest, as a collector that caught up would send them - and the cache view
// reports no incident at 5-minute, 15-minute and hourly buckets, before and after the late data
// arrived; the components, rerankers and retries views raise no status, change or runaway. The
// same week with a planted thrash, in another project, has it found at every bucket size.
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { DAY, HOUR, MINUTE, QUIET_FACTS, quietWeek, type QuietSpan, type QuietWeek } from '../fixtures/quiet-week'
import { createProject, type FlightlineClient } from '../harness'

const baseUrl = inject('baseUrl')

/** The latest Monday 00:00 UTC whose week ended at least an hour ago. */
function lastWholeWeek(now: number): number {
  const day = Math.floor((now - 7 * DAY - HOUR) / DAY) * DAY
  const weekday = (new Date(day).getUTCDay() + 6) % 7
  return day - weekday * DAY
}

/**
 * Sends the spans in batches, riding out a shed request (503) or a connection the busy server
 * dropped as an exporter would: a re-sent span is stored once.
 */
async function send(client: FlightlineClient, spans: QuietSpan[]) {
  for (let i = 0; i < spans.length; i += 1000) {
    const batch = spans.slice(i, i + 1000)
    for (let attempt = 1; ; attempt++) {
      const response = await client.sendSpans(batch).catch((error: Error) => ({ status: 0, json: { error: String(error.cause ?? error) } }))
      if (response.status === 200) break
      if (attempt === 5 || (response.status !== 0 && response.status !== 503)) expect(response.status, JSON.stringify(response.json)).toBe(200)
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt))
    }
  }
}

async function sendScores(client: FlightlineClient, scores: QuietWeek['scores']) {
  for (let i = 0; i < scores.length; i += 1000) {
    const response = await client.sendScores(scores.slice(i, i + 1000))
    expect(response.status, JSON.stringify(response.json)).toBe(200)
  }
}

/** How a monitor type with these params would have answered over a range (POST /api/v1/monitors/backtest). */
async function backtest(client: FlightlineClient, type: string, params: Record<string, unknown>, from: number, to: number, everySeconds: number) {
  const { status, json } = await client.request('POST', '/api/v1/monitors/backtest', { type, params, from: iso(from), to: iso(to), every_s: everySeconds })
  expect(status, JSON.stringify(json)).toBe(200)
  return json as { evaluations: number; fired: number; findings: Array<{ at: string; firing: boolean; summary: string; suspect: Record<string, string>; value: number | null }> }
}

/** The monitors that compare a window with a baseline or a threshold, with their defaults and a few common settings. */
const JUDGED_MONITORS: Array<[string, Record<string, unknown>]> = [
  ['error_spike', {}],
  ['error_spike', { baseline_multiple: 3 }],
  ['error_spike', { component_kind: 'tool', baseline_multiple: 2 }],
  ['error_spike', { threshold: 0.05 }],
  ['cost', {}],
  ['cost', { per: 'tenant' }],
  ['cost', { measure: 'retry_cost' }],
  ['score_drop', {}],
  ['score_drop', { threshold: 0.75 }],
  ['latency', {}],
  ['metric', {}],
]

/** Waits until the rollup refresher has folded every span ingested so far. */
async function rollupsCaughtUp(since: number) {
  const deadline = Date.now() + 120_000
  for (;;) {
    const health = await (await fetch(`${baseUrl}/api/health`)).json()
    if (health.rollups && Date.parse(health.rollups.watermark) >= since) return
    if (Date.now() > deadline) throw new Error(`rollups did not catch up: ${JSON.stringify(health.rollups)}`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

const iso = (ms: number) => new Date(ms).toISOString()

// Both weeks are generated before any request: a pause of seconds on the client (the generation
// is synchronous) lets the server close an idle connection under the next request.
const WEEK_START = lastWholeWeek(Date.now())
const THRASH_ONSET = WEEK_START + 2 * DAY + 10 * HOUR
const QUIET_WEEK = quietWeek({ seed: 19, tokensPerCall: 330, start: WEEK_START })
const PLANTED_WEEK = quietWeek({ seed: 19, tokensPerCall: 330, start: WEEK_START, plant: { cacheThrash: { at: THRASH_ONSET - WEEK_START, hours: 2, tenant: 'umbrella' } } })
// The same week again with three more things for the monitors to find: the judge's scores fall on
// the Thursday morning, and kb.search starts timing out on the Friday morning.
const SCORE_DROP = WEEK_START + 3 * DAY + 10 * HOUR
const OUTAGE = WEEK_START + 4 * DAY + 10 * HOUR
const MONITORED_WEEK = quietWeek({
  seed: 19,
  tokensPerCall: 330,
  start: WEEK_START,
  plant: { cacheThrash: { at: THRASH_ONSET - WEEK_START, hours: 2, tenant: 'umbrella' }, scoreDrop: { at: SCORE_DROP - WEEK_START, hours: 3 }, outage: { at: OUTAGE - WEEK_START } },
})

/** Ranges that cover the week at a bucket size within the 2,000-bucket limit. */
function ranges(week: QuietWeek, bucketSeconds: number): Array<{ from: string; to: string }> {
  if (bucketSeconds >= 900) return [{ from: iso(week.start), to: iso(week.end) }]
  return [
    { from: iso(week.start), to: iso(week.start + 4 * DAY) },
    { from: iso(week.start + 3 * DAY), to: iso(week.end) },
  ]
}

describe('a quiet week sent over HTTP', () => {
  let client: FlightlineClient
  let week: QuietWeek
  const get = (path: string, query: Record<string, string>) => client.request('GET', `${path}?${new URLSearchParams(query)}`)

  async function cacheIncidents(bucket: number) {
    const found: unknown[] = []
    let requests = 0
    for (const range of ranges(week, bucket)) {
      const { status, json } = await get('/api/v1/analytics/cache', { ...range, bucket: String(bucket) })
      expect(status, JSON.stringify(json)).toBe(200)
      expect(json.bucket_seconds).toBe(bucket)
      requests += json.overall.reduce((sum: number, p: { requests: number }) => sum + p.requests, 0)
      found.push(...json.incidents)
    }
    return { found, requests }
  }

  beforeAll(async () => {
    week = QUIET_WEEK
    client = (await createProject(baseUrl, 'quiet-week')).client
    // Everything that arrived within a minute of its end goes first; the late spans after the
    // rollups have folded the rest (their blocks are then older than the refresher's watermark).
    const onTime = week.arrivals.filter((a) => a.arrives - Date.parse(a.span.end_time) < MINUTE).map((a) => a.span)
    const late = week.arrivals.filter((a) => a.arrives - Date.parse(a.span.end_time) >= MINUTE).map((a) => a.span)
    expect(late.length).toBeGreaterThan(500)
    await send(client, onTime)
    await rollupsCaughtUp(Date.now())
    for (const bucket of [300, 900, 3600]) expect((await cacheIncidents(bucket)).found, `bucket ${bucket} before the late spans`).toEqual([])
    await send(client, late)
    await sendScores(client, week.scores)
  }, 600_000)

  it('the cache view reports no incident at bucket=300, 900 and 3600', async () => {
    const modelCalls = week.arrivals.filter((a) => a.span.kind === 'llm').length
    for (const bucket of [300, 900, 3600]) {
      const { found, requests } = await cacheIncidents(bucket)
      expect(found, `bucket ${bucket}`).toEqual([])
      // Every model call counted (the 5-minute ranges overlap by a day).
      if (bucket >= 900) expect(requests).toBe(modelCalls)
    }
    // The Sunday afternoon with the 40 tiny uncached calls, at 15-minute buckets, on its own.
    const sunday = week.start + QUIET_FACTS.tinyBurst.at
    const { json } = await get('/api/v1/analytics/cache', { from: iso(sunday - 6 * HOUR), to: iso(sunday + 3 * HOUR), bucket: '900' })
    const burstBucket = json.overall.find((p: { t: string }) => p.t === iso(sunday))
    expect(burstBucket.requests).toBeGreaterThan(30)
    expect(json.incidents).toEqual([])
  }, 300_000)

  it('the components, rerankers and retries views raise nothing', async () => {
    for (const bucket of ['300', '900', '3600']) {
      for (let day = 1; day < 7; day++) {
        const { status, json } = await get('/api/v1/analytics/components', { from: iso(week.start + day * DAY), to: iso(week.start + (day + 1) * DAY), bucket })
        expect(status, JSON.stringify(json)).toBe(200)
        expect(json.components.length).toBeGreaterThan(5)
        const raised = json.components.filter((c: { status: string }) => c.status !== 'ok').map((c: object) => JSON.stringify(c))
        expect(raised, `day ${day}, bucket ${bucket}`).toEqual([])
        expect(json.suspects).toEqual([])
      }
      for (const range of ranges(week, Number(bucket))) {
        const { status, json } = await get('/api/v1/analytics/rerankers', { ...range, bucket })
        expect(status, JSON.stringify(json)).toBe(200)
        expect(json.rerankers.length).toBeGreaterThan(0)
        expect(json.changes, `bucket ${bucket}`).toEqual([])
      }
    }
    const { status, json } = await get('/api/v1/analytics/retries', { from: iso(week.start), to: iso(week.end) })
    expect(status, JSON.stringify(json)).toBe(200)
    expect(json.totals.retried_calls).toBeGreaterThan(100)
    expect(json.runaways).toEqual([])
  }, 300_000)

  it('the monitors that compare with a baseline or a threshold never fire, evaluated every two hours of the week', async () => {
    // From the second day (the first is every baseline's), as the evaluator would have at each moment.
    const results = await Promise.all(JUDGED_MONITORS.map(([type, params]) => backtest(client, type, params, week.start + DAY, week.end, 7200)))
    for (const [i, [type, params]] of JUDGED_MONITORS.entries()) {
      const result = results[i]
      expect(result.evaluations).toBe(72)
      const fired = result.findings.filter((f) => f.firing).map((f) => `${f.at}: ${f.summary}`)
      expect(fired, `${type} ${JSON.stringify(params)}`).toEqual([])
    }
    // They looked at real numbers: the judge's scores and the spend were there to compare.
    const scoreSummaries = results[JUDGED_MONITORS.findIndex(([type]) => type === 'score_drop')].findings.map((f) => f.summary)
    // (Nights and weekends hold fewer than the 10 scores judged.)
    expect(scoreSummaries.filter((summary) => /^mean helpfulness 0\.\d{3} over \d+ scores \(floor/.test(summary)).length).toBeGreaterThan(30)
    const spend = results[JUDGED_MONITORS.findIndex(([type, params]) => type === 'cost' && params.per === 'tenant')].findings
    expect(spend.filter((f) => (f.value ?? 0) > 0).length).toBeGreaterThan(60)
  }, 600_000)
})

describe('the same week with a planted thrash, sent over HTTP', () => {
  it('finds it at its time, naming its culprit, at bucket=300, 900 and 3600', async () => {
    const week = PLANTED_WEEK
    const onset = THRASH_ONSET
    const project = await createProject(baseUrl, 'planted-week')
    await send(project.client, week.arrivals.filter((a) => a.span.kind === 'llm').map((a) => a.span))
    for (const bucket of [300, 900, 3600]) {
      const range = bucket >= 900 ? { from: iso(week.start), to: iso(week.end) } : { from: iso(week.start), to: iso(week.start + 4 * DAY) }
      const { status, json } = await project.client.request('GET', `/api/v1/analytics/cache?${new URLSearchParams({ ...range, bucket: String(bucket) })}`)
      expect(status).toBe(200)
      expect(json.incidents, `bucket ${bucket}`).toHaveLength(1)
      const [incident] = json.incidents
      expect(Math.abs(Date.parse(incident.start) - onset), `bucket ${bucket}`).toBeLessThanOrEqual(bucket * 1000)
      expect(Math.abs(Date.parse(incident.end) - (onset + 2 * HOUR)), `bucket ${bucket}`).toBeLessThanOrEqual(2 * bucket * 1000)
      expect(incident.suspect_tenant_id).toBe('umbrella')
      expect(incident.evidence.p_value).toBeLessThan(incident.evidence.alpha)
      expect(incident.extra_cost_usd).toBeGreaterThan(json.min_extra_cost_usd)
    }
  }, 300_000)

  it('the same monitors find what was planted, at its time, naming the culprit', async () => {
    const week = MONITORED_WEEK
    const { client } = await createProject(baseUrl, 'monitored-week')
    await send(client, week.arrivals.map((a) => a.span))
    await sendScores(client, week.scores)
    const firstFiring = async (type: string, params: Record<string, unknown>, onset: number) => {
      const result = await backtest(client, type, params, onset - 2 * HOUR, onset + 3 * HOUR, 900)
      const before = result.findings.filter((f) => f.firing && Date.parse(f.at) <= onset)
      expect(before.map((f) => `${f.at}: ${f.summary}`), `${type} ${JSON.stringify(params)} before the onset`).toEqual([])
      const first = result.findings.find((f) => f.firing)
      expect(first, `${type} ${JSON.stringify(params)} never fired: ${result.findings.map((f) => f.summary).join(' | ')}`).toBeDefined()
      return { ...first!, after: Date.parse(first!.at) - onset }
    }
    // The outage: the component view's status, and a baseline multiple of the tool's error rate.
    for (const params of [{}, { baseline_multiple: 3 }, { component_kind: 'tool', baseline_multiple: 2 }]) {
      const found = await firstFiring('error_spike', params, OUTAGE)
      expect(found.suspect, JSON.stringify(params)).toEqual({ component: 'kb.search', component_kind: 'tool' })
      expect(found.after, JSON.stringify(params)).toBeLessThanOrEqual(HOUR)
    }
    // The thrash: the culprit's spend per hour, three times its traffic and no cache hits, in the first complete hour.
    const spend = await firstFiring('cost', { per: 'tenant' }, THRASH_ONSET)
    expect(spend.suspect).toEqual({ tenant: 'umbrella' })
    expect(spend.after).toBeLessThanOrEqual(HOUR + 15 * MINUTE)
    // The judge's scores: the first hour of the drop.
    const scores = await firstFiring('score_drop', {}, SCORE_DROP)
    expect(scores.summary).toMatch(/^mean helpfulness 0\.[56]\d\d over \d+ scores \(floor 0\.\d+, baseline 0\.7\d+; p /)
    expect(scores.value).toBeLessThan(0.7)
    expect(scores.after).toBeLessThanOrEqual(HOUR + 15 * MINUTE)
  }, 600_000)
})
