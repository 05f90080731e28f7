import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { recordAudit } from "../audit/record.js";
import { hourlyRateCents, id, instant, localDay, name, page, paged, timeZone } from "../contract/common.js";
import { databaseTimeZone } from "../db/time-zones.js";
import { fieldError } from "../trpc/field-error.js";
import { router } from "../trpc/init.js";
import { eraseWorkspaceRows } from "../offboarding/erase-workspace.js";
import { forgetWorkspace } from "../offboarding/forget-workspace.js";
import { invalidateTimeFigures } from "./project-totals.js";
import { adminProcedure, requireRole, tenantProcedure } from "../trpc/procedures.js";

const settings = z.object({
  name: name.optional(),
  timezone: timeZone.optional(),
  weekStartsOn: z.number().int().min(0).max(6).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, "An ISO 4217 code like EUR").optional(),
  hourlyRateCents: hourlyRateCents.optional(),
  rateLimitPerMinute: z.number().int().min(10).max(100_000).optional(),
  userRateLimitPerMinute: z.number().int().min(10).max(100_000).optional(),
  timesheetPeriod: z.enum(["WEEK", "MONTH"]).optional(),
  /** Locks everything before this local date; null removes the lock. */
  lockBefore: localDay
    .nullable()
    .optional()
    .transform((d) => (d === undefined ? undefined : d === null ? null : new Date(`${d}T00:00:00Z`))),
  /** Locks each period this many days after it ends; null turns the rolling lock off. */
  lockGraceDays: z.number().int().min(0).max(366).nullable().optional(),
  approvalMode: z.enum(["ALL_MANAGERS", "PROJECT_MANAGERS"]).optional(),
});

export const workspaceRouter = router({
  get: tenantProcedure.query(async ({ ctx }) => {
    const ws = await ctx.db.workspace.findFirst({ where: { id: ctx.tenantId } });
    if (!ws) throw new TRPCError({ code: "NOT_FOUND", message: "Workspace not found" });
    return { ...ws, myRole: ctx.member.role };
  }),

  update: adminProcedure.input(settings).mutation(async ({ ctx, input }) => {
    if (input.timezone !== undefined) {
      // Days are cut in SQL: a zone the runtime knows but the database does not would break every report.
      const zone = await databaseTimeZone(ctx.services.db, ctx.db, input.timezone);
      if (!zone) throw fieldError("timezone", "Unknown time zone");
      input = { ...input, timezone: zone };
    }
    const before = await ctx.db.workspace.findFirstOrThrow({ where: { id: ctx.tenantId } });
    const ws = await ctx.db.workspace.update({ where: { id: ctx.tenantId }, data: input });
    const same = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);
    const changed = Object.fromEntries(
      Object.entries(input).filter(([k, v]) => v !== undefined && !same(before[k as keyof typeof before], v)),
    );
    await recordAudit(ctx.db, ctx.tenantId, {
      actorUserId: ctx.member.userId,
      action: "workspace.updated",
      targetType: "workspace",
      targetId: ctx.tenantId,
      details: { changed },
    });
    invalidateTimeFigures(ctx);
    return ws;
  }),

  /**
   * Deletes the workspace and everything in it: rows, files, cached figures,
   * rate-limit counters; a record outside the tenant says who and when.
   * Owners only, and they must type its name.
   */
  delete: requireRole("OWNER")
    .input(z.object({ confirmName: z.string().max(200) }))
    .mutation(async ({ ctx, input }) => {
      const ws = await ctx.db.workspace.findFirstOrThrow({ where: { id: ctx.tenantId } });
      if (ws.name !== input.confirmName) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "Type the workspace name to confirm" });
      }
      await eraseWorkspaceRows(ctx.db, ctx.tenantId, ctx.member.userId);
      ctx.afterCommit(() => forgetWorkspace(ctx.services, ctx.tenantId));
      return { deleted: true as const };
    }),

  auditLog: adminProcedure
    .input(
      z.object({
        action: z.string().max(100).optional(),
        /** Only what this person did. */
        actorUserId: id.optional(),
        /** From this instant (inclusive) up to `before` (exclusive). */
        from: instant.optional(),
        before: instant.optional(),
        page: page.default({ limit: 100, cursor: 0 }),
      }).prefault({}),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.auditEvent.findMany({
        where: {
          tenantId: ctx.tenantId,
          ...(input.action ? { action: input.action } : {}),
          ...(input.actorUserId ? { actorUserId: input.actorUserId } : {}),
          ...(input.from || input.before ? { createdAt: { ...(input.from ? { gte: input.from } : {}), ...(input.before ? { lt: input.before } : {}) } } : {}),
        },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        skip: input.page.cursor,
        take: input.page.limit + 1,
      });
      return paged(rows, input.page);
    }),
});
