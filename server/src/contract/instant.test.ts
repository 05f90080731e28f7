import { describe, expect, it } from "vitest";
import { instant } from "./common.js";

const refusal = (value: unknown) => {
  const parsed = instant.safeParse(value);
  return parsed.success ? null : parsed.error.issues[0]!.message;
};

describe("instant", () => {
  it("reads an ISO string with its offset, a Date and epoch milliseconds as the same instant", () => {
    const at = Date.UTC(2026, 2, 1, 8);
    expect(instant.parse("2026-03-01T10:00:00+02:00").getTime()).toBe(at);
    expect(instant.parse(new Date(at)).getTime()).toBe(at);
    expect(instant.parse(at).getTime()).toBe(at);
  });

  it("refuses a day the calendar does not have, instead of rolling it into the next month", () => {
    expect(refusal("2026-02-31T09:00Z")).toBe("No such day in the calendar");
    expect(refusal("2028-02-29T09:00Z")).toBeNull();
  });

  it("refuses what is not a date, or lies outside 1970-2100, in words", () => {
    expect(refusal("garbage")).toBe("A date and time");
    expect(refusal(null)).toBe("A date and time");
    expect(refusal(new Date(Number.NaN))).toBe("A date and time");
    expect(refusal("1960-01-01T00:00Z")).toBe("Too far in the past");
    expect(refusal("2200-01-01T00:00Z")).toBe("Too far in the future");
  });
});
