'use client'

// First appearances on a time line: one row per kind (model, prompt version, system prompt), one
// dot per time bucket with something new in it; the tooltip names what appeared.
import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts'
import { timeAxisProps, timeLabel } from './chart-format'

export interface MarkerGroup {
  t: number
  row: number
  kind: string
  values: string[]
}

export function MarkerStrip({ groups, kinds, range }: { groups: MarkerGroup[]; kinds: Array<{ name: string; color: string }>; range: { from: number; to: number } }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ScatterChart margin={{ top: 8, right: 24, bottom: 20, left: 16 }}>
        <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
        <XAxis {...timeAxisProps(range)} />
        <YAxis
          dataKey="row"
          type="number"
          domain={[-0.5, kinds.length - 0.5]}
          ticks={kinds.map((_, i) => i)}
          tickFormatter={(i) => kinds[i]?.name ?? ''}
          tick={{ fontSize: 11 }}
          width={110}
          label={{ value: 'New', angle: -90, position: 'insideLeft', fontSize: 11, fill: '#64748b' }}
        />
        <Tooltip content={(props) => <MarkerTooltip active={props.active} payload={props.payload} />} />
        <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} />
        {kinds.map((kind, i) => (
          <Scatter key={kind.name} name={kind.name} data={groups.filter((g) => g.row === i)} fill={kind.color} isAnimationActive={false} />
        ))}
      </ScatterChart>
    </ResponsiveContainer>
  )
}

function MarkerTooltip({ active, payload }: { active?: boolean; payload?: ReadonlyArray<{ payload?: unknown }> }) {
  const group = active ? (payload?.[0]?.payload as MarkerGroup | undefined) : undefined
  if (!group) return null
  return (
    <div className="max-w-sm rounded border border-slate-200 bg-white p-2 text-xs shadow">
      <div className="font-medium">{timeLabel(group.t)}</div>
      <div className="text-slate-600">
        {group.values.length} new {group.kind}
        {group.values.length === 1 ? '' : 's'}:
      </div>
      <ul className="mt-1 font-mono">
        {group.values.slice(0, 5).map((value) => (
          <li key={value} className="truncate">
            {value}
          </li>
        ))}
        {group.values.length > 5 && <li className="text-slate-500">and {group.values.length - 5} more</li>}
      </ul>
    </div>
  )
}
