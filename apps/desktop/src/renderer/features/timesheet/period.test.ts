import { describe, expect, it } from "vitest";
import { closedByLockDate, periodAt, periodDates, periodLabel, recut, rulesOf, shiftPeriod } from "./period";

const week = (timezone: string, weekStartsOn = 1) => rulesOf({ timesheetPeriod: "WEEK", weekStartsOn, timezone });

describe("timesheet periods, cut in the workspace's zone", () => {
  it("finds the week of an instant in the workspace's zone: late Sunday in UTC is already Monday in Tokyo", () => {
    const sundayNightUtc = Date.parse("2026-03-08T20:00:00Z");
    expect(periodAt(sundayNightUtc, week("UTC")).start).toBe("2026-03-02");
    const tokyo = periodAt(sundayNightUtc, week("Asia/Tokyo"));
    expect(tokyo.start).toBe("2026-03-09");
    expect(tokyo.startsAt.toISOString()).toBe("2026-03-08T15:00:00.000Z");
    expect(periodAt(sundayNightUtc, week("UTC", 0)).start).toBe("2026-03-08");
  });

  it("steps forward and back over a daylight-saving change, seven dates each week, a 167-hour week where the clock jumps", () => {
    const rules = week("America/New_York");
    const first = periodAt(Date.parse("2026-03-04T12:00:00Z"), rules);
    const next = shiftPeriod(first, rules, 1);
    expect(next.start).toBe("2026-03-09");
    expect(shiftPeriod(next, rules, -1)).toEqual(first);
    expect(periodDates(first)).toHaveLength(7);
    expect((first.endsAt.getTime() - first.startsAt.getTime()) / 3_600_000).toBe(167);
    const month = rulesOf({ timesheetPeriod: "MONTH", weekStartsOn: 1, timezone: "America/New_York" });
    const february = shiftPeriod(periodAt(Date.parse("2026-03-15T12:00:00Z"), month), month, -1);
    expect([february.start, february.end, periodDates(february).length]).toEqual(["2026-02-01", "2026-03-01", 28]);
  });

  it("names the period by its own dates whatever the device's zone, and is closed by a lock date after its last day", () => {
    const rules = week("Pacific/Kiritimati");
    const period = periodAt(Date.parse("2026-03-04T12:00:00Z"), rules);
    expect(periodLabel(period, rules)).toMatch(/2.*8.*2026|Mar.*2.*8/);
    const month = rulesOf({ timesheetPeriod: "MONTH", weekStartsOn: 1, timezone: "Pacific/Kiritimati" });
    expect(periodLabel(periodAt(Date.parse("2026-03-15T12:00:00Z"), month), month)).toMatch(/March 2026/);
    expect(closedByLockDate(period, new Date("2026-03-09T00:00:00Z"), rules.timezone)).toBe(true);
    expect(closedByLockDate(period, new Date("2026-03-08T00:00:00Z"), rules.timezone)).toBe(false);
    expect(closedByLockDate(period, null, rules.timezone)).toBe(false);
  });

  it("keeps the picked week's dates when a sync brings another zone, and finds the holding week when the week start changed", () => {
    const picked = periodAt(Date.parse("2026-11-25T12:00:00Z"), week("UTC"));
    expect(picked.start).toBe("2026-11-23");
    // Cut again by its start instant, New York would have put it in the week before (19:00 on Sunday).
    expect(recut(picked, week("America/New_York")).start).toBe("2026-11-23");
    expect(recut(picked, week("America/New_York")).startsAt.toISOString()).toBe("2026-11-23T05:00:00.000Z");
    expect(recut(picked, week("UTC", 0)).start).toBe("2026-11-22");
  });

  it("uses the device's zone and Monday weeks until the first sync brings the workspace's rules", () => {
    const rules = rulesOf(undefined);
    expect(rules).toEqual({ kind: "WEEK", weekStartsOn: 1, timezone: Intl.DateTimeFormat().resolvedOptions().timeZone });
  });
});
