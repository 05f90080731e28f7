/**
 * The report's chart, built from the server's answer (reports.summary with stackBy "project"):
 * one bar per group (day, week, project, client or person) stacked by project, a share per
 * project, and the table rows. Pure, so the numbers drawn and the numbers in the table are the
 * same numbers and can be tested without a screen.
 */

export interface SummaryAnswer {
  groups: { key: string | null; label: string; seconds: number; billableSeconds: number; amountCents: number }[];
  totals: { seconds: number; billableSeconds: number; amountCents: number };
  currency: string;
  stacks?: { key: string | null; projectId: string | null; seconds: number }[];
}

export interface ChartProject {
  id: string;
  name: string;
  color: string;
}

export interface Series {
  /** The bar's data key: "s0", "s1", ... (ids are not safe as keys in every chart library). */
  dataKey: string;
  projectId: string | null;
  label: string;
  color: string;
}

export type Bar = { key: string; label: string; total: number } & Record<string, number | string>;

export interface Share {
  projectId: string | null;
  label: string;
  color: string;
  hours: number;
  /** Of all hours in the report, 0..100. */
  percent: number;
}

/** A line of the totals table: the same group, in the same order, as its bar. */
export interface TableRow {
  key: string;
  label: string;
  hours: number;
  billableHours: number;
  amountCents: number;
}

export interface ReportChart {
  series: Series[];
  bars: Bar[];
  shares: Share[];
  rows: TableRow[];
  totalHours: number;
}

/** Colours for time without a project and for the projects folded into "Other". */
export const NO_PROJECT_COLOR = "#94a3b8";
export const OTHER_COLOR = "#64748b";
const OTHER = "other";

const hoursOf = (seconds: number) => seconds / 3600;

/**
 * Groups the stacks by project, keeps the `maxSeries` projects with the most hours as their own
 * series (in the projects' own colours) and folds the rest into "Other projects", so a year of a
 * large workspace stays a readable chart. `fill` lists the keys of every period in the range, so
 * days without time show as empty days, not as missing ones.
 */
export function buildReportChart(
  answer: SummaryAnswer,
  projects: ChartProject[],
  opts: { maxSeries?: number; fill?: { key: string; label: string }[]; labelOf?: (key: string | null, label: string) => string } = {},
): ReportChart {
  const maxSeries = opts.maxSeries ?? 8;
  const byId = new Map(projects.map((p) => [p.id, p]));
  const stacks = answer.stacks ?? [];

  const perProject = new Map<string | null, number>();
  for (const s of stacks) perProject.set(s.projectId, (perProject.get(s.projectId) ?? 0) + s.seconds);
  const ranked = [...perProject.entries()].sort((a, b) => b[1] - a[1] || nameOf(a[0], byId).localeCompare(nameOf(b[0], byId)));
  const own = ranked.length > maxSeries ? ranked.slice(0, maxSeries - 1) : ranked;
  const folded = ranked.slice(own.length);

  const series: Series[] = own.map(([projectId], i) => ({
    dataKey: `s${i}`,
    projectId,
    label: nameOf(projectId, byId),
    color: colorOf(projectId, byId),
  }));
  if (folded.length) series.push({ dataKey: OTHER, projectId: null, label: `Other projects (${folded.length})`, color: OTHER_COLOR });
  const keyOfProject = new Map<string | null, string>(series.filter((s) => s.dataKey !== OTHER).map((s) => [s.projectId, s.dataKey]));

  const labelOf = opts.labelOf ?? ((_key: string | null, label: string) => label);
  const bars = new Map<string, Bar>();
  const barOf = (key: string | null, label: string) => {
    const id = key ?? "";
    let bar = bars.get(id);
    if (!bar) {
      bar = { key: id, label, total: 0 };
      for (const s of series) bar[s.dataKey] = 0;
      bars.set(id, bar);
    }
    return bar;
  };
  for (const f of opts.fill ?? []) barOf(f.key, f.label);
  for (const g of answer.groups) barOf(g.key, labelOf(g.key, g.label));
  for (const s of stacks) {
    const bar = barOf(s.key, labelOf(s.key, s.key ?? ""));
    const dataKey = keyOfProject.get(s.projectId) ?? OTHER;
    bar[dataKey] = (bar[dataKey] as number) + hoursOf(s.seconds);
    bar.total += hoursOf(s.seconds);
  }

  const totalSeconds = stacks.reduce((n, s) => n + s.seconds, 0);
  const shares: Share[] = series.map((s) => {
    const seconds = s.dataKey === OTHER ? folded.reduce((n, [, sec]) => n + sec, 0) : (perProject.get(s.projectId) ?? 0);
    return { projectId: s.projectId, label: s.label, color: s.color, hours: hoursOf(seconds), percent: totalSeconds ? (seconds / totalSeconds) * 100 : 0 };
  });

  // Periods in time order; projects, clients and people with the most hours first.
  const ordered = [...bars.values()].sort(opts.fill ? (a, b) => a.key.localeCompare(b.key) : (a, b) => b.total - a.total || a.label.localeCompare(b.label));
  const groupOf = new Map(answer.groups.map((g) => [g.key ?? "", g]));
  const rows = ordered.map((bar) => {
    const g = groupOf.get(bar.key);
    return { key: bar.key, label: bar.label, hours: hoursOf(g?.seconds ?? 0), billableHours: hoursOf(g?.billableSeconds ?? 0), amountCents: g?.amountCents ?? 0 };
  });
  return { series, bars: ordered, shares, rows, totalHours: hoursOf(totalSeconds) };
}

function nameOf(projectId: string | null, byId: Map<string, ChartProject>): string {
  if (projectId === null) return "No project";
  return byId.get(projectId)?.name ?? "Unknown project";
}

function colorOf(projectId: string | null, byId: Map<string, ChartProject>): string {
  if (projectId === null) return NO_PROJECT_COLOR;
  return byId.get(projectId)?.color ?? OTHER_COLOR;
}
