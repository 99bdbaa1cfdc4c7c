'use client'

// Values by hour of day (0-23) in a time zone: bars and lines on one or two value axes, with
// hour ranges shaded (peak traffic, eval runs). Axes carry their units; legend and tooltip name
// every series.
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { axisScale } from '@/lib/charts/axis-scale'
import { seriesColor } from './chart-format'
import { axisTick, formatValue, type ValueFormat, type SeriesSpec } from './time-series-chart'

export interface HourBand {
  /** First and last hour, inclusive. */
  from: number
  to: number
  label: string
  color: string
}

const HOURS = Array.from({ length: 24 }, (_, h) => h)

export function HourChart({
  data,
  series,
  tz,
  yLabel,
  yFormat,
  rightLabel,
  rightFormat = 'count',
  bands = [],
}: {
  data: Array<Record<string, number | null> & { hour: number }>
  series: SeriesSpec[]
  tz: string
  yLabel: string
  yFormat: ValueFormat
  rightLabel?: string
  rightFormat?: ValueFormat
  bands?: HourBand[]
}) {
  const formatOf = (key: string) => (series.find((s) => s.key === key)?.axis === 'right' ? rightFormat : yFormat)
  const left = axisScale(data, series.filter((s) => (s.axis ?? 'left') === 'left'), { percent: yFormat === 'percent' })
  const right = axisScale(data, series.filter((s) => s.axis === 'right'), { percent: rightFormat === 'percent' })
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={data} margin={{ top: 8, right: rightLabel ? 16 : 24, bottom: 20, left: 16 }}>
        <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
        <XAxis
          dataKey="hour"
          type="number"
          domain={[-0.5, 23.5]}
          ticks={HOURS}
          tickFormatter={(h) => String(h).padStart(2, '0')}
          tick={{ fontSize: 11 }}
          label={{ value: `Hour of day (${tz})`, position: 'insideBottom', offset: -12, fontSize: 11, fill: '#64748b' }}
        />
        <YAxis
          yAxisId="left"
          tickFormatter={axisTick(yFormat)}
          tick={{ fontSize: 11 }}
          domain={left.domain}
          ticks={left.ticks}
          interval={0}
          width={yFormat === 'usd' || yFormat === 'ms' ? 68 : 60}
          label={{ value: yLabel, angle: -90, position: 'insideLeft', offset: -4, fontSize: 11, fill: '#64748b', style: { textAnchor: 'middle' } }}
        />
        {rightLabel && (
          <YAxis
            yAxisId="right"
            orientation="right"
            tickFormatter={axisTick(rightFormat)}
            tick={{ fontSize: 11 }}
            domain={right.domain}
            ticks={right.ticks}
            interval={0}
            width={60}
            label={{ value: rightLabel, angle: 90, position: 'insideRight', offset: -4, fontSize: 11, fill: '#64748b', style: { textAnchor: 'middle' } }}
          />
        )}
        <Tooltip labelFormatter={(h) => `${String(h).padStart(2, '0')}:00-${String(h).padStart(2, '0')}:59 ${tz}`} formatter={(value, name, item) => [formatValue(value, formatOf(String(item.dataKey))), name]} contentStyle={{ fontSize: 12 }} />
        <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} />
        {bands.map((band, i) => (
          <ReferenceArea
            key={`band-${i}`}
            yAxisId="left"
            x1={band.from - 0.5}
            x2={band.to + 0.5}
            fill={band.color}
            fillOpacity={0.18}
            label={{ value: band.label, position: 'insideTop', fontSize: 10, fill: '#334155' }}
          />
        ))}
        {series.map((s, i) => {
          const color = s.color ?? seriesColor(i)
          const common = { dataKey: s.key, name: s.name, yAxisId: s.axis ?? 'left', isAnimationActive: false }
          if (s.kind === 'bar') return <Bar key={s.key} {...common} fill={color} fillOpacity={0.6} barSize={14} />
          return <Line key={s.key} {...common} type="monotone" stroke={color} strokeWidth={s.width ?? 2} strokeDasharray={s.dashed ? '5 4' : undefined} dot={{ r: 2 }} connectNulls={false} />
        })}
      </ComposedChart>
    </ResponsiveContainer>
  )
}

/** Consecutive runs of hours, e.g. [2] and [9, 10, 11] -> bands 2-2 and 9-11. */
export function hourRuns(hours: readonly number[]): Array<{ from: number; to: number }> {
  const runs: Array<{ from: number; to: number }> = []
  for (const hour of [...hours].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1]
    if (last && last.to === hour - 1) last.to = hour
    else runs.push({ from: hour, to: hour })
  }
  return runs
}
