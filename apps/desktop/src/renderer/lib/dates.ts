/** Calendar helpers in the person's local time zone. Weeks start on `weekStartsOn` (0 = Sunday, 1 = Monday). */

export function startOfDay(t: number): number {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function addDays(t: number, days: number): number {
  const d = new Date(t);
  d.setDate(d.getDate() + days);
  return d.getTime();
}

export function startOfWeek(t: number, weekStartsOn = 1): number {
  const day = new Date(startOfDay(t));
  const back = (day.getDay() - weekStartsOn + 7) % 7;
  return addDays(day.getTime(), -back);
}

/** "2026-12-01" for the local day of `t`: a stable key for grouping and for date inputs. */
export function dayKey(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

export function fromDayKey(key: string): number {
  const [y, m, d] = key.split("-").map(Number);
  return new Date(y!, (m ?? 1) - 1, d ?? 1).getTime();
}

/** "09:30" (24 h): a stable clock time for code and tests; people see `formatTime`. */
export function timeOfDay(t: number): string {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/**
 * The locale's formats are made on first use, not when this module loads: the first
 * Intl.DateTimeFormat of a page costs tens of milliseconds (the locale's data), which the first
 * screen's reads can hide (`warmDateFormats`), while the loading of the code cannot.
 */
function once<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
}

const timeLabel = once(() => new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" }));

/** Whether the person's locale shows 12-hour times (then time fields need room for "AM"/"PM"). */
export const clockUses12Hours = once(() => /h1[12]/.test(timeLabel().resolvedOptions().hourCycle ?? ""));

/** The locale's words for before and after noon ("AM"/"PM", "a. m.", "午前"...), lower case. */
function dayPeriods(format: Intl.DateTimeFormat): [string, string] {
  const word = (h: number) => format.formatToParts(new Date(2000, 0, 1, h)).find((p) => p.type === "dayPeriod")?.value.toLowerCase() ?? "";
  return [word(1), word(13)];
}
const localPeriods = once(() => dayPeriods(new Intl.DateTimeFormat(undefined, { hour: "numeric", hourCycle: "h12" })));

/**
 * A clock time as a person types it, in 24 h or 12 h whatever the locale shows: "9:30",
 * "09:30", "21:30", "9.30", "9:30 pm", "9pm", "9 a.m.", or the locale's own AM/PM words.
 * Returns [hours, minutes], or null when it is not a time.
 */
export function parseTimeOfDay(text: string): [number, number] | null {
  // "930" and "2130" are 9:30 and 21:30.
  const spaced = text.trim().replace(/^(\d{1,2})(\d{2})(?!\d)/, "$1:$2");
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(.*)$/i.exec(spaced);
  if (!m) return null;
  let hours = Number(m[1]);
  const minutes = Number(m[2] ?? 0);
  const suffix = m[3]!.toLowerCase().replace(/\s+/g, "");
  const plain = suffix.replace(/\./g, "");
  // The locale's own words are looked up only for a suffix that is not am/pm (most times have none).
  const localWord = (i: 0 | 1) => {
    if (suffix === "") return false;
    const word = localPeriods()[i];
    return word !== "" && suffix === word.replace(/\s+/g, "");
  };
  const am = plain === "am" || plain === "a" || localWord(0);
  const pm = plain === "pm" || plain === "p" || localWord(1);
  if (minutes > 59) return null;
  if (am || pm) {
    if (hours < 1 || hours > 12) return null;
    hours = (hours % 12) + (pm ? 12 : 0);
  } else if (suffix !== "" || hours > 23) return null;
  return [hours, minutes];
}

/** Sets a clock time typed by a person (see `parseTimeOfDay`) on the local day of `day`. */
export function atTime(day: number, text: string): number | null {
  const time = parseTimeOfDay(text);
  if (!time) return null;
  const d = new Date(day);
  d.setHours(time[0], time[1], 0, 0);
  return d.getTime();
}

const dayLabel = once(() => new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "short" }));
const rangeLabel = once(() => new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" }));
const relative = once(() => new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }));

/** Makes the formats the Track screen shows (day headings, times, the week), while its reads are on their way. */
export function warmDateFormats(): void {
  timeLabel();
  dayLabel();
  rangeLabel();
  relative();
}

export function formatDay(t: number, now = Date.now()): string {
  const diff = Math.round((startOfDay(t) - startOfDay(now)) / 86_400_000);
  if (diff === 0 || diff === -1) return `${relative().format(diff, "day").replace(/^./, (c) => c.toUpperCase())}, ${dayLabel().format(t)}`;
  return dayLabel().format(t);
}

/** A clock time as the person's locale shows it: "9:30 AM" (12 h) or "09:30" (24 h). */
export function formatTime(t: number): string {
  return timeLabel().format(t);
}

/** "9:30 AM" or "09:30": a time as the person's locale shows it, for messages that say what to type. */
export function exampleTime(): string {
  return formatTime(new Date(2000, 0, 1, 9, 30).getTime());
}

/** A number in the person's locale ("1,234.5" or "1.234,5"). */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(undefined, options).format(n);
}

export function formatWeek(start: number): string {
  return `${rangeLabel().formatRange(start, addDays(start, 6))}`;
}

/** "2 min ago", "just now": when the last sync happened. */
export function formatAgo(t: number, now = Date.now()): string {
  const s = Math.round((t - now) / 1000);
  if (Math.abs(s) < 10) return "just now";
  if (Math.abs(s) < 60) return relative().format(s, "second");
  if (Math.abs(s) < 3600) return relative().format(Math.round(s / 60), "minute");
  if (Math.abs(s) < 86_400) return relative().format(Math.round(s / 3600), "hour");
  return relative().format(Math.round(s / 86_400), "day");
}
