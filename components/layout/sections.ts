// The screens inside a project, in navigation order. Paths are part of the product (people paste
// them into incident channels): /projects/{project_id}/{path}.
export interface Section {
  path: string
  label: string
  /** Analytics screens are grouped under a label; 'after' sections come after them. */
  group?: 'Analytics' | 'after'
  /** The question an analytics screen belongs to, as the analytics bar groups them. */
  topic?: AnalyticsTopic
}

export const ANALYTICS_TOPICS = ['Health', 'Time', 'Money', 'Users'] as const
export type AnalyticsTopic = (typeof ANALYTICS_TOPICS)[number]

export const SECTIONS: readonly Section[] = [
  { path: 'traces', label: 'Traces' },
  { path: 'dashboards', label: 'Dashboards' },
  { path: 'incidents', label: 'Incidents' },
  { path: 'alerts', label: 'Alerts' },
  { path: 'analytics/overview', label: 'Overview', group: 'Analytics', topic: 'Health' },
  { path: 'analytics/cache', label: 'Cache', group: 'Analytics', topic: 'Money' },
  { path: 'analytics/routing', label: 'Routing', group: 'Analytics', topic: 'Users' },
  { path: 'analytics/diurnal', label: 'Diurnal', group: 'Analytics', topic: 'Time' },
  { path: 'analytics/components', label: 'Components', group: 'Analytics', topic: 'Health' },
  { path: 'analytics/guardrails', label: 'Guardrails', group: 'Analytics', topic: 'Time' },
  { path: 'analytics/rerankers', label: 'Rerankers', group: 'Analytics', topic: 'Time' },
  { path: 'analytics/retries', label: 'Retries', group: 'Analytics', topic: 'Money' },
  { path: 'analytics/structured-output', label: 'Structured output', group: 'Analytics', topic: 'Money' },
  { path: 'analytics/tokenizer', label: 'Tokenizer', group: 'Analytics', topic: 'Money' },
  { path: 'analytics/energy', label: 'Energy', group: 'Analytics', topic: 'Money' },
  { path: 'analytics/recorder', label: 'Recorder', group: 'Analytics', topic: 'Health' },
  { path: 'views', label: 'Saved views', group: 'after' },
  { path: 'recorder', label: 'Data policy', group: 'after' },
]

/** The section a pathname is in, e.g. `/projects/p_1/traces/abc` -> the Traces section. */
export function sectionOf(pathname: string): Section | undefined {
  const rest = pathname.split('/').slice(3).join('/')
  return SECTIONS.find((section) => rest === section.path || rest.startsWith(`${section.path}/`))
}
