import { createHash } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { summaryInput } from "../contract/reports.js";
import { seesAllEntries } from "../domain/time-entries.js";
import { projectStacks } from "../reports/stacks.js";
import { summarize, type Summary } from "../reports/summary.js";
import { router } from "../trpc/init.js";
import { tenantProcedure } from "../trpc/procedures.js";
import { REPORTS_CACHE } from "../cache/time-figures.js";

export const reportsRouter = router({
  /**
   * Totals by day, week, project, client or user over a range, with billable
   * hours and amounts (and, asked with `stackBy`, each group's hours per
   * project). Employees get reports of their own time only. Served
   * from the tenant cache; every entry write drops it. A heavy read: one of
   * the workspace's few places for reports, under the statement timeout.
   */
  summary: tenantProcedure.meta({ heavy: true }).input(summaryInput).query(async ({ ctx, input }) => {
    const own = !seesAllEntries(ctx.member);
    if (own && input.userIds?.some((u) => u !== ctx.member.userId)) {
      throw new TRPCError({ code: "FORBIDDEN", message: "You can only report on your own time" });
    }
    const filter = own ? { ...input, userIds: [ctx.member.userId] } : input;
    const key = createHash("sha256").update(JSON.stringify(filter)).digest("hex");
    const cached = ctx.services.cache.get<Summary>(ctx.tenantId, REPORTS_CACHE, key);
    if (cached) return cached;
    const ws = await ctx.db.workspace.findFirstOrThrow({
      where: { id: ctx.tenantId },
      select: { timezone: true, weekStartsOn: true, currency: true },
    });
    const summary = await summarize(ctx.db, ctx.tenantId, filter, input.groupBy, ws);
    if (input.stackBy === "project") summary.stacks = await projectStacks(ctx.db, ctx.tenantId, filter, input.groupBy, ws);
    ctx.services.cache.set(ctx.tenantId, [REPORTS_CACHE, key], summary);
    return summary;
  }),
});
