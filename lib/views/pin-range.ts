// Pinning a view's time range: a relative range ("7d", or none: the page's default 24 h) becomes
// the absolute from/to it covers at this moment, so a saved view or share link keeps showing the
// moment it was made for.
import { resolveRange } from '@/lib/time/range'

export function pinnedState(state: Record<string, string>, now = new Date()): Record<string, string> & { from: string; to: string } {
  const { range: _range, from: _from, to: _to, ...rest } = state
  const resolved = resolveRange({ range: state.range, from: state.from, to: state.to }, '24h', now)
  return { ...rest, from: resolved.from.toISOString(), to: resolved.to.toISOString() }
}
