// Sends a `monitor.test` notification to every channel of the monitor now and answers with what
// each channel said; a failed test is retried like any delivery and shown on the monitor.
import { withProject } from '@/lib/auth/with-project'
import { badRequest, jsonResponse, notFound } from '@/lib/http/errors'
import { getMonitor } from '@/lib/monitors/monitors'
import { deliverNow, queueNotification } from '@/lib/monitors/notifications'

export const dynamic = 'force-dynamic'

export const POST = withProject<{ monitorId: string }>('write', async ({ projectId, params }) => {
  const monitor = await getMonitor(projectId, params.monitorId)
  if (!monitor) throw notFound(`monitor ${params.monitorId} not found in this project`)
  if (monitor.channels.length === 0) throw badRequest('this monitor has no channels to test; add a webhook channel first')
  const results = await deliverNow(await queueNotification(monitor, 'monitor.test', null))
  return jsonResponse({ deliveries: results })
})
