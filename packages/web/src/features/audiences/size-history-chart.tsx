import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { formatNumber } from '../../ui/format'

export interface VersionPoint {
  version: number
  size: number
  entered: number
  exited: number
  createdAt: string
}

/** The size of an audience over its versions, with a table of the same figures for screen readers. */
export function SizeHistoryChart({ versions }: { versions: VersionPoint[] }) {
  const data = [...versions].sort((a, b) => a.version - b.version)
  return (
    <figure className="chart" aria-label="Size history">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ left: 16, right: 24, top: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="version" tickFormatter={(v) => `v${v}`} />
          <YAxis tickFormatter={formatNumber} />
          <Tooltip formatter={(v) => formatNumber(Number(v))} labelFormatter={(v) => `version ${v}`} />
          <Line dataKey="size" stroke="#2346c8" strokeWidth={2} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  )
}
