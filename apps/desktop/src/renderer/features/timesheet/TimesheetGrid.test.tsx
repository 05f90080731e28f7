import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { addDays } from "../../lib/dates";
import { buildGrid, periodDays } from "./grid";
import { TimesheetGrid } from "./TimesheetGrid";

const MONDAY = new Date(2026, 2, 2).getTime();
const at = (day: number, hour: number, minute = 0) => new Date(2026, 2, 2 + day, hour, minute).getTime();
const projects = new Map([
  ["site", { name: "Site", color: "#ef4444" }],
  ["office", { name: "Office", color: "#3b82f6" }],
]);

afterEach(cleanup);

describe("the timesheet grid", () => {
  it("adds up rows, days and the grand total; a running entry counts up to now; other periods stay out", () => {
    const days = periodDays(MONDAY, addDays(MONDAY, 7));
    const entries = [
      { projectId: "site", start: at(0, 9), end: at(0, 11) }, // Mon 2:00
      { projectId: "site", start: at(0, 13), end: at(0, 13, 30) }, // Mon 0:30
      { projectId: "office", start: at(1, 9), end: at(1, 10, 15) }, // Tue 1:15
      { projectId: null, start: at(1, 16), end: at(1, 16, 45) }, // Tue 0:45
      { projectId: "office", start: at(4, 8), end: null }, // Fri, running until 10:00
      { projectId: "site", start: at(7, 9), end: at(7, 17) }, // next Monday: not in this week
    ];
    const grid = buildGrid(entries, days, at(4, 10), ["office", "site"]);
    render(<TimesheetGrid grid={grid} projects={projects} format="clock" />);

    const rows = screen.getAllByRole("row").slice(1, -1);
    expect(rows.map((r) => within(r).getByRole("rowheader").textContent)).toEqual(["Office", "Site", "No project"]);
    expect(screen.getAllByTestId("row-total").map((c) => c.textContent)).toEqual(["3:15", "2:30", "0:45"]);
    expect(screen.getAllByTestId("day-total").map((c) => c.textContent)).toEqual(["2:30", "2:00", "0:00", "0:00", "2:00", "0:00", "0:00"]);
    expect(screen.getByTestId("grand-total").textContent).toBe("6:30");
    expect(screen.getAllByRole("columnheader")).toHaveLength(9);
  });

  it("shows decimal hours when the person prefers them, and a month has a column per day", () => {
    const march = periodDays(new Date(2026, 2, 1).getTime(), new Date(2026, 3, 1).getTime());
    const grid = buildGrid([{ projectId: "site", start: at(29, 9), end: at(29, 10, 30) }], march, 0);
    render(<TimesheetGrid grid={grid} projects={projects} format="decimal" />);
    expect(screen.getAllByTestId("day-total")).toHaveLength(31);
    expect(screen.getByTestId("grand-total").textContent).toBe((1.5).toLocaleString(undefined, { minimumFractionDigits: 2 }));
  });
});
