import { describe, expect, it } from "vitest";
import { entryDuration, groupByDay } from "./grouping";

const at = (day: number, hour: number, minute = 0) => new Date(2026, 10, day, hour, minute).getTime();
const entry = (id: string, start: number, end: number | null) => ({ id, start, end });

describe("entries grouped by day with totals", () => {
  it("groups by local day, newest day and newest entry first, with day and week totals", () => {
    const now = at(4, 12);
    const { days, totalMs } = groupByDay(
      [entry("a", at(2, 9), at(2, 10)), entry("b", at(3, 9), at(3, 9, 30)), entry("c", at(2, 13), at(2, 15, 15)), entry("run", at(4, 11), null)],
      now,
    );
    expect(days.map((d) => d.key)).toEqual(["2026-11-04", "2026-11-03", "2026-11-02"]);
    expect(days[2]!.entries.map((e) => e.id)).toEqual(["c", "a"]);
    expect(days.map((d) => d.totalMs / 60_000)).toEqual([60, 30, 195]);
    expect(totalMs / 60_000).toBe(285);
  });

  it("counts a running entry up to now, and nothing for an empty week", () => {
    expect(entryDuration(entry("r", at(4, 11), null), at(4, 11, 20)) / 60_000).toBe(20);
    expect(groupByDay([], Date.now())).toEqual({ days: [], totalMs: 0 });
  });

  it("keeps an entry that runs past midnight on the day it started", () => {
    const { days } = groupByDay([entry("late", at(2, 23), at(3, 1))], at(5, 0));
    expect(days).toHaveLength(1);
    expect(days[0]!.key).toBe("2026-11-02");
    expect(days[0]!.totalMs / 60_000).toBe(120);
  });
});
