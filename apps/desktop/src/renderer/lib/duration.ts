/**
 * Durations as people type them: "1:30", "90m", "1.5h", "1h 30m", "45" (minutes), "1,5h" (comma
 * decimals). Returns milliseconds, or null when the text is not a duration.
 */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase().replace(",", ".");
  if (!t) return null;
  const MIN = 60_000;
  const clock = /^(\d{1,3}):([0-5]?\d)(?::([0-5]\d))?$/.exec(t);
  if (clock) return (Number(clock[1]) * 60 + Number(clock[2])) * MIN + Number(clock[3] ?? 0) * 1000;
  const units = /^(?:(\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in(?:utes?)?)?)?$/.exec(t);
  if (units && (units[1] || units[2])) {
    return Math.round((Number(units[1] ?? 0) * 60 + Number(units[2] ?? 0)) * MIN);
  }
  if (/^\d+(?:\.\d+)?$/.test(t)) {
    // A bare number: minutes when whole, hours with a decimal point ("1.5" = 1 h 30 min).
    return Math.round(t.includes(".") ? Number(t) * 60 * MIN : Number(t) * MIN);
  }
  return null;
}

export type DurationFormat = "clock" | "decimal";

/** h:mm (the default everywhere) or decimal hours; negative durations never appear. */
export function formatDuration(ms: number, format: DurationFormat = "clock", locale?: string): string {
  const safe = Math.max(0, ms);
  if (format === "decimal") {
    return hoursFormat(locale).format(safe / 3_600_000);
  }
  const minutes = Math.floor(safe / 60_000);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}`;
}

/** One number format per locale: making one costs far more than using it, and day totals use it on every row. */
const hoursFormats = new Map<string | undefined, Intl.NumberFormat>();
function hoursFormat(locale: string | undefined): Intl.NumberFormat {
  let made = hoursFormats.get(locale);
  if (!made) hoursFormats.set(locale, (made = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })));
  return made;
}

/** The ticking timer: h:mm:ss. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  return `${h}:${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}
