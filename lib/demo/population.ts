// Who sends the demo traffic: each tenant's users (a few heavy users, a long tail), their time
// zones and sessions, and which model path the router sends each of them on.
import type { DemoPlan } from './plan'
import { hashLabels, unitHash, type Rng } from './prng'
import { HOUR, activity, tzOffsetMinutes } from './schedule'
import { TENANTS, type Segment, type Tenant } from './world'

export interface DemoUser {
  id: string
  tenant: Tenant
  tz: string
  offset: number
  /** Stable 0..1 draw that decides the user's routing cohort after the routing change. */
  routeBucket: number
}

export interface TenantPopulation {
  tenant: Tenant
  offset: number
  users: DemoUser[]
}

const TOTAL_SHARE = TENANTS.reduce((sum, t) => sum + t.share, 0)

export function normalisedShare(tenant: Tenant): number {
  return tenant.share / TOTAL_SHARE
}

export function buildPopulation(plan: DemoPlan): TenantPopulation[] {
  const middle = (plan.start + plan.end) / 2
  // About six traces per user over the range, within sensible bounds.
  const totalUsers = Math.max(60, Math.min(30_000, Math.round(plan.spans / 16 / 6)))
  const offsets = new Map<string, number>()
  const offsetOf = (tz: string) => {
    let offset = offsets.get(tz)
    if (offset === undefined) offsets.set(tz, (offset = tzOffsetMinutes(tz, middle)))
    return offset
  }
  return TENANTS.map((tenant) => {
    const count = Math.max(4, Math.round(totalUsers * normalisedShare(tenant)))
    const users: DemoUser[] = []
    for (let i = 0; i < count; i++) {
      const id = `${tenant.id}-u${String(i + 1).padStart(4, '0')}`
      let tz = tenant.tz
      let draw = unitHash(plan.seed, 'tz', id)
      for (const remote of tenant.remote ?? []) {
        if (draw < remote.share) {
          tz = remote.tz
          break
        }
        draw -= remote.share
      }
      users.push({ id, tenant, tz, offset: offsetOf(tz), routeBucket: unitHash(plan.seed, 'route', id) })
    }
    return { tenant, offset: offsetOf(tenant.tz), users }
  })
}

/** A user of the tenant, favouring heavy users and people whose working day it is. */
export function pickUser(population: TenantPopulation, at: number, rng: Rng): DemoUser {
  const users = population.users
  let user = users[0]
  for (let attempt = 0; attempt < 4; attempt++) {
    user = users[Math.floor(users.length * rng.next() ** 2.2)]
    if (rng.chance(0.2 + 0.8 * activity(at, user.offset))) return user
  }
  return user
}

/** Sessions are a user's conversations: requests in the same 3-hour local block share one. */
export function sessionId(user: DemoUser, at: number): string {
  const block = Math.floor((at + user.offset * 60_000) / (3 * HOUR))
  return `ses_${hashLabels(user.id, block).toString(16).padStart(8, '0')}${block.toString(36)}`
}

/**
 * The model path a request takes. Premium tenants always get the expensive path. Before the
 * routing change everyone else gets the cheap one; after it, a fixed cohort of users moves to
 * the expensive path and a smaller cohort is routed per request (and so is served by both).
 */
export function routeFor(plan: DemoPlan, user: DemoUser, at: number, rng: Rng): Segment {
  if (user.tenant.plan === 'premium') return 'premium'
  if (at < plan.routingChange.at) return 'economy'
  const { premiumShare, perRequestShare } = plan.routingChange
  if (user.routeBucket < premiumShare) return 'premium'
  if (user.routeBucket < premiumShare + perRequestShare) return rng.chance(0.5) ? 'premium' : 'economy'
  return 'economy'
}
