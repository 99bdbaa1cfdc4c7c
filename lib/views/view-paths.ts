// Which project pages can be saved as views (and so shared): the trace list, one trace, a dashboard, and the
// analytics pages named here. One list for the save button and the saved-views API.
export const SAVEABLE_ANALYTICS = ['overview', 'cache', 'routing', 'diurnal', 'components', 'guardrails', 'rerankers', 'retries', 'structured-output', 'tokenizer', 'energy'] as const

/** A saveable page path; group 1 is the project id. */
export const VIEW_PATH = new RegExp(`^/projects/([A-Za-z0-9_-]+)/(traces(?:/[A-Za-z0-9._:-]{1,128})?|analytics/(?:${SAVEABLE_ANALYTICS.join('|')})|dashboards/[0-9a-f-]{36})$`)
