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

/** "09:30" (24 h) for time inputs, whatever the locale shows. */
export function timeOfDay(t: number): string {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/** Sets the clock time "HH:MM" on the local day of `day`. */
export function atTime(day: number, hhmm: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  const d = new Date(day);
  d.setHours(Number(m[1]), Number(m[2]), 0, 0);
  return d.getTime();
}

const dayLabel = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "short" });
const timeLabel = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const rangeLabel = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

export function formatDay(t: number, now = Date.now()): string {
  const diff = Math.round((startOfDay(t) - startOfDay(now)) / 86_400_000);
  if (diff === 0 || diff === -1) return `${relative.format(diff, "day").replace(/^./, (c) => c.toUpperCase())}, ${dayLabel.format(t)}`;
  return dayLabel.format(t);
}

export function formatTime(t: number): string {
  return timeLabel.format(t);
}

export function formatWeek(start: number): string {
  return `${rangeLabel.formatRange(start, addDays(start, 6))}`;
}

/** "2 min ago", "just now": when the last sync happened. */
export function formatAgo(t: number, now = Date.now()): string {
  const s = Math.round((t - now) / 1000);
  if (Math.abs(s) < 10) return "just now";
  if (Math.abs(s) < 60) return relative.format(s, "second");
  if (Math.abs(s) < 3600) return relative.format(Math.round(s / 60), "minute");
  if (Math.abs(s) < 86_400) return relative.format(Math.round(s / 3600), "hour");
  return relative.format(Math.round(s / 86_400), "day");
}
