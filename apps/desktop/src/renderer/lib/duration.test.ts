import { describe, expect, it } from "vitest";
import { formatDuration, formatElapsed, parseDuration } from "./duration";

const MIN = 60_000;

describe("duration typed by a person", () => {
  it.each([
    ["1:30", 90],
    ["0:05", 5],
    ["90m", 90],
    ["90 min", 90],
    ["1.5h", 90],
    ["1,5h", 90],
    ["1h 30m", 90],
    ["2h", 120],
    ["45", 45],
    ["1.25", 75],
    [" 2:00 ", 120],
  ])("reads %j as %i minutes", (text, minutes) => {
    expect(parseDuration(text)).toBe(minutes * MIN);
  });

  it.each(["", "abc", "1:75", "h", "-1h", "1:30pm"])("refuses %j", (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it("shows durations as h:mm or decimal hours, never negative", () => {
    expect(formatDuration(90 * MIN)).toBe("1:30");
    expect(formatDuration(5 * MIN)).toBe("0:05");
    expect(formatDuration(25 * 60 * MIN)).toBe("25:00");
    expect(formatDuration(-5 * MIN)).toBe("0:00");
    expect(formatDuration(90 * MIN, "decimal", "en-US")).toBe("1.50");
    expect(formatDuration(90 * MIN, "decimal", "de-DE")).toBe("1,50");
    expect(formatElapsed(3_723_000)).toBe("1:02:03");
  });
});
