// The screens inside a project, in navigation order. Paths are part of the product (people paste
// them into incident channels): /projects/{project_id}/{path}.
export interface Section {
  path: string
  label: string
  /** Analytics screens are grouped under a label; 'after' sections come after them. */
  group?: 'Analytics' | 'after'
}

export const SECTIONS: readonly Section[] = [
  { path: 'traces', label: 'Traces' },
  { path: 'incidents', label: 'Incidents' },
  { path: 'alerts', label: 'Alerts' },
  { path: 'analytics/overview', label: 'Overview', group: 'Analytics' },
  { path: 'analytics/cache', label: 'Cache', group: 'Analytics' },
  { path: 'analytics/routing', label: 'Routing', group: 'Analytics' },
  { path: 'analytics/diurnal', label: 'Diurnal', group: 'Analytics' },
  { path: 'analytics/components', label: 'Components', group: 'Analytics' },
  { path: 'analytics/guardrails', label: 'Guardrails', group: 'Analytics' },
  { path: 'analytics/rerankers', label: 'Rerankers', group: 'Analytics' },
  { path: 'analytics/retries', label: 'Retries', group: 'Analytics' },
  { path: 'analytics/structured-output', label: 'Structured output', group: 'Analytics' },
  { path: 'analytics/tokenizer', label: 'Tokenizer', group: 'Analytics' },
  { path: 'analytics/energy', label: 'Energy', group: 'Analytics' },
  { path: 'views', label: 'Saved views', group: 'after' },
]

/** The section a pathname is in, e.g. `/projects/p_1/traces/abc` -> the Traces section. */
export function sectionOf(pathname: string): Section | undefined {
  const rest = pathname.split('/').slice(3).join('/')
  return SECTIONS.find((section) => rest === section.path || rest.startsWith(`${section.path}/`))
}
