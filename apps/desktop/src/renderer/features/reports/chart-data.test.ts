import { describe, expect, it } from "vitest";
import { buildReportChart, NO_PROJECT_COLOR, OTHER_COLOR, type SummaryAnswer } from "./chart-data";
import { customRange, periodLabel, periodsOf, presetRange } from "./ranges";

const H = 3600;
const projects = [
  { id: "site", name: "Site", color: "#ef4444" },
  { id: "app", name: "App", color: "#3b82f6" },
];

/** What reports.summary answers for Ann and Bob's two weeks, grouped by day and stacked by project. */
const days: SummaryAnswer = {
  currency: "EUR",
  groups: [
    { key: "2026-03-02", label: "2026-03-02", seconds: 2 * H, billableSeconds: 2 * H, amountCents: 24_000 },
    { key: "2026-03-04", label: "2026-03-04", seconds: 3 * H, billableSeconds: 3 * H, amountCents: 30_000 },
    { key: "2026-03-09", label: "2026-03-09", seconds: 1.5 * H, billableSeconds: H, amountCents: 5_000 },
  ],
  totals: { seconds: 6.5 * H, billableSeconds: 6 * H, amountCents: 59_000 },
  stacks: [
    { key: "2026-03-02", projectId: "site", seconds: 2 * H },
    { key: "2026-03-04", projectId: "site", seconds: 3 * H },
    { key: "2026-03-09", projectId: "app", seconds: 0.5 * H },
    { key: "2026-03-09", projectId: null, seconds: H },
  ],
};

describe("the report chart built from the server's answer", () => {
  it("stacks each day's hours by project in the projects' colours, and each bar adds up to its table row", () => {
    const chart = buildReportChart(days, projects);
    expect(chart.series).toEqual([
      { dataKey: "s0", projectId: "site", label: "Site", color: "#ef4444" },
      { dataKey: "s1", projectId: null, label: "No project", color: NO_PROJECT_COLOR },
      { dataKey: "s2", projectId: "app", label: "App", color: "#3b82f6" },
    ]);
    const monday9 = chart.bars.find((b) => b.key === "2026-03-09")!;
    expect([monday9.s0, monday9.s1, monday9.s2, monday9.total]).toEqual([0, 1, 0.5, 1.5]);
    for (const bar of chart.bars) {
      const row = chart.rows.find((r) => r.key === bar.key)!;
      expect(chart.series.reduce((n, s) => n + (bar[s.dataKey] as number), 0)).toBeCloseTo(row.hours, 9);
    }
    expect(chart.rows.reduce((n, r) => n + r.hours, 0)).toBe(days.totals.seconds / H);
    expect(chart.rows.reduce((n, r) => n + r.amountCents, 0)).toBe(days.totals.amountCents);
    expect(chart.totalHours).toBe(6.5);
  });

  it("gives each project its share of all hours", () => {
    const { shares } = buildReportChart(days, projects);
    expect(shares.map((s) => [s.label, s.hours, Math.round(s.percent * 10) / 10])).toEqual([
      ["Site", 5, 76.9],
      ["No project", 1, 15.4],
      ["App", 0.5, 7.7],
    ]);
    expect(shares.reduce((n, s) => n + s.percent, 0)).toBeCloseTo(100, 9);
  });

  it("folds the smallest projects into one 'Other projects' series so the chart stays readable", () => {
    const many: SummaryAnswer = {
      ...days,
      groups: [{ key: "2026-03-02", label: "", seconds: 55 * H, billableSeconds: 0, amountCents: 0 }],
      stacks: Array.from({ length: 10 }, (_, i) => ({ key: "2026-03-02", projectId: `p${i}`, seconds: (i + 1) * H })),
    };
    const chart = buildReportChart(many, [], { maxSeries: 4 });
    expect(chart.series.map((s) => s.label)).toEqual(["Unknown project", "Unknown project", "Unknown project", "Other projects (7)"]);
    expect(chart.series[3]!.color).toBe(OTHER_COLOR);
    const bar = chart.bars[0]!;
    expect([bar.s0, bar.s1, bar.s2, bar.other]).toEqual([10, 9, 8, 28]);
    expect(chart.shares[3]!.hours).toBe(28);
    expect(bar.total).toBe(55);
  });

  it("shows every day of the range, empty ones too, in time order", () => {
    const range = customRange("2026-03-02", "2026-03-08")!;
    const chart = buildReportChart(days, projects, { fill: periodsOf("day", range, 1) });
    expect(chart.bars.map((b) => b.key)).toEqual([
      "2026-03-02",
      "2026-03-03",
      "2026-03-04",
      "2026-03-05",
      "2026-03-06",
      "2026-03-07",
      "2026-03-08",
      "2026-03-09",
    ]);
    expect(chart.bars[1]!.total).toBe(0);
    expect(chart.rows[1]).toMatchObject({ hours: 0, billableHours: 0, amountCents: 0 });
  });

  it("orders projects, clients and people by hours, most first", () => {
    const byUser: SummaryAnswer = {
      currency: "EUR",
      groups: [
        { key: "u1", label: "ann", seconds: H, billableSeconds: 0, amountCents: 0 },
        { key: "u2", label: "bob", seconds: 3 * H, billableSeconds: 0, amountCents: 0 },
      ],
      totals: { seconds: 4 * H, billableSeconds: 0, amountCents: 0 },
      stacks: [
        { key: "u1", projectId: "app", seconds: H },
        { key: "u2", projectId: "site", seconds: 3 * H },
      ],
    };
    const chart = buildReportChart(byUser, projects);
    expect(chart.rows.map((r) => r.label)).toEqual(["bob", "ann"]);
  });

  it("draws nothing for a range without time", () => {
    const chart = buildReportChart({ currency: "EUR", groups: [], totals: { seconds: 0, billableSeconds: 0, amountCents: 0 }, stacks: [] }, projects);
    expect(chart).toMatchObject({ series: [], bars: [], shares: [], rows: [], totalHours: 0 });
  });
});

describe("report ranges", () => {
  const now = new Date(2026, 11, 2, 15, 30).getTime(); // Wednesday 2 December 2026
  const days = (r: { from: number; to: number }) => [new Date(r.from).toDateString(), new Date(r.to).toDateString()];

  it("starts weeks on the workspace's day", () => {
    expect(days(presetRange("this-week", now, 1))).toEqual(["Mon Nov 30 2026", "Mon Dec 07 2026"]);
    expect(days(presetRange("this-week", now, 0))).toEqual(["Sun Nov 29 2026", "Sun Dec 06 2026"]);
    expect(days(presetRange("last-week", now, 1))).toEqual(["Mon Nov 23 2026", "Mon Nov 30 2026"]);
  });

  it("covers whole months and years, the end not included", () => {
    expect(days(presetRange("this-month", now, 1))).toEqual(["Tue Dec 01 2026", "Fri Jan 01 2027"]);
    expect(days(presetRange("last-month", now, 1))).toEqual(["Sun Nov 01 2026", "Tue Dec 01 2026"]);
    expect(days(presetRange("this-year", now, 1))).toEqual(["Thu Jan 01 2026", "Fri Jan 01 2027"]);
  });

  it("takes a custom range's last day as included and refuses a backwards one", () => {
    expect(days(customRange("2026-03-02", "2026-03-02")!)).toEqual(["Mon Mar 02 2026", "Tue Mar 03 2026"]);
    expect(customRange("2026-03-05", "2026-03-02")).toBeNull();
  });

  it("labels a key that is not a day as itself (never throws on an answer of another grouping)", () => {
    expect(periodLabel("day", "6f1c2a9e-0000-4000-8000-000000000001")).toBe("6f1c2a9e-0000-4000-8000-000000000001");
    expect(periodLabel("week", "2026-03-02")).toMatch(/^Week of /);
  });

  it("lists a range's weeks from the week its first day is in", () => {
    const weeks = periodsOf("week", customRange("2026-03-04", "2026-03-16")!, 1);
    expect(weeks.map((w) => w.key)).toEqual(["2026-03-02", "2026-03-09", "2026-03-16"]);
  });
});
