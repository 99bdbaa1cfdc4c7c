// Where each planted story of the demo week can be seen: a short guide shown when the demo data
// has loaded, with links that open the right page on the story's own time window.
import { planDemo } from './plan'

export interface GuideEntry {
  title: string
  what: string
  href: string
}

const HOUR = 3_600_000
const iso = (ms: number) => new Date(ms).toISOString()

export function demoGuide(projectId: string, job: { seed: number; days: number; spans_planned: number; range_end: string }): GuideEntry[] {
  const plan = planDemo({ seed: job.seed, days: job.days, spans: job.spans_planned, end: job.range_end })
  const page = (path: string, params: Record<string, string>) => `/projects/${projectId}/${path}?${new URLSearchParams(params)}`
  const window = (from: number, to: number) => ({ from: iso(Math.max(plan.start, from)), to: iso(Math.min(plan.end, to)) })
  const entries: GuideEntry[] = [
    {
      title: 'A tool that re-enters itself',
      what: `${plan.loopDeploy.tool} calls the model, which calls ${plan.loopDeploy.formatter}, which calls ${plan.loopDeploy.tool} again, ${plan.loopDeploy.recursionLimit} levels deep (${plan.loopDeploy.tenant}). Open one and the Graph tab.`,
      href: page('traces', { has_cycle: 'true', tenant_id: plan.loopDeploy.tenant, ...window(plan.loopDeploy.at, plan.end) }),
    },
    {
      title: 'A cache-thrash incident',
      what: `${plan.cacheIncident.tenant}'s onboarding push evicts everyone's prompt-cache prefixes; the organisation's hit rate falls.`,
      href: page('analytics/cache', window(plan.cacheIncident.onset - 12 * HOUR, plan.cacheIncident.recovered + 12 * HOUR)),
    },
    {
      title: 'A retry storm',
      what: `${plan.retryStorm.tenant}'s bulk job meets the rate limit; calls are retried again and again (attempt n of m in the tree).`,
      href: page('traces', { errors_only: 'true', ...window(plan.retryStorm.start - HOUR / 2, plan.retryStorm.end + HOUR / 2) }),
    },
    {
      title: 'A routing change',
      what: 'Some users start getting the expensive model path: their cost and latency change with it.',
      href: page('analytics/routing', window(plan.routingChange.at - 2 * 24 * HOUR, plan.routingChange.at + 2 * 24 * HOUR)),
    },
    {
      title: 'A runaway re-index job',
      what: `One ${plan.runaway.tenant} trace of about ${plan.runaway.spans.toLocaleString('en-US')} spans.`,
      href: page('traces', { sort: 'spans', ...window(plan.runaway.at - HOUR, plan.runaway.at + 3 * HOUR) }),
    },
    {
      title: 'Nightly eval runs',
      what: `${plan.evalRuns.length} runs at 02:00 New York time, compared with the hours real users are served.`,
      href: page('analytics/diurnal', window(plan.start, plan.end)),
    },
  ]
  // Stories planted outside a short range (fewer days) are left out.
  return entries.filter((entry) => new URLSearchParams(entry.href.split('?')[1]).get('from')! < new URLSearchParams(entry.href.split('?')[1]).get('to')!)
}
