// The three starting dashboards a team copies and then makes its own: on-call (errors and p95 by
// component), cost (by model, tenant and prompt version) and quality (scores by model and route
// segment). Plain widget lists, validated by the same schema as any dashboard.
import type { DashboardWidget } from '@/db/postgres/schema'

export interface DashboardTemplate {
  id: 'on-call' | 'cost' | 'quality'
  name: string
  description: string
  widgets: DashboardWidget[]
}

const HOUR = 3600

export const DASHBOARD_TEMPLATES: readonly DashboardTemplate[] = [
  {
    id: 'on-call',
    name: 'On-call',
    description: 'Errors and p95 latency by model, tool and retriever: which component broke.',
    widgets: [
      { title: 'Model calls', chart: 'number', query: { metric: 'count' }, layout: { x: 0, y: 0, w: 3, h: 2 } },
      { title: 'Error rate of model calls', chart: 'number', query: { metric: 'error_rate' }, layout: { x: 3, y: 0, w: 3, h: 2 } },
      { title: 'p95 latency of model calls', chart: 'number', query: { metric: 'p95_ms' }, layout: { x: 6, y: 0, w: 3, h: 2 } },
      { title: 'Cost', chart: 'number', query: { metric: 'cost_usd' }, layout: { x: 9, y: 0, w: 3, h: 2 } },
      { title: 'Error rate by model', chart: 'line', query: { metric: 'error_rate', group_by: 'model', bucket: HOUR, limit: 8 }, layout: { x: 0, y: 2, w: 6, h: 4 } },
      { title: 'p95 latency by model', chart: 'line', query: { metric: 'p95_ms', group_by: 'model', bucket: HOUR, limit: 8 }, layout: { x: 6, y: 2, w: 6, h: 4 } },
      { title: 'Tool errors by tool', chart: 'stacked', query: { metric: 'count', filters: { kind: 'tool', status: 'error' }, group_by: 'tool_name', bucket: HOUR, limit: 8 }, layout: { x: 0, y: 6, w: 6, h: 4 } },
      { title: 'p95 latency by tool', chart: 'bar', query: { metric: 'p95_ms', filters: { kind: 'tool' }, group_by: 'tool_name', limit: 10 }, layout: { x: 6, y: 6, w: 6, h: 4 } },
      { title: 'Retriever error rate', chart: 'table', query: { metric: 'error_rate', filters: { kind: 'retriever' }, group_by: 'name', limit: 20 }, layout: { x: 0, y: 10, w: 6, h: 4 } },
      { title: 'p95 latency by retriever', chart: 'table', query: { metric: 'p95_ms', filters: { kind: 'retriever' }, group_by: 'name', limit: 20 }, layout: { x: 6, y: 10, w: 6, h: 4 } },
    ],
  },
  {
    id: 'cost',
    name: 'Cost',
    description: 'Where the money goes: cost by model, tenant and prompt version, and the tokens behind it.',
    widgets: [
      { title: 'Cost', chart: 'number', query: { metric: 'cost_usd' }, layout: { x: 0, y: 0, w: 4, h: 2 } },
      { title: 'Input tokens', chart: 'number', query: { metric: 'input_tokens' }, layout: { x: 4, y: 0, w: 4, h: 2 } },
      { title: 'Cache hit rate', chart: 'number', query: { metric: 'cache_hit_rate' }, layout: { x: 8, y: 0, w: 4, h: 2 } },
      { title: 'Cost by model', chart: 'stacked', query: { metric: 'cost_usd', group_by: 'model', bucket: HOUR, limit: 8 }, layout: { x: 0, y: 2, w: 8, h: 4 } },
      { title: 'Cost by model (total)', chart: 'bar', query: { metric: 'cost_usd', group_by: 'model', limit: 10 }, layout: { x: 8, y: 2, w: 4, h: 4 } },
      { title: 'Cost by tenant', chart: 'table', query: { metric: 'cost_usd', group_by: 'tenant_id', limit: 20 }, layout: { x: 0, y: 6, w: 6, h: 4 } },
      { title: 'Cost by prompt version', chart: 'bar', query: { metric: 'cost_usd', group_by: 'prompt_version', limit: 10 }, layout: { x: 6, y: 6, w: 6, h: 4 } },
    ],
  },
  {
    id: 'quality',
    name: 'Quality',
    description: 'Evaluation scores by model and route segment, beside the error and cache hit rates.',
    widgets: [
      { title: 'Mean helpfulness score by model', chart: 'bar', query: { metric: 'score_mean', score_name: 'helpfulness', group_by: 'model', limit: 10 }, layout: { x: 0, y: 0, w: 6, h: 4 } },
      { title: 'Mean helpfulness score by route segment', chart: 'bar', query: { metric: 'score_mean', score_name: 'helpfulness', group_by: 'route_segment', limit: 10 }, layout: { x: 6, y: 0, w: 6, h: 4 } },
      { title: 'Mean helpfulness score over time', chart: 'line', query: { metric: 'score_mean', score_name: 'helpfulness', group_by: 'model', bucket: 6 * HOUR, limit: 6 }, layout: { x: 0, y: 4, w: 12, h: 4 } },
      { title: 'Error rate by route segment', chart: 'table', query: { metric: 'error_rate', group_by: 'route_segment', limit: 20 }, layout: { x: 0, y: 8, w: 6, h: 4 } },
      { title: 'Cache hit rate by model', chart: 'table', query: { metric: 'cache_hit_rate', group_by: 'model', limit: 20 }, layout: { x: 6, y: 8, w: 6, h: 4 } },
    ],
  },
]
