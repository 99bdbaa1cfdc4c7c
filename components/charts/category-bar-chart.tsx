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
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data as object[]} margin={{ top: 8, right: 16, bottom: angledTicks ? 8 : 20, left: 16 }}>
        <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey={categoryKey as string}
          tick={angledTicks ? { fontSize: 10, angle: -30, textAnchor: 'end' } : { fontSize: 11 }}
          height={angledTicks ? 64 : undefined}
          interval={0}
          label={angledTicks ? undefined : { value: categoryLabel, position: 'insideBottom', offset: -12, fontSize: 11, fill: '#64748b' }}
        />
        <YAxis
          {...(logScale ? { scale: 'log' as const, domain: ['auto', 'auto'] as const, allowDataOverflow: true } : {})}
          tickFormatter={axisTick(yFormat)}
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
