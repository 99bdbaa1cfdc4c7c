// Axis and tooltip formatting shared by the charts: times in UTC (as the time range picker) and
// rates as percentages; counts, durations and money use lib/format.
export const SERIES_COLORS = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#dc2626', '#4b5563', '#ea580c', '#0d9488', '#9333ea']

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length]
}

/** Tick formatter for epoch-ms time axes: hours within two days, dates beyond. */
export function timeTick(spanMs: number): (value: number) => string {
  return (value) => {
    const iso = new Date(value).toISOString()
    if (spanMs <= 2 * 86_400_000) return iso.slice(11, 16)
    return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`
  }
}

export function timeLabel(value: number | string): string {
  return `${new Date(value).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(digits)}%`
}

const TICK_STEPS_MS = [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 86_400_000, 2 * 86_400_000, 7 * 86_400_000]

/** Round times across a range (whole hours, midnights, ...), at most about eight of them. */
export function timeTicks(range: { from: number; to: number }, most = 8): number[] {
  const step = TICK_STEPS_MS.find((s) => (range.to - range.from) / s <= most) ?? 7 * 86_400_000
  const ticks: number[] = []
  for (let t = Math.ceil(range.from / step) * step; t <= range.to; t += step) ticks.push(t)
  return ticks
}

/** Props of an epoch-ms time axis over a range, labelled with its time zone. */
export function timeAxisProps(range: { from: number; to: number }) {
  return {
    ticks: timeTicks(range),
    dataKey: 't',
    type: 'number' as const,
    scale: 'time' as const,
    domain: [range.from, range.to],
    tickFormatter: timeTick(range.to - range.from),
    tick: { fontSize: 11 },
    label: { value: 'Time (UTC)', position: 'insideBottom' as const, offset: -12, fontSize: 11, fill: '#64748b' },
  }
}
