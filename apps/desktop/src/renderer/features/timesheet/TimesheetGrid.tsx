import { formatDuration, type DurationFormat } from "../../lib/duration";
import { ProjectDot } from "../../ui/ProjectDot";
import type { Grid } from "./grid";
import { calendarDay } from "./period";

const weekday = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", timeZone: "UTC" });

/** Projects by days with row, column and grand totals; empty cells stay quiet. */
export function TimesheetGrid({ grid, projects, format }: { grid: Grid; projects: Map<string, { name: string; color: string }>; format: DurationFormat }) {
  const cell = (ms: number) => (ms > 0 ? formatDuration(ms, format) : "");
  return (
    <table className="w-full border-collapse text-sm" data-testid="timesheet-grid">
      <caption className="sr-only">Hours by project and day</caption>
      <thead>
        <tr className="border-b border-line text-xs text-muted">
          <th scope="col" className="py-2 pl-5 pr-2 text-left font-medium">
            Project
          </th>
          {grid.days.map((d) => (
            <th key={d} scope="col" className="px-2 py-2 text-right font-medium whitespace-nowrap">
              {weekday.format(calendarDay(d))}
            </th>
          ))}
          <th scope="col" className="py-2 pl-2 pr-5 text-right font-medium">
            Total
          </th>
        </tr>
      </thead>
      <tbody>
        {grid.rows.map((row) => {
          const project = row.projectId ? projects.get(row.projectId) : undefined;
          return (
            <tr key={row.projectId ?? "none"} className="border-b border-line">
              <th scope="row" className="py-2 pl-5 pr-2 text-left font-normal">
                <span className="flex items-center gap-2">
                  <ProjectDot color={project?.color ?? null} />
                  <span className="truncate">{row.projectId ? (project?.name ?? "Unknown project") : "No project"}</span>
                </span>
              </th>
              {row.perDay.map((ms, i) => (
                <td key={i} className="tabular px-2 py-2 text-right">
                  {cell(ms)}
                </td>
              ))}
              <td className="tabular py-2 pl-2 pr-5 text-right font-medium" data-testid="row-total">
                {formatDuration(row.total, format)}
              </td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr className="font-semibold">
          <th scope="row" className="py-2 pl-5 pr-2 text-left">
            Total
          </th>
          {grid.dayTotals.map((ms, i) => (
            <td key={i} className="tabular px-2 py-2 text-right" data-testid="day-total">
              {formatDuration(ms, format)}
            </td>
          ))}
          <td className="tabular py-2 pl-2 pr-5 text-right text-base" data-testid="grand-total">
            {formatDuration(grid.grandTotal, format)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
