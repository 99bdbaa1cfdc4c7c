// Retention per project: a project may keep its data for fewer days than the instance does
// (FLIGHTLINE_RETENTION_DAYS, applied by the tables' partition TTL). Scheduled deletes remove
// what is older than the project's own limit from every table holding its data; the worker runs
// them hourly and right after a change.
import { z } from 'zod'
import { env } from '@/lib/config/env'
import { commandProject } from '@/db/clickhouse/query'
import { listProjects } from '@/lib/projects/projects'

/** Each table holding project data, and the time column its age is judged by. */
const AGED_TABLES: Record<string, string> = {
  spans: 'start_time',
  held_spans: 'start_time',
  span_parts: 'time',
  scores: 'timestamp',
  trace_stats: 'hour',
  trace_cycles: 'trace_start',
  sampling_decisions: 'decided_at',
  model_call_blocks: 'block',
  model_call_outcomes: 'block',
  model_call_user_days: 'day',
  model_call_first_seen: 'last_seen',
}

export function retentionSchema(maxDays: number) {
  return z
    .object({
      retention_days: z
        .number({ message: 'retention_days must be a whole number of days, or null for the instance default' })
        .int('retention_days must be a whole number of days')
        .min(1, 'retention_days must be at least 1')
        .max(maxDays, `retention_days must be at most ${maxDays} (the instance maximum, FLIGHTLINE_RETENTION_DAYS)`)
        .nullable(),
    })
    .strict()
}

/** The days a project keeps its data: its own setting, bounded by the instance maximum. */
export function effectiveRetentionDays(retentionDays: number | undefined): number {
  const max = env().FLIGHTLINE_RETENTION_DAYS
  return retentionDays === undefined ? max : Math.min(retentionDays, max)
}

/** Deletes the project's data older than its retention; a no-op at the instance maximum. */
export async function applyProjectRetention(projectId: string, retentionDays: number | undefined): Promise<void> {
  const days = effectiveRetentionDays(retentionDays)
  if (days >= env().FLIGHTLINE_RETENTION_DAYS) return
  const cutoff = new Date(Date.now() - days * 86_400_000).toISOString().replace('T', ' ').replace('Z', '')
  for (const [table, column] of Object.entries(AGED_TABLES)) {
    await commandProject({
      tag: `retention.${table}`,
      projectId,
      query: `DELETE FROM ${table} WHERE project_id = {project_id:String} AND ${column} < {cutoff:DateTime64(3, 'UTC')}`,
      params: { cutoff },
    })
  }
}

export async function applyRetentionToAll(): Promise<void> {
  for (const project of await listProjects()) await applyProjectRetention(project.id, project.settings.retentionDays)
}
