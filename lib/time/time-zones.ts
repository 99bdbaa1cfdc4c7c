// Time zone names a view may take (the diurnal view's `tz`): an IANA name that both this
// runtime (for labels) and the ClickHouse engine (for the hour-of-day arithmetic) know, in the
// spelling the engine wants. IANA names are case-insensitive in Intl but not in ClickHouse, so
// `utc` and `america/new_york` are answered as UTC and America/New_York; a zone only one side
// knows (a zone newer than the engine's time zone database, say) is refused as unknown.
const ZONE_SYNTAX = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/

const GLOBAL_KEY = Symbol.for('flightline.store-time-zones')
type Holder = { byLowerCase?: Map<string, string> }
const holder: Holder = ((globalThis as Record<symbol, Holder>)[GLOBAL_KEY] ??= {})

/** Records the zones the ClickHouse engine knows (read once when the stores open). */
export function setStoreTimeZones(names: readonly string[]): void {
  holder.byLowerCase = new Map(names.map((name) => [name.toLowerCase(), name]))
}

function runtimeKnows(tz: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone
  } catch {
    return undefined
  }
}

/**
 * The zone's name as the engine spells it, or undefined when it is not a zone both sides know.
 * Before the stores open (unit tests), the runtime's knowledge alone decides.
 */
export function resolveTimeZone(tz: string, storeZones: Map<string, string> | undefined = holder.byLowerCase): string | undefined {
  if (!ZONE_SYNTAX.test(tz)) return undefined
  const canonical = runtimeKnows(tz)
  if (!canonical) return undefined
  if (!storeZones) return canonical.toLowerCase() === tz.toLowerCase() ? canonical : tz
  const stored = storeZones.get(tz.toLowerCase())
  return stored && runtimeKnows(stored) ? stored : undefined
}
