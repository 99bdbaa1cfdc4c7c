// Value axes of the time charts: round ticks (1, 2 or 5 times a power of ten: 0.1/0.2/0.3,
// 1 s/2 s, 5%/10%) over the values actually drawn (stacked series summed per stack), with rates
// capped at 100%; and the last bucket that the range cuts short.
import { roundTicks } from '@/lib/traces/histogram'

interface SeriesLike {
  key: string
  stack?: string
}

export function axisScale(
  data: readonly Record<string, number | null | undefined>[],
  series: readonly SeriesLike[],
  options: { percent?: boolean; domain?: [number | 'auto', number | 'auto'] } = {},
): { domain: [number, number]; ticks: number[] } {
  let max = 0
  for (const row of data) {
    const stacks = new Map<string, number>()
    for (const s of series) {
      const value = row[s.key]
      if (typeof value !== 'number' || !Number.isFinite(value)) continue
      if (s.stack) stacks.set(s.stack, (stacks.get(s.stack) ?? 0) + value)
      else max = Math.max(max, value)
    }
    for (const total of stacks.values()) max = Math.max(max, total)
  }
  const fixedMax = options.domain && typeof options.domain[1] === 'number' ? options.domain[1] : undefined
  if (options.percent) max = Math.min(max, 1)
  let ticks = roundTicks(max > 0 ? max : options.percent ? 0.1 : 1, 4)
  if (options.percent) ticks = ticks.filter((tick) => tick <= 1)
  if (fixedMax !== undefined && max >= fixedMax * 0.8) ticks = roundTicks(fixedMax, 4).filter((tick) => tick <= fixedMax)
  return { domain: [0, ticks[ticks.length - 1]], ticks }
}

/** The last bucket when it ends after `rangeEnd` (bucket length from the data's spacing). */
export function partialBucket(data: readonly { t: number }[], rangeEnd: number): { from: number; to: number } | undefined {
  if (data.length < 2) return undefined
  const step = data[1].t - data[0].t
  const last = data[data.length - 1].t
  return step > 0 && last + step > rangeEnd && last < rangeEnd ? { from: last, to: rangeEnd } : undefined
}
