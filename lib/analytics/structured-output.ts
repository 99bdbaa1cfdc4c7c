// Structured-output loops (GET /api/v1/analytics/structured-output and its page): first-try
// against eventual schema validity, the depth of re-prompt loops and what the loops cost.
// An object is a logical call (retry-chains.ts) with a schema validity on at least one attempt.
import { z } from 'zod'
import { currentPrices, type PriceOf } from './costs'
import { loadLogicalCalls, type Attempt, type SingleCalls } from './logical-calls'
import { rangeFields, refineRange } from './range-params'
import type { LogicalCall } from './retry-chains'

export const structuredOutputInputSchema = z
  .object({ ...rangeFields })
  .strict()
  .transform((value, ctx) => refineRange(value, ctx) ?? z.NEVER)
export type StructuredOutputInput = z.output<typeof structuredOutputInputSchema>

export interface ObjectStats {
  objects: number
  first_try_valid_rate: number | null
  eventual_valid_rate: number | null
  mean_attempts: number | null
  attempts_p95: number | null
  cost_per_valid_object_usd: number | null
  tokens_per_valid_object: number | null
  /** Cost of every attempt after the first / cost of all attempts of structured calls. */
  loop_cost_share: number | null
  cost_usd: number
}

export interface DepthRow {
  attempts: number
  objects: number
  /** Objects of this depth that ended valid. */
  valid: number
}

export interface StructuredOutputAnswer {
  overall: ObjectStats
  by_model: Array<{ model: string } & ObjectStats>
  by_schema: Array<{ schema: string } & ObjectStats>
  depth: DepthRow[]
}

export interface StructuredOutputReport extends StructuredOutputAnswer {
  from: string
  to: string
}

/** Running sums of objects; `objectStats` turns them into the answer's fields. */
export class ObjectTally {
  objects = 0
  firstValid = 0
  valid = 0
  attempts = 0
  cost = 0
  loopCost = 0
  tokens = 0
  readonly depth = new Map<number, { objects: number; valid: number }>()

  add(object: { attempts: number; firstValid: boolean; valid: boolean; cost: number; loopCost: number; tokens: number }, count = 1): void {
    this.objects += count
    this.firstValid += object.firstValid ? count : 0
    this.valid += object.valid ? count : 0
    this.attempts += object.attempts * count
    this.cost += object.cost
    this.loopCost += object.loopCost
    this.tokens += object.tokens
    const row = this.depth.get(object.attempts) ?? { objects: 0, valid: 0 }
    row.objects += count
    row.valid += object.valid ? count : 0
    this.depth.set(object.attempts, row)
  }

  depthRows(): DepthRow[] {
    return [...this.depth.entries()].sort((a, b) => a[0] - b[0]).map(([attempts, row]) => ({ attempts, ...row }))
  }

  stats(): ObjectStats {
    const n = this.objects
    return {
      objects: n,
      first_try_valid_rate: n > 0 ? this.firstValid / n : null,
      eventual_valid_rate: n > 0 ? this.valid / n : null,
      mean_attempts: n > 0 ? this.attempts / n : null,
      attempts_p95: n > 0 ? quantileOfDepths(this.depthRows(), 0.95) : null,
      cost_per_valid_object_usd: this.valid > 0 ? this.cost / this.valid : null,
      tokens_per_valid_object: this.valid > 0 ? this.tokens / this.valid : null,
      loop_cost_share: this.cost > 0 ? this.loopCost / this.cost : null,
      cost_usd: this.cost,
    }
  }
}

/** The smallest depth at or below which at least `q` of the objects lie (exact, from the histogram). */
export function quantileOfDepths(rows: readonly DepthRow[], q: number): number | null {
  const total = rows.reduce((sum, row) => sum + row.objects, 0)
  if (total === 0) return null
  let seen = 0
  for (const row of rows) {
    seen += row.objects
    if (seen >= q * total) return row.attempts
  }
  return rows[rows.length - 1].attempts
}

/** One object's facts from its logical call; undefined when no attempt carries a schema validity. */
export function objectOf(call: LogicalCall<Attempt>): { model: string; schema: string; attempts: number; firstValid: boolean; valid: boolean; cost: number; loopCost: number; tokens: number } | undefined {
  const checked = call.attempts.filter((a) => a.schema_valid !== null)
  if (checked.length === 0) return undefined
  const [first, ...rest] = call.attempts
  const loopCost = rest.reduce((sum, a) => sum + a.cost_usd, 0)
  return {
    model: first.model,
    schema: checked[0].schema || '(unnamed)',
    attempts: call.attempts.length,
    firstValid: first.schema_valid === true,
    valid: checked.some((a) => a.schema_valid === true),
    cost: first.cost_usd + loopCost,
    loopCost,
    tokens: call.attempts.reduce((sum, a) => sum + a.tokens, 0),
  }
}

/** Aggregates objects overall, per model and per schema. Pure. */
export function structuredOutputStats(chained: readonly LogicalCall<Attempt>[], singles: readonly SingleCalls[]): StructuredOutputAnswer {
  const overall = new ObjectTally()
  const byModel = new Map<string, ObjectTally>()
  const bySchema = new Map<string, ObjectTally>()
  const tallies = (model: string, schema: string) => {
    if (!byModel.has(model)) byModel.set(model, new ObjectTally())
    if (!bySchema.has(schema)) bySchema.set(schema, new ObjectTally())
    return [overall, byModel.get(model)!, bySchema.get(schema)!]
  }
  for (const single of singles) {
    if (!single.structured || single.calls === 0) continue
    // Calls outside the candidate traces did not fail (schema_valid = false makes a trace a
    // candidate), so each one is an object valid at its first try.
    for (const tally of tallies(single.model, single.schema || '(unnamed)')) {
      tally.add({ attempts: 1, firstValid: true, valid: true, cost: single.cost_usd, loopCost: 0, tokens: single.tokens }, single.calls)
    }
  }
  for (const call of chained) {
    const object = objectOf(call)
    if (!object) continue
    for (const tally of tallies(object.model, object.schema)) tally.add(object)
  }
  const list = <K extends string>(map: Map<string, ObjectTally>, key: K) =>
    [...map.entries()].map(([name, tally]) => ({ [key]: name, ...tally.stats() }) as { [P in K]: string } & ObjectStats).sort((a, b) => b.objects - a.objects || a[key].localeCompare(b[key]))
  return { overall: overall.stats(), by_model: list(byModel, 'model'), by_schema: list(bySchema, 'schema'), depth: overall.depthRows() }
}

export async function structuredOutputReport(projectId: string, input: StructuredOutputInput, priceOf?: PriceOf): Promise<StructuredOutputReport> {
  const { chained, singles } = await loadLogicalCalls(projectId, input, priceOf ?? (await currentPrices()))
  return { from: input.from.toISOString(), to: input.to.toISOString(), ...structuredOutputStats(chained, singles) }
}

export function structuredOutputAnswer(report: StructuredOutputReport): StructuredOutputAnswer {
  const { from: _from, to: _to, ...answer } = report
  return answer
}
