import { DateTime } from "luxon";

/**
 * The cells of a time-tracker export read one by one. Each reader answers
 * a value or a refusal in words; nothing here guesses where the text could
 * mean two things.
 */
export type Read<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const no = <T>(problem: string): Read<T> => ({ ok: false, problem });

/** Which of day and month comes first in dates like 03/04/2026. */
export type DateOrder = "DMY" | "MDY";

export interface Day {
  year: number;
  month: number;
  day: number;
}

/** A date written with day and month both 12 or less (03/04/2026) cannot say which is which on its own. */
const SLASHED = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/;
const ISO = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function realDay(year: number, month: number, day: number, text: string): Read<Day> {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return no(`the date "${text}" is not a day of the calendar`);
  }
  return ok({ year, month, day });
}

/** What a slashed date says about the file's order: only a number above 12 tells. */
export function orderEvidence(text: string): DateOrder | null {
  const m = SLASHED.exec(text.trim());
  if (!m) return null;
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (a > 12 && b <= 12) return "DMY";
  if (b > 12 && a <= 12) return "MDY";
  return null;
}

/**
 * A date as Toggl Track and Clockify write it, by their date-format
 * settings: 2026-03-04 (and 2026/03/04), 04.03.2026 (always day first),
 * 04/03/2026 or 03/04/2026 and the same with dashes (day or month first:
 * `order` says which, else the date must say it itself).
 */
export function readDay(text: string, order: DateOrder | null): Read<Day> {
  const t = text.trim();
  if (!t) return no("the date is empty");
  let m = ISO.exec(t);
  if (m) return realDay(Number(m[1]), Number(m[2]), Number(m[3]), t);
  m = DOTTED.exec(t);
  if (m) return realDay(Number(m[3]), Number(m[2]), Number(m[1]), t);
  m = SLASHED.exec(t);
  if (!m) return no(`the date "${t}" is in no format Toggl Track or Clockify exports (like 2026-03-04, 04.03.2026, 04/03/2026)`);
  const [a, b, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // A given order is kept to strictly (19/02 under MDY is no day); without one the date must say it itself.
  const decided = order ?? orderEvidence(t) ?? (a === b ? "DMY" : null);
  if (!decided) {
    return no(
      `the date "${t}" could be ${a} ${MONTHS[b - 1] ?? "?"} or ${b} ${MONTHS[a - 1] ?? "?"}: nothing in the file tells which, so give the date order (day or month first)`,
    );
  }
  return decided === "DMY" ? realDay(year, b, a, t) : realDay(year, a, b, t);
}

export interface ClockTime {
  hour: number;
  minute: number;
  second: number;
}

const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?$/;

/** 09:05, 09:05:30, 9:05 PM, 09:05:30 pm. */
export function readTime(text: string): Read<ClockTime> {
  const t = text.trim();
  if (!t) return no("the time is empty");
  const m = TIME.exec(t);
  if (!m) return no(`the time "${t}" is in no format Toggl Track or Clockify exports (like 09:05, 09:05:30, 9:05 PM)`);
  let hour = Number(m[1]);
  const minute = Number(m[2]);
  const second = m[3] ? Number(m[3]) : 0;
  const meridiem = m[4]?.toLowerCase().replace(/\./g, "");
  if (meridiem) {
    if (hour < 1 || hour > 12) return no(`the time "${t}" has no hour ${hour} on a 12-hour clock`);
    hour = (hour % 12) + (meridiem === "pm" ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) return no(`the time "${t}" is not a time of day`);
  return ok({ hour, minute, second });
}

/**
 * The instant a local date and time name in `zone`. Refused where the zone
 * makes it no instant (clocks went forward past it) or two (clocks went back
 * over it): neither can be read without guessing.
 */
export function readInstant(day: Day, time: ClockTime, zone: string, label: string): Read<Date> {
  const dt = DateTime.fromObject({ ...day, ...time }, { zone });
  const shown = `${day.year}-${pad(day.month)}-${pad(day.day)} ${pad(time.hour)}:${pad(time.minute)}`;
  if (!dt.isValid) return no(`the ${label} ${shown} cannot be read in ${zone}`);
  if (dt.hour !== time.hour || dt.minute !== time.minute || dt.day !== day.day) {
    return no(`the ${label} ${shown} does not exist in ${zone} (the clocks went forward over it)`);
  }
  if (dt.getPossibleOffsets().length > 1) {
    return no(`the ${label} ${shown} happened twice in ${zone} (the clocks went back over it)`);
  }
  return ok(dt.toJSDate());
}

const pad = (n: number) => String(n).padStart(2, "0");

const CLOCK_DURATION = /^(\d{1,4}):(\d{2})(?::(\d{2}))?$/;
const DECIMAL_DURATION = /^(\d{1,4})(?:[.,](\d{1,6}))?$/;

/** A length of time in seconds: 01:30:00, 1:30 (hours and minutes) or 1.5 (decimal hours). */
export function readDuration(text: string): Read<number> {
  const t = text.trim();
  let m = CLOCK_DURATION.exec(t);
  if (m) {
    const minutes = Number(m[2]);
    const seconds = m[3] ? Number(m[3]) : 0;
    if (minutes > 59 || seconds > 59) return no(`the duration "${t}" is not a length of time`);
    return ok(Number(m[1]) * 3600 + minutes * 60 + seconds);
  }
  m = DECIMAL_DURATION.exec(t);
  if (m) return ok(Math.round(Number(`${m[1]}.${m[2] ?? "0"}`) * 3600));
  return no(`the duration "${t}" is in no format Toggl Track or Clockify exports (like 01:30:00 or 1.50)`);
}

const YES = new Set(["yes", "true", "1", "billable", "y"]);
const NO = new Set(["no", "false", "0", "non-billable", "not billable", "n", ""]);

export function readBillable(text: string): Read<boolean> {
  const t = text.trim().toLowerCase();
  if (YES.has(t)) return ok(true);
  if (NO.has(t)) return ok(false);
  return no(`billable is "${text.trim()}", neither Yes nor No`);
}

/** Both exports list tags in one cell, separated by commas. */
export function readTags(text: string): string[] {
  return [...new Set(text.split(",").map((t) => t.trim()).filter(Boolean))];
}
