// Evaluation scores (POST /api/v1/scores): a judge, a human or code scoring a trace or a span.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { ScoreRow } from '@/db/clickhouse/rows'
import { dateToClickhouse, nanosToClickhouse } from '@/lib/time/nanos'
import { time } from './span-schema'

export type { ScoreRow }

const id = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 characters of letters, digits, ".", "_", ":" or "-"')

export const scoreInputSchema = z
  .object({
    id: id.optional(),
    trace_id: id,
    span_id: id.optional(),
    name: z.string().min(1, 'must not be empty').max(256),
    value: z.number({ message: 'must be a number' }).finite().nullable().optional(),
    label: z.string().max(256).optional(),
    source: z.string().min(1).max(64).default('code'),
    evaluator: z.string().max(256).optional(),
    run_id: z.string().max(256).optional(),
    comment: z.string().max(65_536).optional(),
    timestamp: time.optional(),
  })
  .strict()
  .refine((score) => (score.value !== undefined && score.value !== null) || (score.label !== undefined && score.label !== ''), {
    message: 'a score needs a numeric value, a label, or both',
    path: ['value'],
  })

export type ScoreInput = z.output<typeof scoreInputSchema>

export const scoresRequestSchema = z.object({ scores: z.array(z.unknown()) }, { message: 'body must be a JSON object {"scores": [...]}' })


export function toScoreRow(projectId: string, score: ScoreInput, now = new Date()): ScoreRow {
  const timestamp = score.timestamp !== undefined ? nanosToClickhouse(score.timestamp).slice(0, 23) : dateToClickhouse(now)
  // Without a client id, a score's identity is what it scores, who scored it, in which run, and
  // when (if the client said when), so re-sending the same score never counts twice.
  const scoreId =
    score.id ??
    createHash('sha256')
      .update([score.trace_id, score.span_id ?? '', score.name, score.source, score.evaluator ?? '', score.run_id ?? '', score.timestamp?.toString() ?? ''].join('\u0000'))
      .digest('hex')
      .slice(0, 32)
  return {
    project_id: projectId,
    score_id: scoreId,
    trace_id: score.trace_id,
    span_id: score.span_id ?? '',
    name: score.name,
    value: score.value ?? null,
    label: score.label ?? '',
    source: score.source,
    evaluator: score.evaluator ?? '',
    run_id: score.run_id ?? '',
    comment: score.comment ?? '',
    timestamp,
  }
}
