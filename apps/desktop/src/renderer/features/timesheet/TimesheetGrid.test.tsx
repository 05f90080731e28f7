import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { buildGrid } from "./grid";
import { periodAt, periodDates, rulesOf } from "./period";
import { TimesheetGrid } from "./TimesheetGrid";

// The workspace is in New York; the instants are UTC, so the test reads the same on any device.
const ZONE = "America/New_York";
const WEEK = periodAt(Date.parse("2026-03-04T12:00:00Z"), rulesOf({ timesheetPeriod: "WEEK", weekStartsOn: 1, timezone: ZONE }));
/** Day `day` of the week of Monday 2 March 2026 at `hour`:`minute` New York time (EST, UTC-5, until the 8th). */
const at = (day: number, hour: number, minute = 0) => Date.UTC(2026, 2, 2 + day, hour + 5, minute);
const projects = new Map([
  ["site", { name: "Site", color: "#ef4444" }],
  ["office", { name: "Office", color: "#3b82f6" }],
]);

afterEach(cleanup);

describe("the timesheet grid", () => {
  it("adds up rows, days and the grand total; a running entry counts up to now; other periods stay out", () => {
    const days = periodDates(WEEK);
    expect(days).toEqual(["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08"]);
    const entries = [
      { projectId: "site", start: at(0, 9), end: at(0, 11) }, // Mon 2:00
      { projectId: "site", start: at(0, 13), end: at(0, 13, 30) }, // Mon 0:30
      { projectId: "office", start: at(1, 9), end: at(1, 10, 15) }, // Tue 1:15
      { projectId: null, start: at(1, 16), end: at(1, 16, 45) }, // Tue 0:45
      { projectId: "office", start: at(4, 8), end: null }, // Fri, running until 10:00
      { projectId: "site", start: at(7, 9), end: at(7, 17) }, // next Monday: not in this week
    ];
    const grid = buildGrid(entries, days, ZONE, at(4, 10), ["office", "site"]);
    render(<TimesheetGrid grid={grid} projects={projects} format="clock" />);

    const rows = screen.getAllByRole("row").slice(1, -1);
    expect(rows.map((r) => within(r).getByRole("rowheader").textContent)).toEqual(["Office", "Site", "No project"]);
    expect(screen.getAllByTestId("row-total").map((c) => c.textContent)).toEqual(["3:15", "2:30", "0:45"]);
    expect(screen.getAllByTestId("day-total").map((c) => c.textContent)).toEqual(["2:30", "2:00", "0:00", "0:00", "2:00", "0:00", "0:00"]);
    expect(screen.getByTestId("grand-total").textContent).toBe("6:30");
    expect(screen.getAllByRole("columnheader")).toHaveLength(9);
  });

  it("puts an entry on the day it starts in the workspace's zone, not the device's, and heads the columns with the workspace's dates", () => {
    // 22:30 on Monday in New York is 03:30 on Tuesday in UTC and 12:30 on Tuesday in Tokyo.
    const lateMonday = { projectId: "site", start: Date.UTC(2026, 2, 3, 3, 30), end: Date.UTC(2026, 2, 3, 4, 30) };
    const newYork = buildGrid([lateMonday], periodDates(WEEK), ZONE, 0);
    expect(newYork.rows[0]!.perDay).toEqual([3_600_000, 0, 0, 0, 0, 0, 0]);
    const tokyoWeek = periodAt(Date.parse("2026-03-04T12:00:00Z"), rulesOf({ timesheetPeriod: "WEEK", weekStartsOn: 1, timezone: "Asia/Tokyo" }));
    expect(buildGrid([lateMonday], periodDates(tokyoWeek), "Asia/Tokyo", 0).rows[0]!.perDay).toEqual([0, 3_600_000, 0, 0, 0, 0, 0]);

    render(<TimesheetGrid grid={newYork} projects={projects} format="clock" />);
    const heads = screen.getAllByRole("columnheader").slice(1, -1).map((h) => h.textContent);
    expect(heads[0]).toMatch(/\b2\b/);
    expect(heads[6]).toMatch(/\b8\b/);
  });

  it("shows decimal hours when the person prefers them, and a month has a column per day", () => {
    const march = periodAt(Date.parse("2026-03-15T12:00:00Z"), rulesOf({ timesheetPeriod: "MONTH", weekStartsOn: 1, timezone: ZONE }));
    const grid = buildGrid([{ projectId: "site", start: at(29, 9), end: at(29, 10, 30) }], periodDates(march), ZONE, 0);
    render(<TimesheetGrid grid={grid} projects={projects} format="decimal" />);
    expect(screen.getAllByTestId("day-total")).toHaveLength(31);
    expect(screen.getByTestId("grand-total").textContent).toBe((1.5).toLocaleString(undefined, { minimumFractionDigits: 2 }));
  });
});
