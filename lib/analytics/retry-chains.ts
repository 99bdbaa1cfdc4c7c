// The one definition of a *logical call* and of a *retry* (docs/analytics.md, "Logical calls and
// retries"), used by the retries and structured-output views and by the runaway detector.
//
// A logical call is a first attempt plus its retries. An attempt is linked to an earlier one:
//  - explicitly: `retry_of` (native, or `flightline.retry.of`) names the span it retries, which
//    joins that span's logical call; or `retry_attempt` > 0 (`flightline.retry.attempt`) without
//    `retry_of` joins the latest earlier sibling's call (same trace, parent and name);
//  - by inference: a sibling (same trace, parent and name) that starts after an earlier sibling
//    ended in failure - an error status, or a structured output that failed its schema - when
//    that failure is still the latest attempt of its call. That is what the AI SDK's `maxRetries` and most agent
//    frameworks produce. When several failed siblings are open, the one that ended last wins.
// A chain of such links is one logical call. Pure: no I/O, so it is tested on planted cases.

export interface AttemptLink {
  trace_id: string
  span_id: string
  parent_span_id: string
  name: string
  /** Start and end in microseconds since the epoch (exact in a double). */
  start_us: number
  end_us: number
  /** The attempt failed: error status, or schema_valid = false. */
  failed: boolean
  retry_attempt: number
  retry_of: string
}

/** How an attempt joined its logical call. */
export type LinkRule = 'first' | 'explicit' | 'inferred'

export interface LogicalCall<T extends AttemptLink> {
  /** Attempts in the order they started; the first is the first attempt. */
  attempts: T[]
  /** Per attempt, how it joined (the first attempt: 'first'). */
  rules: LinkRule[]
}

/** Which rules found a call's retries: none (one attempt), one of them, or both. */
export function foundBy(call: LogicalCall<AttemptLink>): 'none' | 'explicit' | 'inferred' | 'both' {
  const explicit = call.rules.includes('explicit')
  const inferred = call.rules.includes('inferred')
  return explicit && inferred ? 'both' : explicit ? 'explicit' : inferred ? 'inferred' : 'none'
}

interface Chain<T extends AttemptLink> {
  call: LogicalCall<T>
  /** The latest attempt that joined this call: a failure here is what an inferred retry continues. */
  last: T
}

const groupKey = (a: AttemptLink) => `${a.trace_id}\u0000${a.parent_span_id}\u0000${a.name}`

/** Groups attempts into logical calls; every attempt is in exactly one call. */
export function inferLogicalCalls<T extends AttemptLink>(attempts: readonly T[]): LogicalCall<T>[] {
  const ordered = [...attempts].sort((a, b) => a.start_us - b.start_us || (a.span_id < b.span_id ? -1 : a.span_id > b.span_id ? 1 : 0))
  const bySpan = new Map<string, Chain<T>>()
  const bySpanInTrace = new Map<string, Chain<T>>()
  const siblings = new Map<string, Chain<T>[]>()
  const calls: LogicalCall<T>[] = []

  for (const attempt of ordered) {
    const key = groupKey(attempt)
    let group = siblings.get(key)
    if (!group) siblings.set(key, (group = []))

    let chain: Chain<T> | undefined
    let rule: LinkRule = 'first'
    if (attempt.retry_of) {
      // Span ids are unique within a trace; a retry in another trace (a re-run job) may still
      // name the span it retries.
      chain = bySpanInTrace.get(`${attempt.trace_id}\u0000${attempt.retry_of}`) ?? bySpan.get(attempt.retry_of)
      if (chain) rule = 'explicit'
    } else if (attempt.retry_attempt > 0 && group.length > 0) {
      chain = group.reduce((latest, c) => (c.last.start_us >= latest.last.start_us ? c : latest))
      rule = 'explicit'
    }
    if (!chain) {
      let best: Chain<T> | undefined
      for (const open of group) {
        if (!open.last.failed || open.last.end_us > attempt.start_us) continue
        if (!best || open.last.end_us > best.last.end_us) best = open
      }
      if (best) {
        chain = best
        rule = 'inferred'
      }
    }
    if (chain) {
      chain.call.attempts.push(attempt)
      chain.call.rules.push(rule)
      chain.last = attempt
      // An attempt that joined a chain in another group (explicit link) is also its own group's
      // latest sibling, so an inferred retry of it continues the same call.
      if (!group.includes(chain)) group.push(chain)
    } else {
      chain = { call: { attempts: [attempt], rules: ['first'] }, last: attempt }
      calls.push(chain.call)
      group.push(chain)
    }
    bySpan.set(attempt.span_id, chain)
    bySpanInTrace.set(`${attempt.trace_id}\u0000${attempt.span_id}`, chain)
  }
  return calls
}
