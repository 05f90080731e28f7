import { dayKey } from "../../lib/dates";

interface Timed {
  id: string;
  start: number;
  end: number | null;
}

export interface DayGroup<E extends Timed> {
  key: string;
  start: number;
  entries: E[];
  totalMs: number;
}

/** An entry's length; a running one counts up to `now`. */
export function entryDuration(e: Timed, now: number): number {
  return Math.max(0, (e.end ?? now) - e.start);
}

/** Entries by local day (newest day first, newest entry first), each day with its total, and the total of all. */
export function groupByDay<E extends Timed>(entries: E[], now: number): { days: DayGroup<E>[]; totalMs: number } {
  const byDay = new Map<string, DayGroup<E>>();
  for (const e of entries) {
    const key = dayKey(e.start);
    let group = byDay.get(key);
    if (!group) {
      const d = new Date(e.start);
      d.setHours(0, 0, 0, 0);
      group = { key, start: d.getTime(), entries: [], totalMs: 0 };
      byDay.set(key, group);
    }
    group.entries.push(e);
    group.totalMs += entryDuration(e, now);
  }
  const days = [...byDay.values()].sort((a, b) => b.start - a.start);
  for (const d of days) d.entries.sort((a, b) => b.start - a.start);
  return { days, totalMs: days.reduce((n, d) => n + d.totalMs, 0) };
}
