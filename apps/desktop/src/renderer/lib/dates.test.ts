import { describe, expect, it } from "vitest";
import { atTime, parseTimeOfDay, startOfWeek } from "./dates";

describe("a clock time as a person types it", () => {
  it.each([
    ["9:30", [9, 30]],
    ["09:30", [9, 30]],
    ["21:30", [21, 30]],
    ["0:01", [0, 1]],
    ["9.30", [9, 30]],
    ["930", [9, 30]],
    ["9", [9, 0]],
    ["9:30 am", [9, 30]],
    ["9:30 PM", [21, 30]],
    ["9pm", [21, 0]],
    ["12:05 am", [0, 5]],
    ["12:05 pm", [12, 5]],
    ["9:30 p.m.", [21, 30]],
  ])("reads %j as %j (12 or 24 h, whatever the locale shows)", (text, hm) => {
    expect(parseTimeOfDay(text)).toEqual(hm);
  });

  it.each(["", "abc", "24:00", "9:75", "13 pm", "0 am", "9:30 xm"])("refuses %j", (text) => {
    expect(parseTimeOfDay(text)).toBeNull();
  });

  it("sets the time on the local day given", () => {
    const day = new Date(2026, 11, 1, 15, 45).getTime();
    expect(atTime(day, "9:30 pm")).toBe(new Date(2026, 11, 1, 21, 30).getTime());
    expect(atTime(day, "nonsense")).toBeNull();
  });
});

describe("weeks start on the workspace's day", () => {
  // Wednesday 2 December 2026, afternoon.
  const wednesday = new Date(2026, 11, 2, 15, 0).getTime();
  it.each([
    [1, new Date(2026, 10, 30)], // Monday
    [0, new Date(2026, 10, 29)], // Sunday
    [6, new Date(2026, 10, 28)], // Saturday
    [3, new Date(2026, 11, 2)], // Wednesday itself
  ])("weekStartsOn %i", (weekStartsOn, expected) => {
    expect(startOfWeek(wednesday, weekStartsOn)).toBe(expected.getTime());
  });
});
