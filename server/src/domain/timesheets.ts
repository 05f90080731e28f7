import type { TenantDb } from "../db/tenant.js";
import type { Role } from "../contract/common.js";
import type { TimesheetStatus } from "../contract/timesheets.js";
import { DomainError } from "./errors.js";
import { localDate, periodOf, startOfLocalDate, type Period } from "../contract/periods.js";
import { periodRules, type WorkspaceLockSettings } from "./locks.js";

/** Which transitions a timesheet may make, and who makes them. */
const NEXT: Record<string, { from: TimesheetStatus[]; to: TimesheetStatus }> = {
  submit: { from: ["REJECTED", "WITHDRAWN", "REOPENED"], to: "SUBMITTED" },
  withdraw: { from: ["SUBMITTED"], to: "WITHDRAWN" },
  approve: { from: ["SUBMITTED"], to: "APPROVED" },
  reject: { from: ["SUBMITTED"], to: "REJECTED" },
  reopen: { from: ["APPROVED"], to: "REOPENED" },
};

const PAST: Record<keyof typeof NEXT, string> = {
  submit: "submitted",
  withdraw: "withdrawn",
  approve: "approved",
  reject: "rejected",
  reopen: "reopened",
};

export function transition(action: keyof typeof NEXT, status: string): TimesheetStatus {
  const rule = NEXT[action]!;
  if (!rule.from.includes(status as TimesheetStatus)) {
    throw new DomainError("CONFLICT", `A ${status.toLowerCase()} timesheet cannot be ${PAST[action]}`);
  }
  return rule.to;
}

const DECIDERS: ReadonlySet<Role> = new Set(["OWNER", "ADMIN", "MANAGER"]);

/**
 * May `actor` decide `owner`'s timesheet? Never their own; admins and owners
 * always; managers too, unless the workspace lets only project managers
 * decide, and then only when every project in the timesheet is theirs.
 */
export async function assertMayDecide(
  db: TenantDb,
  tenantId: string,
  actor: { userId: string; role: Role; membershipId: string },
  sheet: { userId: string },
  projectIds: (string | null)[],
  approvalMode: string,
): Promise<void> {
  if (!DECIDERS.has(actor.role)) throw new DomainError("FORBIDDEN", "Only managers decide timesheets");
  if (sheet.userId === actor.userId) throw new DomainError("FORBIDDEN", "Nobody approves their own timesheet");
  if (actor.role !== "MANAGER" || approvalMode !== "PROJECT_MANAGERS") return;
  const wanted = [...new Set(projectIds.filter((p): p is string => p !== null))];
  const managed = await db.projectMember.findMany({
    where: { tenantId, membershipId: actor.membershipId, isManager: true, projectId: { in: wanted } },
    select: { projectId: true },
  });
  if (wanted.length === 0 || managed.length !== wanted.length) {
    throw new DomainError("FORBIDDEN", "You manage only some (or none) of the projects in this timesheet");
  }
}

/** The instants a stored timesheet covers, in the workspace's zone. */
export function sheetSpan(sheet: { periodStart: Date; periodEnd: Date }, timezone: string) {
  return {
    startsAt: startOfLocalDate(sheet.periodStart.toISOString().slice(0, 10), timezone),
    endsAt: startOfLocalDate(sheet.periodEnd.toISOString().slice(0, 10), timezone),
  };
}

/** Totals of a timesheet's finished entries per local day and per project, in seconds. */
export function totals(entries: { start: Date; end: Date | null; projectId: string | null }[], timezone: string) {
  const byDay: Record<string, number> = {};
  const byProject: Record<string, number> = {};
  let total = 0;
  for (const e of entries) {
    if (!e.end) continue;
    const seconds = (e.end.getTime() - e.start.getTime()) / 1000;
    const day = localDate(e.start, timezone);
    byDay[day] = (byDay[day] ?? 0) + seconds;
    const project = e.projectId ?? "none";
    byProject[project] = (byProject[project] ?? 0) + seconds;
    total += seconds;
  }
  return { byDay, byProject, totalSeconds: total };
}

export function currentPeriod(ws: WorkspaceLockSettings, now = new Date()): Period {
  return periodOf(now, periodRules(ws));
}
