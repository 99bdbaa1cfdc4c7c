// The traces list's filters: URL parameters with the names of GET /api/v1/traces.
export const LIST_FILTER_PARAMS = ['q', 'tenant_id', 'user_id', 'session_id', 'model', 'kind', 'status', 'errors_only', 'has_cycle', 'min_cost'] as const
