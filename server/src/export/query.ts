import { DateTime } from "luxon";
import { z } from "zod";
import { id } from "../contract/common.js";
import { groupings } from "../contract/reports.js";
import { HttpProblem } from "../http/problem.js";

const EARLIEST = new Date("1970-01-01T00:00:00Z");
const LATEST = new Date("2100-01-01T00:00:00Z");
const isoDate = z.iso.date();
const isoInstant = z.iso.datetime({ offset: true });

const text = z.string({ error: (iss) => (iss.input === undefined ? "Required" : "Give it once, as text") });

/**
 * One end of a range: an ISO date (midnight of that day in the workspace's
 * time zone) or an ISO date-time with Z or an offset (that instant).
 */
function instant(timezone: string) {
  return text.transform((s, ctx) => {
    let at: DateTime | null = null;
    if (isoDate.safeParse(s).success) at = DateTime.fromISO(s, { zone: timezone });
    else if (isoInstant.safeParse(s).success) at = DateTime.fromISO(s, { setZone: true });
    const date = at?.isValid ? at.toJSDate() : null;
    if (!date || date < EARLIEST || date > LATEST) {
      ctx.addIssue({ code: "custom", message: "An ISO date (2026-03-01) or date-time with offset (2026-03-01T08:00:00Z), 1970–2100" });
      return z.NEVER;
    }
    return date;
  });
}

const fromBeforeTo = (q: { from: Date; to: Date }) => q.from < q.to;
const fromBeforeToError = { message: "from must be before to", path: ["to"] };

const optionalId = z.preprocess((v) => (v === "" ? undefined : v), id.optional());

/** "id1,id2": the filter lists of a report, as reports.summary takes them (absent or empty: no filter). */
const idList = text
  .optional()
  .transform((s) => (s ? s.split(",") : undefined))
  .pipe(z.array(id).max(500).optional());

export function entriesQuery(timezone: string) {
  return z
    .object({ from: instant(timezone), to: instant(timezone), userId: optionalId, projectId: optionalId })
    .refine(fromBeforeTo, fromBeforeToError);
}

export function reportQuery(timezone: string) {
  return z
    .object({
      from: instant(timezone),
      to: instant(timezone),
      groupBy: z.enum(groupings),
      userIds: idList,
      projectIds: idList,
      clientIds: idList,
      tagIds: idList,
      billable: z
        .enum(["true", "false"], { error: "true or false" })
        .optional()
        .transform((b) => (b === undefined ? undefined : b === "true")),
    })
    .refine(fromBeforeTo, fromBeforeToError);
}

/** Parses a query string or refuses with 400 and the wrong fields by name. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const fields: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.length ? issue.path.map(String).join(".") : "query";
    (fields[field] ??= []).push(issue.message);
  }
  throw new HttpProblem(400, `Invalid query: ${Object.keys(fields).join(", ")}`, { fields });
}

/** The workspace-local date of an instant, for file names. */
export function localDate(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toISODate() ?? at.toISOString().slice(0, 10);
}
