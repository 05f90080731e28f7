import { addDays, dayKey, fromDayKey, startOfDay, startOfWeek } from "../../lib/dates";

export const PRESETS = ["this-week", "last-week", "this-month", "last-month", "this-year", "custom"] as const;
export type Preset = (typeof PRESETS)[number];

export const PRESET_LABELS: Record<Preset, string> = {
  "this-week": "This week",
  "last-week": "Last week",
  "this-month": "This month",
  "last-month": "Last month",
  "this-year": "This year",
  custom: "Custom",
};

/** A report's range: local midnight `from` up to (not including) local midnight `to`. */
export interface DayRange {
  from: number;
  to: number;
}

/** The range of a preset at `now`, weeks starting on the workspace's day (0 = Sunday). */
export function presetRange(preset: Exclude<Preset, "custom">, now: number, weekStartsOn: number): DayRange {
  const d = new Date(startOfDay(now));
  switch (preset) {
    case "this-week": {
      const from = startOfWeek(now, weekStartsOn);
      return { from, to: addDays(from, 7) };
    }
    case "last-week": {
      const to = startOfWeek(now, weekStartsOn);
      return { from: addDays(to, -7), to };
    }
    case "this-month":
      return { from: new Date(d.getFullYear(), d.getMonth(), 1).getTime(), to: new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime() };
    case "last-month":
      return { from: new Date(d.getFullYear(), d.getMonth() - 1, 1).getTime(), to: new Date(d.getFullYear(), d.getMonth(), 1).getTime() };
    case "this-year":
      return { from: new Date(d.getFullYear(), 0, 1).getTime(), to: new Date(d.getFullYear() + 1, 0, 1).getTime() };
  }
}

/** A custom range from two inclusive day keys ("2026-03-02" to "2026-03-08"), or null when it is backwards. */
export function customRange(firstDay: string, lastDay: string): DayRange | null {
  const from = fromDayKey(firstDay);
  const to = addDays(fromDayKey(lastDay), 1);
  return Number.isFinite(from) && Number.isFinite(to) && from < to ? { from, to } : null;
}

const dayLabel = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });
const weekLabel = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

/** How a period key of the server ("2026-03-02") reads on an axis and in the table. */
export function periodLabel(groupBy: "day" | "week", key: string): string {
  const t = fromDayKey(key);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(key) || Number.isNaN(t)) return key;
  return groupBy === "day" ? dayLabel.format(t) : `Week of ${weekLabel.format(t)}`;
}

/** Every day or week of a range, so empty periods show as empty bars. */
export function periodsOf(groupBy: "day" | "week", range: DayRange, weekStartsOn: number): { key: string; label: string }[] {
  const out: { key: string; label: string }[] = [];
  const step = groupBy === "day" ? 1 : 7;
  for (let t = groupBy === "day" ? range.from : startOfWeek(range.from, weekStartsOn); t < range.to; t = addDays(t, step)) {
    out.push({ key: dayKey(t), label: periodLabel(groupBy, dayKey(t)) });
  }
  return out;
}

/** "2 Mar – 8 Mar 2026" for the range's first and last day. */
export function rangeText(range: DayRange): string {
  return new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" }).formatRange(range.from, addDays(range.to, -1));
}
