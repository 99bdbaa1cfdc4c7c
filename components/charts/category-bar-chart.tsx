'use client'

// Grouped bars over categories (segments, hours), optionally with 95% intervals as error bars.
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { seriesColor } from './chart-format'
import { axisTick, formatValue, type ValueFormat } from './time-series-chart'

export interface BarSeries {
  key: string
  name: string
  color?: string
  /** Data key holding [below, above] distances to the interval's ends. */
  errorKey?: string
}

export function CategoryBarChart<T extends object>({
  data,
  categoryKey,
  categoryLabel,
  series,
  yLabel,
  yFormat,
  logScale = false,
  angledTicks = false,
}: {
  data: T[]
  categoryKey: keyof T & string
  categoryLabel: string
  series: BarSeries[]
  yLabel: string
  yFormat: ValueFormat
  /** A logarithmic value axis, for values orders of magnitude apart (all must be above 0). */
  logScale?: boolean
  /** Slanted category labels, for many or long categories (tool names, tenants) that would overlap. */
  angledTicks?: boolean
}) {
  const log = logScale ? logAxis(data, series) : undefined
  // Long category names (task, model, error names) are cut so neighbours do not run into each
  // other; the tooltip names the category in full.
  const maxChars = data.length > 8 ? 10 : data.length > 4 ? 14 : 24
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data as object[]} margin={{ top: 8, right: 16, bottom: angledTicks ? 8 : 20, left: 16 }}>
        <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey={categoryKey as string}
          tick={angledTicks ? { fontSize: 10, angle: -30, textAnchor: 'end' } : { fontSize: 11 }}
          height={angledTicks ? 64 : undefined}
          interval={0}
          tickFormatter={angledTicks ? undefined : (value) => cut(String(value), maxChars)}
          label={angledTicks ? undefined : { value: categoryLabel, position: 'insideBottom', offset: -12, fontSize: 11, fill: '#64748b' }}
        />
        <YAxis
          {...(log ? { scale: 'log' as const, domain: log.domain, ticks: log.ticks, allowDataOverflow: true } : {})}
          tickFormatter={log ? (value: number) => (value >= 1 ? axisTick(yFormat)(value) : String(value)) : axisTick(yFormat)}
          tick={{ fontSize: 11 }}
          width={72}
          label={{ value: yLabel, angle: -90, position: 'insideLeft', offset: 4, fontSize: 11, fill: '#64748b', style: { textAnchor: 'middle' } }}
        />
        <Tooltip formatter={(value, name) => [formatValue(value, yFormat), name]} contentStyle={{ fontSize: 12 }} />
        <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} />
        {series.map((s, i) => (
          <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color ?? seriesColor(i)} isAnimationActive={false}>
            {s.errorKey && <ErrorBar dataKey={s.errorKey} width={4} stroke="#334155" />}
          </Bar>
        ))}
      </BarChart>
    </ResponsiveContainer>
  )
}

function cut(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text
}

/**
 * A log axis from the power of ten below the smallest value to the one above the largest, with a
 * tick at each power: every bar stands above the axis, the smallest too.
 */
function logAxis<T extends object>(data: T[], series: BarSeries[]): { domain: [number, number]; ticks: number[] } | undefined {
  const values = data.flatMap((row) => series.map((s) => Number((row as Record<string, unknown>)[s.key]))).filter((v) => Number.isFinite(v) && v > 0)
  if (values.length === 0) return undefined
  const low = Math.floor(Math.log10(Math.min(...values)))
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(...values))))
  const ticks = Array.from({ length: high - low + 1 }, (_, i) => Number((10 ** (low + i)).toPrecision(1)))
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks }
}
