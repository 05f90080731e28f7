import { useMemo, useRef, useState } from "react";
import { useClients, usePreferences, useProjects, useSession, useTags } from "../../lib/data";
import { dayKey, formatAgo } from "../../lib/dates";
import { errorText } from "../../lib/errors";
import { useServerQuery } from "../../lib/server";
import { buildReportChart } from "./chart-data";
import { ExportControls } from "./ExportControls";
import { customRange, PRESET_LABELS, PRESETS, periodLabel, periodsOf, presetRange, rangeText, type Preset } from "./ranges";
import { ReportChart } from "./ReportChart";
import { NO_FILTER, ReportFilters, type ReportFilterValue } from "./ReportFilters";
import { TotalsTable } from "./TotalsTable";

const GROUPINGS = [
  ["day", "Day"],
  ["week", "Week"],
  ["project", "Project"],
  ["client", "Client"],
  ["user", "Person"],
] as const;
type Grouping = (typeof GROUPINGS)[number][0];

const SEES_EVERYONE = new Set(["OWNER", "ADMIN", "MANAGER"]);

/**
 * Reports: hours, billable hours and amounts over a range, grouped and filtered, as a chart
 * stacked by project and a table that add up to the same totals; CSV exports of entries and
 * totals. Employees see their own time (the server decides that).
 */
export function ReportsScreen() {
  const session = useSession();
  const role = session.data?.workspaces.find((w) => w.workspaceId === session.data?.currentWorkspaceId)?.role ?? "EMPLOYEE";
  const seesEveryone = SEES_EVERYONE.has(role);
  const prefs = usePreferences();
  const format = prefs.data?.durationFormat ?? "clock";
  const workspace = useServerQuery((s) => s.workspace.get, undefined);
  const weekStartsOn = workspace.data?.weekStartsOn ?? 1;

  const [preset, setPreset] = useState<Preset>("this-week");
  const [custom, setCustom] = useState(() => {
    const week = presetRange("this-week", Date.now(), 1);
    return { first: dayKey(week.from), last: dayKey(week.to - 86_400_000) };
  });
  const [groupBy, setGroupBy] = useState<Grouping>("day");
  const [filter, setFilter] = useState<ReportFilterValue>(NO_FILTER);
  const range = preset === "custom" ? customRange(custom.first, custom.last) : presetRange(preset, Date.now(), weekStartsOn);

  const input = range && {
    from: new Date(range.from),
    to: new Date(range.to),
    groupBy,
    stackBy: "project" as const,
    ...(filter.userIds.length ? { userIds: filter.userIds } : {}),
    ...(filter.projectIds.length ? { projectIds: filter.projectIds } : {}),
    ...(filter.clientIds.length ? { clientIds: filter.clientIds } : {}),
    ...(filter.tagIds.length ? { tagIds: filter.tagIds } : {}),
    ...(filter.billable === undefined ? {} : { billable: filter.billable }),
  };
  // Waits for the workspace's week start, so "this week" is asked for once, the right week.
  const report = useServerQuery((s) => s.reports.summary, input!, { enabled: !!input && (workspace.isFetched || preset === "custom") });
  const members = useServerQuery((s) => s.members.list, undefined, { enabled: seesEveryone });
  const projects = useProjects();
  const clients = useClients();
  const tags = useTags();

  // While a new grouping loads, the previous answer stays on screen: draw and label it as what it is.
  const answeredGrouping = useRef<Grouping>(groupBy);
  if (report.data && !report.isPlaceholderData) answeredGrouping.current = groupBy;
  const shown = report.isPlaceholderData ? answeredGrouping.current : groupBy;

  // `range` is made afresh each render: its two numbers are what the chart depends on.
  const chart = useMemo(() => {
    if (!report.data || !range) return null;
    const timed = shown === "day" || shown === "week";
    return buildReportChart(report.data, projects.data ?? [], {
      fill: timed && (shown === "week" || range.to - range.from <= 62 * 86_400_000) ? periodsOf(shown, range, weekStartsOn) : undefined,
      labelOf: timed ? (key, label) => (key ? periodLabel(shown, key) : label) : undefined,
    });
  }, [report.data, projects.data, shown, range?.from, range?.to, weekStartsOn]);

  const groupLabel = GROUPINGS.find(([g]) => g === shown)![1];
  const exportRange = range && { from: dayKey(range.from), to: dayKey(range.to - 86_400_000) };

  return (
    <div className="flex h-full flex-col">
      <header className="flex flex-col gap-2 border-b border-line px-5 py-3">
        <div className="flex items-center gap-2">
          <h1 className="mr-2 text-lg font-semibold">Reports</h1>
          <label className="sr-only" htmlFor="report-range">
            Range
          </label>
          <select id="report-range" value={preset} onChange={(e) => setPreset(e.target.value as Preset)} className="h-8 rounded-md border border-line bg-canvas px-2 text-sm">
            {PRESETS.map((p) => (
              <option key={p} value={p}>
                {PRESET_LABELS[p]}
              </option>
            ))}
          </select>
          {preset === "custom" ? (
            <span className="flex items-center gap-1 text-sm">
              <input aria-label="First day" type="date" value={custom.first} onChange={(e) => setCustom({ ...custom, first: e.target.value })} className="h-8 rounded-md border border-line bg-canvas px-2" />
              <span aria-hidden>–</span>
              <input aria-label="Last day" type="date" value={custom.last} onChange={(e) => setCustom({ ...custom, last: e.target.value })} className="h-8 rounded-md border border-line bg-canvas px-2" />
            </span>
          ) : (
            range && <span className="text-sm tabular-nums text-muted" data-testid="report-range">{rangeText(range)}</span>
          )}
          <span className="ml-auto" />
          {exportRange && input && <ExportControls range={exportRange} groupBy={groupBy} filter={filter} />}
        </div>
        <div className="flex items-center gap-2">
          <span className="text-sm text-muted" aria-hidden>
            Group by
          </span>
          <div role="radiogroup" aria-label="Group by" className="flex rounded-md border border-line p-0.5">
            {GROUPINGS.map(([g, label]) => (
              <button
                key={g}
                type="button"
                role="radio"
                aria-checked={groupBy === g}
                onClick={() => setGroupBy(g)}
                className={`h-7 rounded px-2.5 text-sm ${groupBy === g ? "bg-accent text-accent-ink" : "hover:bg-panel"}`}
              >
                {label}
              </button>
            ))}
          </div>
          <ReportFilters
            value={filter}
            onChange={setFilter}
            people={seesEveryone ? (members.data ?? []).map((m) => ({ id: m.userId, label: m.name || m.email })) : null}
            projects={(projects.data ?? []).map((p) => ({ id: p.id, label: p.name, color: p.color }))}
            clients={(clients.data ?? []).map((c) => ({ id: c.id, label: c.name }))}
            tags={(tags.data ?? []).map((t) => ({ id: t.id, label: t.name }))}
          />
        </div>
      </header>

      {!range && (
        <p role="alert" className="px-5 py-3 text-sm text-danger">
          The first day must not be after the last day.
        </p>
      )}
      {report.stale && (
        <p role="status" className="border-b border-line bg-panel px-5 py-2 text-sm text-warn" data-testid="report-stale">
          ⚠ Offline: not current, last loaded {formatAgo(report.fetchedAt ?? Date.now())}.
        </p>
      )}
      {report.isError && (
        <p role="alert" className="px-5 py-3 text-sm text-danger">
          {errorText(report.error)}
        </p>
      )}
      {report.isLoading && <p className="px-5 py-6 text-sm text-muted">Loading the report…</p>}

      {chart && report.data && (
        <div className="min-h-0 flex-1 overflow-y-auto" aria-busy={report.isFetching} data-testid="report-body">
          {chart.rows.length === 0 || report.data.totals.seconds === 0 ? (
            <div className="flex flex-col items-center gap-1 px-5 py-16 text-center text-muted">
              <p className="text-base text-ink">No time in this range.</p>
              <p>{seesEveryone ? "Pick another range or clear the filters." : "Your tracked time shows here once it has synced."}</p>
            </div>
          ) : (
            <>
              <ReportChart chart={chart} format={format} title={shown === "project" ? "Hours per project" : `Hours per ${groupLabel.toLowerCase()} by project`} />
              <TotalsTable rows={chart.rows} totals={report.data.totals} currency={report.data.currency} groupLabel={groupLabel} format={format} />
            </>
          )}
          {!seesEveryone && <p className="px-5 py-3 text-xs text-muted">Reports show your own time.</p>}
        </div>
      )}
    </div>
  );
}
