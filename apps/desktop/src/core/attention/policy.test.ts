import { describe, expect, it } from "vitest";
import { defaultPreferences } from "../settings/preferences.js";
import { decideIdle, inWorkingHours, shouldRemind, stopAtDue } from "./policy.js";

/** A clock you set: Tuesday 1 December 2026 at hh:mm, local time. */
const at = (hh: number, mm = 0, day = 1) => new Date(2026, 11, day, hh, mm).getTime();
const prefs = { ...defaultPreferences };
const MIN = 60;

describe("idle policy", () => {
  it("asks after the threshold with a timer running, from when input stopped", () => {
    const timer = { runningSince: at(9), lastEndedAt: null };
    expect(decideIdle(prefs, at(10), 9 * MIN, timer)).toEqual({ kind: "none" });
    expect(decideIdle(prefs, at(10), 10 * MIN, timer)).toEqual({ kind: "ask", idleSince: at(9, 50) });
  });

  it("never asks without a timer, or with the threshold at 0", () => {
    expect(decideIdle(prefs, at(10), 60 * MIN, { runningSince: null, lastEndedAt: null })).toEqual({ kind: "none" });
    expect(decideIdle({ idleThresholdMinutes: 0 }, at(10), 60 * MIN, { runningSince: at(9), lastEndedAt: null })).toEqual({ kind: "none" });
  });

  it("counts sleep as idle from when the machine slept, and never before the timer started", () => {
    const timer = { runningSince: at(9), lastEndedAt: null };
    // Back from a 2 h sleep: the system idle counter restarted, but the sleep began at 10:00.
    expect(decideIdle(prefs, at(12), 5, timer, at(10))).toEqual({ kind: "ask", idleSince: at(10) });
    expect(decideIdle(prefs, at(9, 30), 60 * MIN, timer)).toEqual({ kind: "ask", idleSince: at(9) });
  });
});

describe("reminders", () => {
  const idle = { runningSince: null, lastEndedAt: at(9) };
  it("reminds once after N minutes without a timer in working hours", () => {
    expect(inWorkingHours(prefs, at(9))).toBe(true);
    expect(shouldRemind(prefs, at(9, 14), idle, null)).toBe(false);
    expect(shouldRemind(prefs, at(9, 15), idle, null)).toBe(true);
    expect(shouldRemind(prefs, at(9, 40), idle, at(9, 15))).toBe(false);
  });

  it("stays quiet outside working hours, on days off, with a timer, or when off", () => {
    expect(shouldRemind(prefs, at(18), idle, null)).toBe(false);
    expect(shouldRemind(prefs, at(11, 0, 6), idle, null)).toBe(false); // Sunday 6 December
    expect(shouldRemind(prefs, at(11), { runningSince: at(10), lastEndedAt: null }, null)).toBe(false);
    expect(shouldRemind({ ...prefs, remindAfterMinutes: 0 }, at(11), idle, null)).toBe(false);
  });

  it("counts the quiet time from the start of the working day when the last entry is older", () => {
    expect(shouldRemind(prefs, at(9, 10), { runningSince: null, lastEndedAt: at(17, 0, 0) }, null)).toBe(false);
    expect(shouldRemind(prefs, at(9, 16), { runningSince: null, lastEndedAt: null }, null)).toBe(true);
  });
});

describe("stop a forgotten timer at a set time", () => {
  it("is due from that time on the day the timer started, the next day if it started later", () => {
    const p = { stopAt: "18:00" };
    expect(stopAtDue(p, at(17, 59), { runningSince: at(9), lastEndedAt: null })).toBeNull();
    expect(stopAtDue(p, at(18, 5), { runningSince: at(9), lastEndedAt: null })).toBe(at(18));
    expect(stopAtDue(p, at(19), { runningSince: at(18, 30), lastEndedAt: null })).toBeNull();
    expect(stopAtDue(p, at(18, 1, 2), { runningSince: at(18, 30), lastEndedAt: null })).toBe(at(18, 0, 2));
    expect(stopAtDue({ stopAt: null }, at(23), { runningSince: at(9), lastEndedAt: null })).toBeNull();
  });
});
