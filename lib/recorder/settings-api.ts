// The recorder settings of a project as the API shows them: redaction rules, sampling policy
// (with what it kept and dropped per day), retention.
import { env } from '@/lib/config/env'
import { queryClickhouse } from '@/db/clickhouse/query'
import type { ProjectSettings } from '@/db/postgres/schema'
import { DETECTORS, REDACTION_FIELDS } from './redaction'
import { DEFAULT_POLICY, samplingOn } from './sampling-policy'
import { effectiveRetentionDays } from './retention'

export const RULE_CHANGE_NOTE = 'rules apply to data ingested from now on; data stored before the change is not rewritten'

export function redactionToApi(settings: ProjectSettings) {
  return {
    rules: settings.redaction?.rules ?? [],
    updated_at: settings.redaction?.updatedAt ?? null,
    detectors: DETECTORS,
    fields: REDACTION_FIELDS,
    note: RULE_CHANGE_NOTE,
  }
}

export interface SamplingDay {
  day: string
  kept_traces: number
  dropped_traces: number
  dropped_spans: number
}

/** Traces kept and dropped by sampling per day, the last `days` days. */
export async function samplingByDay(projectId: string, days = 14): Promise<SamplingDay[]> {
  const rows = await queryClickhouse<{ day: string; kept_traces: string; dropped_traces: string; dropped_spans: string }>({
    tag: 'sampling.by-day',
    projectId,
    query: `SELECT toString(toDate(decided_at)) AS day, countIf(kept) AS kept_traces, countIf(NOT kept) AS dropped_traces, sumIf(spans, NOT kept) AS dropped_spans
      FROM sampling_decisions FINAL
      WHERE project_id = {project_id:String} AND decided_at >= now() - INTERVAL {days:UInt32} DAY
      GROUP BY day ORDER BY day DESC`,
    params: { days },
  })
  return rows.map((r) => ({ day: r.day, kept_traces: Number(r.kept_traces), dropped_traces: Number(r.dropped_traces), dropped_spans: Number(r.dropped_spans) }))
}

export function samplingToApi(settings: ProjectSettings) {
  const { updatedAt, ...policy } = settings.sampling ?? { ...DEFAULT_POLICY, updatedAt: null }
  return {
    ...policy,
    enabled: samplingOn(settings.sampling),
    updated_at: updatedAt,
    window_seconds: env().FLIGHTLINE_SAMPLING_WINDOW_SECONDS,
    max_wait_seconds: env().FLIGHTLINE_SAMPLING_MAX_WAIT_SECONDS,
  }
}

export function retentionToApi(settings: ProjectSettings) {
  return {
    retention_days: effectiveRetentionDays(settings.retentionDays),
    project_setting: settings.retentionDays ?? null,
    instance_max_days: env().FLIGHTLINE_RETENTION_DAYS,
  }
}
