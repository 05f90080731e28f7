import { describe, expect, it } from "vitest";
import { readCsv } from "./csv-read.js";
import { fileDateOrder, readRow } from "./csv-rows.js";
import { readBillable, readDay, readDuration, readInstant, readTags, readTime } from "./csv-values.js";

const value = <T>(r: { ok: true; value: T } | { ok: false; problem: string }) => (r.ok ? r.value : `refused: ${r.problem}`);

describe("csv cells", () => {
  it("reads the date formats of both exports, and refuses what could be two days", () => {
    expect(value(readDay("2026-03-04", null))).toEqual({ year: 2026, month: 3, day: 4 });
    expect(value(readDay("04.03.2026", null))).toEqual({ year: 2026, month: 3, day: 4 });
    expect(value(readDay("19/02/2026", null))).toEqual({ year: 2026, month: 2, day: 19 });
    expect(value(readDay("02/19/2026", null))).toEqual({ year: 2026, month: 2, day: 19 });
    expect(value(readDay("05-05-2026", null))).toEqual({ year: 2026, month: 5, day: 5 });
    expect(value(readDay("03/04/2026", "DMY"))).toEqual({ year: 2026, month: 4, day: 3 });
    expect(value(readDay("03/04/2026", "MDY"))).toEqual({ year: 2026, month: 3, day: 4 });
    expect(value(readDay("03/04/2026", null))).toMatch(/could be 3 April or 4 March/);
    expect(value(readDay("2026-02-30", null))).toMatch(/not a day of the calendar/);
    expect(value(readDay("19/02/2026", "MDY"))).toMatch(/not a day of the calendar/);
    expect(value(readDay("Feb 19, 2026", null))).toMatch(/no format/);
  });

  it("reads 24-hour and 12-hour times", () => {
    expect(value(readTime("09:05"))).toEqual({ hour: 9, minute: 5, second: 0 });
    expect(value(readTime("21:05:30"))).toEqual({ hour: 21, minute: 5, second: 30 });
    expect(value(readTime("9:05 PM"))).toEqual({ hour: 21, minute: 5, second: 0 });
    expect(value(readTime("12:00 AM"))).toEqual({ hour: 0, minute: 0, second: 0 });
    expect(value(readTime("12:30 pm"))).toEqual({ hour: 12, minute: 30, second: 0 });
    expect(value(readTime("24:00"))).toMatch(/not a time of day/);
    expect(value(readTime("13:00 PM"))).toMatch(/12-hour clock/);
  });

  it("puts local times in the zone, refusing the hour that does not exist and the one that happens twice", () => {
    const day = { year: 2026, month: 3, day: 29 };
    expect(value(readInstant(day, { hour: 1, minute: 30, second: 0 }, "Europe/Berlin", "start"))).toEqual(new Date("2026-03-29T00:30:00Z"));
    expect(value(readInstant(day, { hour: 3, minute: 30, second: 0 }, "Europe/Berlin", "start"))).toEqual(new Date("2026-03-29T01:30:00Z"));
    expect(value(readInstant(day, { hour: 2, minute: 30, second: 0 }, "Europe/Berlin", "start"))).toMatch(/does not exist in Europe\/Berlin/);
    const back = { year: 2026, month: 10, day: 25 };
    expect(value(readInstant(back, { hour: 2, minute: 30, second: 0 }, "Europe/Berlin", "end"))).toMatch(/happened twice/);
  });

  it("reads durations, billable flags and tag lists", () => {
    expect(value(readDuration("01:30:00"))).toBe(5400);
    expect(value(readDuration("1:30"))).toBe(5400);
    expect(value(readDuration("1.50"))).toBe(5400);
    expect(value(readDuration("1,5"))).toBe(5400);
    expect(value(readDuration("ninety"))).toMatch(/no format/);
    expect([readBillable("Yes"), readBillable("No"), readBillable("")].map(value)).toEqual([true, false, false]);
    expect(value(readBillable("maybe"))).toMatch(/neither Yes nor No/);
    expect(readTags("site, travel ,site,")).toEqual(["site", "travel"]);
  });
});

describe("csv rows", () => {
  const toggl = (rows: string[]) =>
    readCsv(["User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount (USD)", ...rows].join("\n"), "auto");

  it("detects the format, numbers rows as a spreadsheet does and keeps quoted commas and line breaks", () => {
    const file = toggl([
      'Ann,ann@x.test,Acme,Web,,"Call, then ""notes""\nand more",Yes,2026-03-02,09:00:00,2026-03-02,10:00:00,01:00:00,"a, b",',
      "Ann,ann@x.test,,,,short,No,2026-03-02,10:00:00,2026-03-02,10:30:00,00:30:00,,",
    ]);
    expect(file.format).toBe("toggl");
    expect(file.rows.map((r) => r.row)).toEqual([2, 3]);
    const gaps = readCsv(`${["Start date,Start time,Duration", '2026-03-02,09:00,"1:00\n"', "", ",,", "2026-03-02,11:00,1:00"].join("\r\n")}\r\n`, "auto");
    // A blank line is an empty row in a spreadsheet; a line break inside quotes is not a row.
    expect(gaps.rows.map((r) => r.row)).toEqual([2, 5]);
    expect(file.rows[0]!.cells.description).toBe('Call, then "notes"\nand more');
    const read = readRow(file.rows[0]!, "UTC", null);
    expect(read).toMatchObject({ ok: true, draft: { email: "ann@x.test", tags: ["a", "b"], billable: true, start: new Date("2026-03-02T09:00:00Z") } });
  });

  it("infers the date order from the file's unambiguous dates", () => {
    const dmy = toggl(["Ann,ann@x.test,,,,a,No,03/04/2026,09:00,03/04/2026,10:00,,,", "Ann,ann@x.test,,,,b,No,19/04/2026,09:00,19/04/2026,10:00,,,"]);
    expect(fileDateOrder(dmy.rows)).toBe("DMY");
    const both = toggl(["Ann,ann@x.test,,,,a,No,04/19/2026,09:00,04/19/2026,10:00,,,", "Ann,ann@x.test,,,,b,No,19/04/2026,09:00,19/04/2026,10:00,,,"]);
    expect(fileDateOrder(both.rows)).toBeNull();
  });

  it("names every problem of a refused row", () => {
    const file = toggl(["Ann,ann@x.test,,,Design,a,Perhaps,2026-03-02,10:00,2026-03-02,09:00,,,", "Ann,ann@x.test,,,,b,No,2026-03-02,08:00,2026-03-03,09:00,,,"]);
    const [first, second] = file.rows.map((r) => readRow(r, "UTC", null));
    expect(first).toMatchObject({ ok: false, row: 2 });
    const reason = first!.ok ? "" : first!.reason;
    expect(reason).toContain("neither Yes nor No");
    expect(reason).toContain('names the task "Design" but no project');
    expect(reason).toContain("ends before it starts");
    expect(second).toEqual({ ok: false, row: 3, reason: "it lasts 25:00, longer than the 24 hours an entry may last" });
  });

  it("refuses a file that is not one of the exports, or not CSV", () => {
    expect(() => readCsv("Date,Hours\n2026-01-01,3", "auto")).toThrow(/not a Toggl Track or Clockify/);
    expect(() => readCsv('Start date,Start time\n"2026-01-01,09:00', "auto")).toThrow(/not valid CSV/);
    expect(() => readCsv("Start date,Start time,Tags\n2026-01-01,09:00,", "toggl")).toThrow(/lacks the columns End date and End time, or Duration/);
  });
});
