import { Bar, BarChart, CartesianGrid, Cell, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDuration, type DurationFormat } from "../../lib/duration";
import { ProjectDot } from "../../ui/ProjectDot";
import type { ReportChart as Chart } from "./chart-data";

const hoursText = (hours: number, format: DurationFormat) => formatDuration(hours * 3_600_000, format);

/**
 * Hours per group stacked by project (Recharts, SVG), and each project's share as a ring with
 * its legend. Colours are the projects' own; figures in the tooltip and legend use the person's
 * duration format. Drawn at once, without animation: the numbers are the point, and a large
 * report must not wait for a transition.
 */
export function ReportChart({ chart, format, title }: { chart: Chart; format: DurationFormat; title: string }) {
  return (
    <section aria-label="Chart" className="grid grid-cols-[minmax(0,1fr)_17rem] gap-4 border-b border-line px-5 py-4" data-testid="report-chart">
      <figure className="min-w-0 text-muted">
        <figcaption className="mb-2 text-sm font-medium text-ink">{title}</figcaption>
        <p className="sr-only">{`${hoursText(chart.totalHours, format)} in all; the table below has each bar's figures.`}</p>
        <div className="h-56">
          <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 640, height: 224 }}>
            <BarChart data={chart.bars} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid vertical={false} stroke="currentColor" strokeOpacity={0.15} />
              <XAxis dataKey="label" tick={{ fill: "currentColor", fontSize: 11 }} tickLine={false} axisLine={false} interval="preserveStartEnd" minTickGap={12} />
              <YAxis tick={{ fill: "currentColor", fontSize: 11 }} tickLine={false} axisLine={false} allowDecimals={false} width={52} unit=" h" />
              <Tooltip
                cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
                contentStyle={{ background: "var(--color-canvas)", border: "1px solid var(--color-line)", borderRadius: 6, fontSize: 12 }}
                labelStyle={{ color: "var(--color-ink)", fontWeight: 600 }}
                formatter={(value, name) => [hoursText(Number(value), format), name]}
              />
              {chart.series.map((s) => (
                <Bar key={s.dataKey} dataKey={s.dataKey} name={s.label} stackId="hours" fill={s.color} isAnimationActive={false} maxBarSize={48} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <figure className="min-w-0">
        <figcaption className="mb-2 text-sm font-medium">Share per project</figcaption>
        <div className="flex items-start gap-3">
          <div className="h-24 w-24 shrink-0" aria-hidden>
            <PieChart width={96} height={96} accessibilityLayer={false}>
              <Pie rootTabIndex={-1} data={chart.shares} dataKey="hours" nameKey="label" innerRadius={28} outerRadius={46} stroke="none" isAnimationActive={false}>
                {chart.shares.map((s) => (
                  <Cell key={s.label} fill={s.color} />
                ))}
              </Pie>
            </PieChart>
          </div>
          <ul className="min-w-0 flex-1 space-y-1 text-xs" aria-label="Share per project">
            {chart.shares.map((s) => (
              <li key={s.label} className="flex items-center gap-1.5">
                <ProjectDot color={s.color} size={8} />
                <span className="min-w-0 flex-1 truncate">{s.label}</span>
                <span className="tabular-nums text-muted">{Math.round(s.percent)}%</span>
              </li>
            ))}
          </ul>
        </div>
      </figure>
    </section>
  );
}
