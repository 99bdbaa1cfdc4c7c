'use client'

// A chart over time (UTC): lines, areas or bars on one or two value axes, with shaded bands
// (incidents the view detected) and vertical markers (first appearances); the project's monitor
// incidents are drawn as orange bands on every chart (incident-bands.tsx). Axes carry their units; a legend and a
// tooltip name every series. Plain data in, so server pages can feed it. With `bucketSeconds`,
// the newest bucket is shaded and labelled "partial" when the range ends inside it (a range that
// ends now): it holds only what happened until then.
import { Area, Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { formatCount, formatDuration, formatUsd } from '@/lib/format'
import { axisScale, partialBucket } from '@/lib/charts/axis-scale'
import { percent, seriesColor, timeAxisProps, timeLabel } from './chart-format'
import { useIncidentMarks } from './incident-bands'

export type ValueFormat = 'count' | 'percent' | 'ms' | 'usd' | 'tokens'

export interface SeriesSpec {
  key: string
  name: string
  kind?: 'line' | 'area' | 'bar'
  color?: string
  axis?: 'left' | 'right'
  width?: number
  dashed?: boolean
  stack?: string
}

export interface Band {
  from: number
  to: number
  label: string
  color?: string
}

export interface Marker {
  t: number
  label: string
  color?: string
}

export function formatValue(value: unknown, format: ValueFormat): string {
  if (value === null || value === undefined || typeof value !== 'number' || !Number.isFinite(value)) return '—'
  switch (format) {
    case 'percent':
      return percent(value)
    case 'ms':
      return formatDuration(value)
    case 'usd':
      return formatUsd(value)
    default:
      return formatCount(value)
  }
}

/** Short tick labels for a value axis. */
export function axisTick(format: ValueFormat): (value: number) => string {
  switch (format) {
    case 'percent':
      return (value) => `${Number((value * 100).toFixed(value > 0 && value < 0.1 ? 1 : 0))}%`
    case 'ms':
      return (value) => (value >= 1000 ? `${Number((value / 1000).toFixed(1))} s` : `${Math.round(value)} ms`)
    case 'usd':
      return (value) => (value === 0 ? '$0' : value >= 100 ? `$${Math.round(value)}` : value >= 1 ? `$${value.toFixed(1)}` : `$${Number(value.toPrecision(2))}`)
    default:
      return (value) => new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(value)
  }
}

/** Start of the bucket the range ends inside of (buckets aligned to the epoch), if it ends inside one. */
export function newestPartialBucket(range: { from: number; to: number }, bucketSeconds: number): number | undefined {
  const ms = bucketSeconds * 1000
  const start = Math.floor(range.to / ms) * ms
  return start < range.to && start >= range.from - ms ? start : undefined
}

export function TimeSeriesChart({
  data,
  series,
  yLabel,
  yFormat,
  yDomain,
  rightLabel,
  rightFormat = 'count',
  bands = [],
  markers = [],
  range,
  bucketSeconds,
  syncId,
}: {
  data: Array<Record<string, number | null> & { t: number }>
  series: SeriesSpec[]
  yLabel: string
  yFormat: ValueFormat
  yDomain?: [number | 'auto', number | 'auto']
  rightLabel?: string
  rightFormat?: ValueFormat
  bands?: Band[]
  markers?: Marker[]
  range: { from: number; to: number }
  bucketSeconds?: number
  syncId?: string
}) {
  // The newest bucket may end after the range (a range that ends now): shaded and labelled, so its
  // lower value is not read as a drop. Known from the bucket size, else inferred from the data's step.
  const incidents = useIncidentMarks(range)
  const partialFrom = bucketSeconds ? newestPartialBucket(range, bucketSeconds) : partialBucket(data, range.to)?.from
  const formatOf = (key: string) => (series.find((s) => s.key === key)?.axis === 'right' ? rightFormat : yFormat)
  // Round ticks (0.1/0.2/0.3, 1 s/2 s, 5%/10%) over what is drawn, stacks summed; rates stop at 100%.
  const left = axisScale(data, series.filter((s) => (s.axis ?? 'left') === 'left'), { percent: yFormat === 'percent', domain: yDomain })
  const right = axisScale(data, series.filter((s) => s.axis === 'right'), { percent: rightFormat === 'percent' })
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={data} margin={{ top: 8, right: rightLabel ? 16 : 24, bottom: 20, left: 16 }} syncId={syncId}>
        <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
        <XAxis {...timeAxisProps(range)} />
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
            width={rightFormat === 'usd' || rightFormat === 'ms' ? 68 : 60}
            label={{ value: rightLabel, angle: 90, position: 'insideRight', offset: -4, fontSize: 11, fill: '#64748b', style: { textAnchor: 'middle' } }}
          />
        )}
        <Tooltip
          labelFormatter={(value) => timeLabel(Number(value))}
          formatter={(value, name, item) => [formatValue(value, formatOf(String(item.dataKey))), name]}
          contentStyle={{ fontSize: 12 }}
        />
        <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} />
        {bands.map((band, i) => (
          <ReferenceArea
            key={`band-${i}`}
            yAxisId="left"
            x1={band.from}
            x2={band.to}
            fill={band.color ?? '#fecaca'}
            fillOpacity={0.45}
            stroke={band.color ?? '#f87171'}
            strokeOpacity={0.6}
            label={{ value: band.label, position: 'insideTop', fontSize: 11, fill: '#991b1b' }}
          />
        ))}
        {incidents.map((incident, i) => (
          <ReferenceArea
            key={`incident-${i}`}
            yAxisId="left"
            x1={incident.from}
            x2={incident.to}
            fill="#fed7aa"
            fillOpacity={0.35}
            stroke="#ea580c"
            strokeOpacity={0.7}
            strokeDasharray="3 2"
            // Named only where the band has room; the strip under the page header names every one.
            label={(incident.to - incident.from) / (range.to - range.from) > 0.15 ? { value: incident.label, position: 'insideBottomLeft', fontSize: 10, fill: '#9a3412' } : undefined}
          />
        ))}
        {partialFrom !== undefined && (
          <ReferenceArea
            yAxisId="left"
            x1={partialFrom}
            x2={range.to}
            fill="#e2e8f0"
            fillOpacity={0.6}
            label={{ value: 'partial', position: 'insideTopRight', fontSize: 10, fill: '#64748b' }}
          />
        )}
        {markers.map((marker, i) => (
          <ReferenceLine
            key={`marker-${i}`}
            yAxisId="left"
            x={marker.t}
            stroke={marker.color ?? '#7c3aed'}
            strokeDasharray="4 3"
            label={{ value: marker.label, position: 'insideTopLeft', fontSize: 10, fill: marker.color ?? '#7c3aed' }}
          />
        ))}
        {series.map((s, i) => {
          const color = s.color ?? seriesColor(i)
          const common = { dataKey: s.key, name: s.name, yAxisId: s.axis ?? 'left', isAnimationActive: false }
          if (s.kind === 'bar') return <Bar key={s.key} {...common} fill={color} fillOpacity={0.55} stackId={s.stack} />
          if (s.kind === 'area')
            return <Area key={s.key} {...common} type="monotone" stroke={color} fill={color} fillOpacity={0.25} strokeWidth={s.width ?? 1.5} stackId={s.stack} connectNulls={false} dot={false} />
          return <Line key={s.key} {...common} type="monotone" stroke={color} strokeWidth={s.width ?? 1.5} strokeDasharray={s.dashed ? '5 4' : undefined} dot={false} connectNulls={false} />
        })}
      </ComposedChart>
    </ResponsiveContainer>
  )
}
