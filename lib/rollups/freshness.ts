// How fresh the rollups are promised to be (docs/analytics.md, "Freshness"): a span is in every
// rollup at most this many seconds after its insert returned, while the refresher runs. The
// refresher's interval is capped below it (FLIGHTLINE_ROLLUP_INTERVAL_SECONDS <= 20) so that one
// interval, the settle delay and a pass fit in it.
export const ROLLUP_FRESHNESS_BOUND_SECONDS = 30
