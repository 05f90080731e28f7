import { z } from "zod";

/** Client-made or server-made row ids: UUIDs, so offline devices can mint them. */
export const id = z.uuid();

export const roles = ["OWNER", "ADMIN", "MANAGER", "EMPLOYEE"] as const;
export const role = z.enum(roles);
export type Role = z.infer<typeof role>;

export const page = z.object({
  limit: z.number().int().min(1).max(500).default(100),
  /** Opaque position returned as `nextCursor` by the previous page. */
  cursor: z.number().int().min(0).default(0),
});
export type Page = z.infer<typeof page>;

export interface Paged<T> {
  items: T[];
  nextCursor: number | null;
}

export function paged<T>(rows: T[], p: Page): Paged<T> {
  // Callers fetch limit + 1 rows: the extra one only tells whether a next page exists.
  const more = rows.length > p.limit;
  return { items: more ? rows.slice(0, p.limit) : rows, nextCursor: more ? p.cursor + p.limit : null };
}

/**
 * True when PostgreSQL can store the text and every client can show it: no
 * NUL character (PostgreSQL text cannot hold one) and no unpaired UTF-16
 * surrogate (not a character at all; JSON and jsonb refuse it).
 */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && value.isWellFormed();
}

const STORABLE = "Text must not contain NUL or broken (unpaired surrogate) characters";

/** Free text up to `max` characters that the database can store as given. */
export const text = (max: number) => z.string().max(max).refine(isStorableText, STORABLE);

export const name = z.string().trim().min(1, "Required").max(200).refine(isStorableText, STORABLE);
export const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, "A colour like #3b82f6");
export const hourlyRateCents = z.number().int().min(0).max(100_000_00).nullable();
export const email = z.email().max(320).transform((e) => e.trim().toLowerCase());
export const password = z.string().min(10, "At least 10 characters").max(200).refine(isStorableText, STORABLE);

/** The span of time the product deals in; PostgreSQL would take more, nobody tracks it. */
export const EARLIEST = new Date("1970-01-01T00:00:00Z");
export const LATEST = new Date("2100-01-01T00:00:00Z");

/** True for a real calendar day written YYYY-MM-DD (2026-02-31 is not one). */
export function isCalendarDay(day: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * An instant within the product's span, from a Date, an ISO string or epoch
 * milliseconds. JavaScript reads "2026-02-31T09:00Z" as 3 March: a string that
 * starts with a date must start with a real one. One function, not a chain of
 * refinements: a sync push parses two of these per entry, thousands a request,
 * and nearly all of them strings, so the string is tried first (a failed branch
 * costs an issue object).
 */
export const instant = z.union([z.string(), z.date(), z.number()], "A date and time").transform((value, ctx) => {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value) && !isCalendarDay(value.slice(0, 10))) {
    ctx.addIssue({ code: "custom", message: "No such day in the calendar" });
    return z.NEVER;
  }
  const date = value instanceof Date ? value : new Date(value);
  const ms = date.getTime();
  const problem = Number.isNaN(ms)
    ? "A date and time"
    : ms < EARLIEST.getTime()
      ? "Too far in the past"
      : ms > LATEST.getTime()
        ? "Too far in the future"
        : null;
  if (problem) {
    ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }
  return date;
});

/** A local calendar date like 2026-03-02: a real day, inside the product's span. */
export const localDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "A date like 2026-03-02")
  .refine(isCalendarDay, "No such day in the calendar")
  .refine((d) => d >= EARLIEST.toISOString().slice(0, 10) && d < LATEST.toISOString().slice(0, 10), "Between 1970 and 2099");

/**
 * An IANA time zone the runtime knows, aliases included (Asia/Kathmandu and
 * Asia/Katmandu alike). Only region names: a bare offset like "+05:00" means
 * the opposite sign to PostgreSQL's POSIX rules, so it is refused.
 */
export const timeZone = z
  .string()
  .max(64)
  .regex(/^[A-Za-z][A-Za-z_]*(\/[A-Za-z0-9_+-]+)*$/, "An IANA time zone like Europe/Berlin")
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "Unknown time zone");
