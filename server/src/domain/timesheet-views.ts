import { DateTime } from "luxon";
import type { TenantDb } from "../db/tenant.js";
import { periodStarting, type Period } from "../contract/periods.js";
import type { TeamStanding } from "../contract/timesheets.js";
import { DomainError } from "./errors.js";
import { periodRules, type WorkspaceLockSettings } from "./locks.js";
import { currentPeriod, sheetSpan } from "./timesheets.js";

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The day before an ISO date: the inclusive last day of a period whose end is exclusive. */
export function dayBefore(isoDay: string): string {
  return DateTime.fromISO(isoDay, { zone: "utc" }).minus({ days: 1 }).toISODate()!;
}

interface StoredSheet {
  id: string;
  userId: string;
  periodStart: Date;
  periodEnd: Date;
  status: string;
  comment: string | null;
  submittedAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
}

/**
 * A timesheet as the API answers it. `periodEnd` is the first day AFTER the
 * period (exclusive, kept for existing clients); `periodLastDay` is the last
 * day IN it, which is what people read "end" as.
 */
export function presentSheet(t: StoredSheet) {
  const periodEnd = day(t.periodEnd);
  return {
    id: t.id,
    userId: t.userId,
    periodStart: day(t.periodStart),
    periodEnd,
    periodLastDay: dayBefore(periodEnd),
    status: t.status,
    comment: t.comment,
    submittedAt: t.submittedAt,
    decidedAt: t.decidedAt,
    decidedBy: t.decidedBy,
  };
}

/** Finished seconds per sheet (and the projects it touches), from one read of the people's entries. */
async function sheetFigures(db: TenantDb, tenantId: string, sheets: StoredSheet[], timezone: string) {
  const figures = new Map<string, { totalSeconds: number; projectIds: Set<string> }>();
  if (sheets.length === 0) return figures;
  const spans = sheets.map((s) => ({ sheet: s, ...sheetSpan(s, timezone) }));
  const from = new Date(Math.min(...spans.map((s) => s.startsAt.getTime())));
  const to = new Date(Math.max(...spans.map((s) => s.endsAt.getTime())));
  const entries = await db.timeEntry.findMany({
    where: { tenantId, userId: { in: [...new Set(sheets.map((s) => s.userId))] }, start: { gte: from, lt: to } },
    select: { userId: true, start: true, end: true, projectId: true },
  });
  for (const span of spans) {
    const mine = entries.filter((e) => e.userId === span.sheet.userId && e.start >= span.startsAt && e.start < span.endsAt);
    figures.set(span.sheet.id, {
      totalSeconds: mine.reduce((sum, e) => sum + (e.end ? (e.end.getTime() - e.start.getTime()) / 1000 : 0), 0),
      projectIds: new Set(mine.flatMap((e) => (e.projectId ? [e.projectId] : []))),
    });
  }
  return figures;
}

/** Submitted timesheets of others, oldest submission first, with who and how much. */
export async function pendingQueue(
  db: TenantDb,
  tenantId: string,
  callerId: string,
  filter: { userId?: string; projectId?: string },
  timezone: string,
) {
  const rows = await db.timesheet.findMany({
    where: {
      tenantId,
      status: "SUBMITTED",
      AND: [{ userId: { not: callerId } }, ...(filter.userId ? [{ userId: filter.userId }] : [])],
    },
    include: { user: { select: { name: true, email: true } } },
    orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
  });
  const figures = await sheetFigures(db, tenantId, rows, timezone);
  return rows
    .filter((r) => !filter.projectId || figures.get(r.id)?.projectIds.has(filter.projectId))
    .map((r) => ({
      ...presentSheet(r),
      person: { name: r.user.name, email: r.user.email },
      totalSeconds: figures.get(r.id)?.totalSeconds ?? 0,
      projectIds: [...(figures.get(r.id)?.projectIds ?? [])],
    }));
}

/** The person's other timesheets that someone has decided, newest first: the reviewer's context. */
export async function earlierDecisions(db: TenantDb, tenantId: string, sheet: { id: string; userId: string }) {
  const rows = await db.timesheet.findMany({
    where: { tenantId, userId: sheet.userId, id: { not: sheet.id }, status: { in: ["APPROVED", "REJECTED"] } },
    orderBy: { periodStart: "desc" },
    take: 10,
  });
  return rows.map(presentSheet);
}

function periodFor(ws: WorkspaceLockSettings, periodStart: string | undefined): Period {
  if (!periodStart) return currentPeriod(ws);
  const period = periodStarting(periodStart, periodRules(ws));
  if (!period) throw new DomainError("VALIDATION", `No ${ws.timesheetPeriod.toLowerCase()} starts on ${periodStart}`);
  return period;
}

/** Every member's standing for one period: submitted, decided, not submitted, or nothing tracked, with hours. */
export async function teamOverview(db: TenantDb, tenantId: string, ws: WorkspaceLockSettings, periodStart: string | undefined, now = new Date()) {
  const period = periodFor(ws, periodStart);
  const [members, sheets, entries] = await Promise.all([
    db.membership.findMany({
      where: { tenantId },
      include: { user: { select: { name: true, email: true } } },
      orderBy: { createdAt: "asc" },
    }),
    db.timesheet.findMany({ where: { tenantId, periodStart: new Date(`${period.start}T00:00:00Z`) } }),
    db.timeEntry.findMany({
      where: { tenantId, start: { gte: period.startsAt, lt: period.endsAt }, end: { not: null } },
      select: { userId: true, start: true, end: true },
    }),
  ]);
  const over = now >= period.endsAt;
  const people = members.map((m) => {
    const sheet = sheets.find((s) => s.userId === m.userId);
    const totalSeconds = entries
      .filter((e) => e.userId === m.userId)
      .reduce((sum, e) => sum + (e.end!.getTime() - e.start.getTime()) / 1000, 0);
    const inHand = sheet && ["SUBMITTED", "APPROVED", "REJECTED"].includes(sheet.status);
    const standing: TeamStanding = inHand ? (sheet.status as TeamStanding) : totalSeconds > 0 ? "NOT_SUBMITTED" : "NOTHING_TRACKED";
    return {
      userId: m.userId,
      name: m.user.name,
      email: m.user.email,
      role: m.role,
      standing,
      late: over && standing !== "SUBMITTED" && standing !== "APPROVED",
      totalSeconds,
      timesheetId: sheet?.id ?? null,
      comment: sheet?.status === "REJECTED" ? sheet.comment : null,
    };
  });
  return { periodStart: period.start, periodEnd: period.end, periodLastDay: dayBefore(period.end), over, people };
}
