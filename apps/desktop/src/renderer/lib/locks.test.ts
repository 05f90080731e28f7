import { describe, expect, it } from "vitest";
import type { LockState } from "@hoursync/contract";
import { lockMessage } from "./lock-words";
import { periodLocks } from "./locks";

const UTC: LockState = { timezone: "UTC", weekStartsOn: 0, timesheetPeriod: "WEEK", lockBefore: null, lockGraceDays: null, approved: [] };
const at = (iso: string) => Date.parse(iso);
const NOW = at("2026-12-01T12:00:00Z");

describe("locked time on the Track screen (the contract's rule, before anyone types)", () => {
  it("knows nothing is locked before the first pull, and weeks start on Monday until then", () => {
    const locks = periodLocks(null, NOW);
    expect(locks.reasonAt(at("2020-01-01T00:00:00Z"))).toBeNull();
    expect(locks.weekStartsOn).toBe(1);
  });

  it("tells an approved period (end exclusive, in the workspace's zone) from time an admin closed", () => {
    const locks = periodLocks({ ...UTC, lockBefore: new Date("2026-10-01T00:00:00Z"), approved: [{ start: "2026-11-01", end: "2026-11-08" }] }, NOW);
    expect(locks.reasonAt(at("2026-11-01T00:00:00Z"))).toBe("approved");
    expect(locks.reasonAt(at("2026-11-07T23:59:59Z"))).toBe("approved");
    expect(locks.reasonAt(at("2026-11-08T00:00:00Z"))).toBeNull();
    expect(locks.reasonAt(at("2026-09-30T10:00:00Z"))).toBe("closed");
    expect(locks.weekStartsOn).toBe(0);
  });

  it("locks a whole span only when every day of it is locked", () => {
    const locks = periodLocks({ ...UTC, approved: [{ start: "2026-11-01", end: "2026-11-08" }] }, NOW);
    // Whole days in the person's zone must fall inside: compare with the zone the test runs in.
    const day = new Date("2026-11-03T00:00:00Z");
    const localDay = new Date(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()).getTime();
    const offset = new Date(localDay).getTimezoneOffset() * 60_000;
    const start = localDay - offset; // 3 November, 00:00 UTC
    expect(locks.reasonFor(start, start + 2 * 86_400_000)).toBe("approved");
    expect(locks.reasonFor(start, start + 6 * 86_400_000)).toBeNull(); // runs into the open 8th
  });

  it("follows the rolling grace period with the clock", () => {
    const state = { ...UTC, lockGraceDays: 3 };
    // Periods before the one holding (now - 3 days) = 28 November, i.e. before Sunday 22 November, are closed.
    expect(periodLocks(state, NOW).reasonAt(at("2026-11-20T09:00:00Z"))).toBe("closed");
    expect(periodLocks(state, NOW).reasonAt(at("2026-11-25T09:00:00Z"))).toBeNull();
    expect(periodLocks(state, NOW).reasonAt(at("2026-12-01T09:00:00Z"))).toBeNull();
  });

  it("explains in words what to do", () => {
    expect(lockMessage("approved", "week")).toBe("This week is approved and locked. Ask an admin to reopen it.");
    expect(lockMessage("closed", "day")).toMatch(/closed by an admin.*Ask an admin to reopen it/);
    expect(lockMessage("approved", "entry")).toMatch(/approved, locked period/);
  });
});
