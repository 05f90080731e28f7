import { z } from "zod";

const ids = z.array(z.uuid()).max(500).optional();
const day = z.iso.date();

/**
 * What the window may export: entries or a report's totals over whole days (the workspace's
 * days: the server reads date-only bounds in the workspace's time zone), with the report's
 * filters. `to` is the last day included.
 */
export const exportRequest = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("entries"),
    from: day,
    to: day,
    /** The entries export filters by one person and one project at most. */
    userId: z.uuid().optional(),
    projectId: z.uuid().optional(),
  }),
  z.object({
    kind: z.literal("report"),
    from: day,
    to: day,
    groupBy: z.enum(["day", "week", "project", "client", "user"]),
    userIds: ids,
    projectIds: ids,
    clientIds: ids,
    tagIds: ids,
    billable: z.boolean().optional(),
  }),
]);

export type ExportRequest = z.infer<typeof exportRequest>;

/** The day after an ISO date: the server's `to` is exclusive. */
function nextDay(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The server's export route for a request. */
export function exportUrl(serverUrl: string, req: ExportRequest): URL {
  const url = new URL(`/export/${req.kind === "entries" ? "entries" : "report"}.csv`, serverUrl);
  const q = url.searchParams;
  q.set("from", req.from);
  q.set("to", nextDay(req.to));
  if (req.kind === "entries") {
    if (req.userId) q.set("userId", req.userId);
    if (req.projectId) q.set("projectId", req.projectId);
  } else {
    q.set("groupBy", req.groupBy);
    for (const key of ["userIds", "projectIds", "clientIds", "tagIds"] as const) {
      if (req[key]?.length) q.set(key, req[key].join(","));
    }
    if (req.billable !== undefined) q.set("billable", String(req.billable));
  }
  return url;
}
