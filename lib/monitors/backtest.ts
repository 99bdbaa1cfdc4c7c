// Would a monitor have fired? Evaluates a monitor type with its params at every `every_s` over a
// past range, as the evaluator would have at those moments, without recording or paging anything
// (POST /api/v1/monitors/backtest; docs/monitors.md). Evaluations run one after another: each is
// the same queries as one live evaluation.
import { z } from 'zod'
import { rangeFields, refineRange } from '@/lib/analytics/range-params'
import { evaluateMonitor, parseParams, type MonitorType } from './monitor-types'
import { monitorFields } from './monitors'

export const MAX_BACKTEST_EVALUATIONS = 200

export const backtestSchema = z
  .object({
    type: monitorFields.type,
    params: monitorFields.params.default({}),
    ...rangeFields,
    every_s: z.number({ message: 'must be a number of seconds' }).int('must be a whole number of seconds').min(60, 'must be at least 60').max(86_400, 'must be at most 86400 (a day)').default(3600),
  })
  .strict()
  .transform((value, ctx) => {
    const range = refineRange(value, ctx)
    if (!range) return z.NEVER
    const parsed = parseParams(value.type, value.params)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['params', ...issue.path.map(String)], message: issue.message })
      return z.NEVER
    }
    const evaluations = Math.floor((range.to.getTime() - range.from.getTime()) / (value.every_s * 1000))
    if (evaluations < 1) {
      ctx.addIssue({ code: 'custom', path: ['every_s'], message: 'the range holds no evaluation: make it longer than every_s' })
      return z.NEVER
    }
    if (evaluations > MAX_BACKTEST_EVALUATIONS) {
      ctx.addIssue({ code: 'custom', path: ['every_s'], message: `the range holds ${evaluations} evaluations at this step, more than ${MAX_BACKTEST_EVALUATIONS}: use a larger every_s or a shorter range` })
      return z.NEVER
    }
    return { type: value.type, params: parsed.data, from: range.from, to: range.to, everySeconds: value.every_s, evaluations }
  })
export type BacktestInput = z.output<typeof backtestSchema>

export interface BacktestFinding {
  at: string
  firing: boolean
  value: number | null
  threshold: number | null
  summary: string
  suspect: Record<string, string>
  since: string
}

export interface BacktestAnswer {
  type: MonitorType
  params: Record<string, unknown>
  from: string
  to: string
  every_s: number
  evaluations: number
  /** Evaluations that fired. */
  fired: number
  /** Every evaluation, oldest first (at: the moment it evaluated, the end of each step). */
  findings: BacktestFinding[]
}

export async function backtest(projectId: string, input: BacktestInput): Promise<BacktestAnswer> {
  const findings: BacktestFinding[] = []
  for (let i = 1; i <= input.evaluations; i++) {
    const at = new Date(input.from.getTime() + i * input.everySeconds * 1000)
    const finding = await evaluateMonitor(input.type, projectId, input.params, at)
    findings.push({
      at: at.toISOString(),
      firing: finding.firing,
      value: finding.value,
      threshold: finding.threshold,
      summary: finding.summary,
      suspect: { ...finding.suspect } as Record<string, string>,
      since: finding.since.toISOString(),
    })
  }
  return {
    type: input.type,
    params: input.params,
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    every_s: input.everySeconds,
    evaluations: findings.length,
    fired: findings.filter((f) => f.firing).length,
    findings,
  }
}
