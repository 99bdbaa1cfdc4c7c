import { withProject } from '@/lib/auth/with-project'
import { DASHBOARD_TEMPLATES } from '@/lib/dashboards/templates'
import { jsonResponse } from '@/lib/http/errors'

export const dynamic = 'force-dynamic'

/** The starting dashboards: POST one's name and widgets to /api/v1/dashboards to copy it. */
export const GET = withProject('read', async () => jsonResponse({ templates: DASHBOARD_TEMPLATES }))
