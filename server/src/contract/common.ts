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

export const name = z.string().trim().min(1, "Required").max(200);
export const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, "A colour like #3b82f6");
export const hourlyRateCents = z.number().int().min(0).max(100_000_00).nullable();
export const email = z.email().max(320).transform((e) => e.trim().toLowerCase());
export const password = z.string().min(10, "At least 10 characters").max(200);

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
