import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { auditAction } from "../audit/record.js";
import { byId, pendingInput, rejectInput, submitInput, teamInput } from "../contract/timesheets.js";
import { DomainError } from "../domain/errors.js";
import { periodRules } from "../domain/locks.js";
import { periodStarting } from "../contract/periods.js";
import { assertMayDecide, sheetSpan, totals, transition } from "../domain/timesheets.js";
import { present, seesAllEntries, withTags } from "../domain/time-entries.js";
import { earlierDecisions, pendingQueue, presentSheet, teamOverview } from "../domain/timesheet-views.js";
import type { TenantDb } from "../db/tenant.js";
import { router } from "../trpc/init.js";
import { adminProcedure, managerProcedure, tenantProcedure } from "../trpc/procedures.js";

const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "Timesheet not found" });

const SETTINGS = {
  timezone: true,
  weekStartsOn: true,
  timesheetPeriod: true,
  lockBefore: true,
  lockGraceDays: true,
  approvalMode: true,
} as const;

function settings(db: TenantDb, tenantId: string) {
  return db.workspace.findFirstOrThrow({ where: { id: tenantId }, select: SETTINGS });
}

const shape = presentSheet;

/** The sheet with its entries (finished and running) inside its period, each with its attachments' names. */
async function withEntries(db: TenantDb, tenantId: string, sheet: { userId: string; periodStart: Date; periodEnd: Date }, timezone: string) {
  const span = sheetSpan(sheet, timezone);
  const entries = await db.timeEntry.findMany({
    where: { tenantId, userId: sheet.userId, start: { gte: span.startsAt, lt: span.endsAt } },
    include: { ...withTags, attachments: { select: { id: true, originalName: true, sizeBytes: true, contentType: true }, orderBy: { createdAt: "asc" } } },
    orderBy: { start: "asc" },
  });
  return entries.map(({ attachments, ...e }) => ({
    ...present(e),
    // The files themselves come through the download route, which checks the reader again.
    attachments: attachments.map((a) => ({ id: a.id, name: a.originalName, sizeBytes: Number(a.sizeBytes), contentType: a.contentType })),
  }));
}

async function decide(
  ctx: { db: TenantDb; tenantId: string; member: { userId: string; role: "OWNER" | "ADMIN" | "MANAGER" | "EMPLOYEE"; membershipId: string } },
  id: string,
  action: "approve" | "reject",
  comment: string | null,
) {
  const sheet = await ctx.db.timesheet.findFirst({ where: { tenantId: ctx.tenantId, id } });
  if (!sheet) throw notFound();
  const ws = await settings(ctx.db, ctx.tenantId);
  const entries = await withEntries(ctx.db, ctx.tenantId, sheet, ws.timezone);
  await assertMayDecide(ctx.db, ctx.tenantId, ctx.member, sheet, entries.map((e) => e.projectId), ws.approvalMode);
  const status = transition(action, sheet.status);
  const updated = await ctx.db.timesheet.update({
    where: { tenantId_id: { tenantId: ctx.tenantId, id } },
    data: { status, comment, decidedAt: new Date(), decidedBy: ctx.member.userId },
  });
  await auditAction(ctx, `timesheet.${status.toLowerCase()}`, { type: "timesheet", id }, { userId: sheet.userId, comment });
  // The person hears of the decision in the app (their notifications), besides the lock their device pulls.
  const period = sheet.periodStart.toISOString().slice(0, 10);
  await ctx.db.notification.create({
    data: {
      tenantId: ctx.tenantId,
      id: randomUUID(),
      userId: sheet.userId,
      kind: `timesheet.${status.toLowerCase()}`,
      title: status === "APPROVED" ? `Your timesheet from ${period} was approved` : `Your timesheet from ${period} was sent back`,
      body: { timesheetId: id, periodStart: period, comment },
    },
  });
  return shape(updated);
}

export const timesheetsRouter = router({
  /** Submits the caller's period starting on `periodStart` (a local date where a period starts). */
  submit: tenantProcedure.input(submitInput).mutation(async ({ ctx, input }) => {
    const ws = await settings(ctx.db, ctx.tenantId);
    const period = periodStarting(input.periodStart, periodRules(ws));
    if (!period) throw new DomainError("VALIDATION", `No ${ws.timesheetPeriod.toLowerCase()} starts on ${input.periodStart}`);
    const existing = await ctx.db.timesheet.findFirst({
      where: { tenantId: ctx.tenantId, userId: ctx.member.userId, periodStart: new Date(`${period.start}T00:00:00Z`) },
    });
    const sheet = existing
      ? await ctx.db.timesheet.update({
          where: { tenantId_id: { tenantId: ctx.tenantId, id: existing.id } },
          data: { status: transition("submit", existing.status), submittedAt: new Date(), comment: null, decidedAt: null, decidedBy: null },
        })
      : await ctx.db.timesheet.create({
          data: {
            tenantId: ctx.tenantId,
            id: randomUUID(),
            userId: ctx.member.userId,
            periodStart: new Date(`${period.start}T00:00:00Z`),
            periodEnd: new Date(`${period.end}T00:00:00Z`),
            status: "SUBMITTED",
          },
        });
    await auditAction(ctx, "timesheet.submitted", { type: "timesheet", id: sheet.id }, { period: period.start });
    return shape(sheet);
  }),

  /** Takes a submitted timesheet back, until it is decided. */
  withdraw: tenantProcedure.input(byId).mutation(async ({ ctx, input }) => {
    const sheet = await ctx.db.timesheet.findFirst({ where: { tenantId: ctx.tenantId, id: input.id, userId: ctx.member.userId } });
    if (!sheet) throw notFound();
    const updated = await ctx.db.timesheet.update({
      where: { tenantId_id: { tenantId: ctx.tenantId, id: sheet.id } },
      data: { status: transition("withdraw", sheet.status) },
    });
    await auditAction(ctx, "timesheet.withdrawn", { type: "timesheet", id: sheet.id });
    return shape(updated);
  }),

  /** The caller's own timesheets, newest first. */
  mine: tenantProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.timesheet.findMany({
      where: { tenantId: ctx.tenantId, userId: ctx.member.userId },
      orderBy: { periodStart: "desc" },
    });
    return rows.map(shape);
  }),

  /**
   * Submitted timesheets waiting for a decision (not the caller's own), oldest
   * submission first, with the person, total hours and the projects in it;
   * filtered by person and by project (a sheet with any time on it).
   */
  pending: managerProcedure.input(pendingInput).query(async ({ ctx, input }) => {
    const ws = await settings(ctx.db, ctx.tenantId);
    return pendingQueue(ctx.db, ctx.tenantId, ctx.member.userId, input, ws.timezone);
  }),

  /** Every member's standing for a period (the current one by default): who submitted, who is late, who tracked nothing. */
  team: managerProcedure.input(teamInput).query(async ({ ctx, input }) => {
    const ws = await settings(ctx.db, ctx.tenantId);
    return teamOverview(ctx.db, ctx.tenantId, ws, input.periodStart);
  }),

  /** One timesheet with its entries and totals per day and project. Employees see only their own. */
  get: tenantProcedure.input(byId).query(async ({ ctx, input }) => {
    const sheet = await ctx.db.timesheet.findFirst({
      where: { tenantId: ctx.tenantId, id: input.id },
      include: { user: { select: { name: true, email: true } } },
    });
    if (!sheet || (sheet.userId !== ctx.member.userId && !seesAllEntries(ctx.member))) throw notFound();
    const ws = await settings(ctx.db, ctx.tenantId);
    const [entries, earlier] = await Promise.all([
      withEntries(ctx.db, ctx.tenantId, sheet, ws.timezone),
      earlierDecisions(ctx.db, ctx.tenantId, sheet),
    ]);
    return { ...shape(sheet), person: sheet.user, entries, totals: totals(entries, ws.timezone), earlier };
  }),

  approve: managerProcedure.input(byId).mutation(({ ctx, input }) => decide(ctx, input.id, "approve", null)),

  reject: managerProcedure.input(rejectInput).mutation(({ ctx, input }) => decide(ctx, input.id, "reject", input.comment)),

  /** Unlocks an approved timesheet again (admins), recorded in the audit log. */
  reopen: adminProcedure.input(byId).mutation(async ({ ctx, input }) => {
    const sheet = await ctx.db.timesheet.findFirst({ where: { tenantId: ctx.tenantId, id: input.id } });
    if (!sheet) throw notFound();
    const updated = await ctx.db.timesheet.update({
      where: { tenantId_id: { tenantId: ctx.tenantId, id: sheet.id } },
      data: { status: transition("reopen", sheet.status), decidedAt: new Date(), decidedBy: ctx.member.userId },
    });
    await auditAction(ctx, "timesheet.reopened", { type: "timesheet", id: sheet.id }, { userId: sheet.userId });
    return shape(updated);
  }),

  /** Every transition of a timesheet, oldest first: what the employee sees as its history. */
  history: tenantProcedure.input(byId).query(async ({ ctx, input }) => {
    const sheet = await ctx.db.timesheet.findFirst({ where: { tenantId: ctx.tenantId, id: input.id } });
    if (!sheet || (sheet.userId !== ctx.member.userId && !seesAllEntries(ctx.member))) throw notFound();
    const events = await ctx.db.auditEvent.findMany({
      where: { tenantId: ctx.tenantId, targetType: "timesheet", targetId: sheet.id },
      orderBy: { createdAt: "asc" },
      select: { action: true, actorUserId: true, createdAt: true, details: true },
    });
    return events;
  }),
});
