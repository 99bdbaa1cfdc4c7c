// Energy per task (GET /api/v1/analytics/energy and its page): an *estimate* of the energy of
// model calls, from the editable coefficient table (lib/energy/), per task (the `flightline.task`
// of a trace's root span, else the root span's name) and per serving model. For each call: uncached
// input x the input coefficient + cache reads x the cached-input coefficient + output x the
// output coefficient (Wh per 1,000 tokens). A model the table does not know (by exact name or
// prefix) takes the coefficients of the size class its name suggests.
import { z } from 'zod'
import { energyByTaskModel, type TaskModelRow } from '@/db/clickhouse/queries/analytics/energy'
import { listCoefficients } from '@/lib/energy/coefficient-table'
import { callEnergyWh, CLASS_COEFFICIENTS, findCoefficient, guessSizeClass, type EnergyCoefficient, type SizeClass } from '@/lib/energy/seed-coefficients'
import { rangeFields, refineRange } from './range-params'

export const energyInputSchema = z
  .object({ ...rangeFields })
  .strict()
  .transform((value, ctx) => refineRange(value, ctx) ?? z.NEVER)
export type EnergyInput = z.output<typeof energyInputSchema>

export interface UsedCoefficient {
  model: string
  wh_per_1k_input: number
  wh_per_1k_cached_input: number
  wh_per_1k_output: number
  /** Where the numbers came from: the table row that matched, or the size-class fallback. */
  source: { kind: 'table'; entry: string } | { kind: 'class'; size_class: SizeClass }
}

export interface TaskEnergy {
  task: string
  requests: number
  tokens: number
  energy_wh: number
  /** Traces of the task (with at least one model call). */
  tasks: number
  wh_per_task: number | null
  tokens_per_wh: number | null
  /** Cache reads / input tokens. */
  cache_share: number | null
}

export interface ModelEnergy {
  model: string
  requests: number
  tokens: number
  energy_wh: number
  tokens_per_wh: number | null
}

export interface EnergyAnswer {
  coefficients: UsedCoefficient[]
  tasks: TaskEnergy[]
  by_model: ModelEnergy[]
}

export interface EnergyReport extends EnergyAnswer {
  from: string
  to: string
}

/** The coefficients a model's calls are estimated with: the table's (exact or prefix), else its class's. */
export function coefficientFor(model: string, table: readonly EnergyCoefficient[]): UsedCoefficient {
  const row = findCoefficient(model, table)
  if (row) return { model, wh_per_1k_input: row.wh_per_1k_input, wh_per_1k_cached_input: row.wh_per_1k_cached_input, wh_per_1k_output: row.wh_per_1k_output, source: { kind: 'table', entry: row.model } }
  const sizeClass = guessSizeClass(model)
  return { model, ...CLASS_COEFFICIENTS[sizeClass], source: { kind: 'class', size_class: sizeClass } }
}

/** Sums energy per task and per model from the per-(task, model) token sums. Pure. */
export function energyOfTasks(rows: readonly TaskModelRow[], table: readonly EnergyCoefficient[]): EnergyAnswer {
  const used = new Map<string, UsedCoefficient>()
  const coefficientOf = (model: string) => {
    let coefficient = used.get(model)
    if (!coefficient) used.set(model, (coefficient = coefficientFor(model, table)))
    return coefficient
  }
  const tasks = new Map<string, TaskEnergy & { input: number; cached: number }>()
  const models = new Map<string, ModelEnergy>()
  const taskOf = (task: string) => {
    let entry = tasks.get(task)
    if (!entry) tasks.set(task, (entry = { task, requests: 0, tokens: 0, energy_wh: 0, tasks: 0, wh_per_task: null, tokens_per_wh: null, cache_share: null, input: 0, cached: 0 }))
    return entry
  }
  for (const row of rows) {
    const name = row.task || '(no root span)'
    if (Number(row.task_total) === 1) {
      taskOf(name).tasks += Number(row.traces)
      continue
    }
    const usage = { input_tokens: Number(row.input_tokens), cache_read_tokens: Number(row.cache_read_tokens), output_tokens: Number(row.output_tokens) }
    const requests = Number(row.requests)
    const tokens = usage.input_tokens + usage.output_tokens
    const energy = callEnergyWh(coefficientOf(row.model), usage)
    const task = taskOf(name)
    task.requests += requests
    task.tokens += tokens
    task.energy_wh += energy
    task.input += usage.input_tokens
    task.cached += usage.cache_read_tokens
    let model = models.get(row.model)
    if (!model) models.set(row.model, (model = { model: row.model, requests: 0, tokens: 0, energy_wh: 0, tokens_per_wh: null }))
    model.requests += requests
    model.tokens += tokens
    model.energy_wh += energy
  }
  return {
    coefficients: [...used.values()].sort((a, b) => a.model.localeCompare(b.model)),
    tasks: [...tasks.values()]
      .map(({ input, cached, ...task }) => ({
        ...task,
        wh_per_task: task.tasks > 0 ? task.energy_wh / task.tasks : null,
        tokens_per_wh: task.energy_wh > 0 ? task.tokens / task.energy_wh : null,
        cache_share: input > 0 ? cached / input : null,
      }))
      .sort((a, b) => b.energy_wh - a.energy_wh || a.task.localeCompare(b.task)),
    by_model: [...models.values()].map((m) => ({ ...m, tokens_per_wh: m.energy_wh > 0 ? m.tokens / m.energy_wh : null })).sort((a, b) => b.energy_wh - a.energy_wh || a.model.localeCompare(b.model)),
  }
}

export async function energyReport(projectId: string, input: EnergyInput): Promise<EnergyReport> {
  const [rows, table] = await Promise.all([energyByTaskModel(projectId, input), listCoefficients()])
  return { from: input.from.toISOString(), to: input.to.toISOString(), ...energyOfTasks(rows, table) }
}

export function energyAnswer(report: EnergyReport): EnergyAnswer {
  const { from: _from, to: _to, ...answer } = report
  return answer
}
