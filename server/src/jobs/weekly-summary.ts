import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../db/generated/client.js";
import type { TenantDb } from "../db/tenant.js";
import { periodRules } from "../domain/locks.js";
import { periodOf, type Period } from "../contract/periods.js";
import type { Mailer } from "./mailer.js";
import { forEachTenant, type TenantRunReport } from "./tenant-runner.js";

export const WEEKLY_SUMMARY = "weekly-summary";
const LATE_AFTER_MS = 24 * 3_600_000;

export interface WeeklySummary {
  period: { start: string; end: string };
  hoursByUser: { userId: string; name: string; hours: number }[];
  missingTimesheets: { userId: string; name: string }[];
  lateTimesheets: { userId: string; name: string }[];
  pendingApprovals: number;
}

/** What managers of one workspace learn about its last finished period. */
export async function buildSummary(db: TenantDb, tenantId: string, now: Date): Promise<WeeklySummary> {
  const ws = await db.workspace.findFirstOrThrow({
    where: { id: tenantId },
    select: { timezone: true, weekStartsOn: true, timesheetPeriod: true, lockBefore: true, lockGraceDays: true },
  });
  const rules = periodRules(ws);
  const current = periodOf(now, rules);
  const last: Period = periodOf(new Date(current.startsAt.getTime() - 1), rules);
  const [members, entries, sheets, pending] = await Promise.all([
    db.membership.findMany({ where: { tenantId }, select: { userId: true, user: { select: { name: true } } } }),
    db.timeEntry.findMany({
      where: { tenantId, start: { gte: last.startsAt, lt: last.endsAt }, end: { not: null } },
      select: { userId: true, start: true, end: true },
    }),
    db.timesheet.findMany({
      where: { tenantId, periodStart: new Date(`${last.start}T00:00:00Z`), status: { in: ["SUBMITTED", "APPROVED"] } },
      select: { userId: true, submittedAt: true },
    }),
    db.timesheet.count({ where: { tenantId, status: "SUBMITTED" } }),
  ]);
  const name = new Map(members.map((m) => [m.userId, m.user.name]));
  const seconds = new Map<string, number>();
  for (const e of entries) seconds.set(e.userId, (seconds.get(e.userId) ?? 0) + (e.end!.getTime() - e.start.getTime()) / 1000);
  const submitted = new Map(sheets.map((s) => [s.userId, s.submittedAt]));
  return {
    period: { start: last.start, end: last.end },
    hoursByUser: [...seconds].map(([userId, s]) => ({ userId, name: name.get(userId) ?? "(former member)", hours: Math.round((s / 3600) * 100) / 100 })),
    missingTimesheets: members.filter((m) => !submitted.has(m.userId)).map((m) => ({ userId: m.userId, name: m.user.name })),
    lateTimesheets: [...submitted]
      .filter(([, at]) => at.getTime() > last.endsAt.getTime() + LATE_AFTER_MS)
      .map(([userId]) => ({ userId, name: name.get(userId) ?? "(former member)" })),
    pendingApprovals: pending,
  };
}

/** Stores the summary as a notification for each manager (and admin, owner) and e-mails it. */
async function deliver(db: TenantDb, tenantId: string, summary: WeeklySummary, mailer: Mailer): Promise<void> {
  const managers = await db.membership.findMany({
    where: { tenantId, role: { in: ["OWNER", "ADMIN", "MANAGER"] } },
    select: { userId: true, user: { select: { email: true } } },
  });
  const title = `Week of ${summary.period.start}: ${summary.missingTimesheets.length} missing timesheet(s), ${summary.pendingApprovals} waiting for approval`;
  if (managers.length) {
    await db.notification.createMany({
      data: managers.map((m) => ({
        tenantId,
        id: randomUUID(),
        userId: m.userId,
        kind: WEEKLY_SUMMARY,
        title,
        body: summary as unknown as object,
      })),
    });
  }
  for (const m of managers) {
    await mailer.send({ to: m.user.email, subject: `Hoursync: ${title}`, text: JSON.stringify(summary, null, 2) });
  }
}

export interface WeeklyRunResult {
  ran: boolean;
  runKey: string;
  report?: TenantRunReport;
}

/**
 * The weekly job: for every workspace, in its own tenant context, build the
 * summary of the last period and deliver it to its managers. A row in
 * job_runs (unique per week) makes one run happen once however many server
 * processes try; `force` runs again on demand.
 */
export async function runWeeklySummary(
  prisma: PrismaClient,
  mailer: Mailer,
  opts: { now?: Date; force?: boolean; attempts?: number; pauseMs?: number } = {},
): Promise<WeeklyRunResult> {
  const now = opts.now ?? new Date();
  const week = periodOf(now, { kind: "WEEK", weekStartsOn: 1, timezone: "UTC" }).start;
  const runKey = opts.force ? `${week}/manual-${now.toISOString()}` : week;
  const claimed = await prisma.$executeRaw`
    INSERT INTO job_runs (job, run_key) VALUES (${WEEKLY_SUMMARY}, ${runKey}) ON CONFLICT DO NOTHING`;
  if (claimed === 0) return { ran: false, runKey };
  const report = await forEachTenant(
    prisma,
    async (db, tenantId) => deliver(db, tenantId, await buildSummary(db, tenantId, now), mailer),
    { attempts: opts.attempts, pauseMs: opts.pauseMs },
  );
  await prisma.$executeRaw`
    UPDATE job_runs SET finished_at = now(), report = ${JSON.stringify({ tenants: report.tenants, succeeded: report.succeeded.length, failed: report.failed.map((f) => f.tenantId) })}::jsonb
    WHERE job = ${WEEKLY_SUMMARY} AND run_key = ${runKey}`;
  return { ran: true, runKey, report };
}
