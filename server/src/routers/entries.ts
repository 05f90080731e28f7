import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { id, instant } from "../contract/common.js";
import { entryCreate, entryFilter, entryUpdate } from "../contract/entries.js";
import {
  createEntry,
  deleteEntry,
  present,
  readableEntry,
  seesAllEntries,
  stopRunningEntry,
  updateEntry,
  withTags,
} from "../domain/time-entries.js";
import { router } from "../trpc/init.js";
import { tenantProcedure } from "../trpc/procedures.js";
import { purgeRemovedFiles } from "../attachments/purge.js";
import { invalidateTimeFigures } from "./project-totals.js";

export const entriesRouter = router({
  /** Employees see their own entries; managers and up see everyone's. */
  list: tenantProcedure.input(entryFilter).query(async ({ ctx, input }) => {
    const seesAll = seesAllEntries(ctx.member);
    if (!seesAll && input.userId && input.userId !== ctx.member.userId) {
      throw new TRPCError({ code: "FORBIDDEN", message: "You can only see your own entries" });
    }
    const userId = seesAll ? input.userId : ctx.member.userId;
    const rows = await ctx.db.timeEntry.findMany({
      where: {
        tenantId: ctx.tenantId,
        ...(userId ? { userId } : {}),
        ...(input.projectId ? { projectId: input.projectId } : {}),
        ...(input.from || input.to
          ? { start: { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lt: input.to } : {}) } }
          : {}),
      },
      include: withTags,
      orderBy: [{ start: "desc" }, { id: "asc" }],
      skip: input.page.cursor,
      take: input.page.limit + 1,
    });
    const more = rows.length > input.page.limit;
    return {
      items: (more ? rows.slice(0, input.page.limit) : rows).map(present),
      nextCursor: more ? input.page.cursor + input.page.limit : null,
    };
  }),

  get: tenantProcedure
    .input(z.object({ id }))
    .query(async ({ ctx, input }) => present(await readableEntry(ctx.db, ctx.tenantId, ctx.member, input.id))),

  /** The caller's running timer, if any. */
  running: tenantProcedure.query(async ({ ctx }) => {
    const entry = await ctx.db.timeEntry.findFirst({
      where: { tenantId: ctx.tenantId, userId: ctx.member.userId, end: null },
      include: withTags,
    });
    return entry ? present(entry) : null;
  }),

  create: tenantProcedure.input(entryCreate).mutation(async ({ ctx, input }) => {
    const entry = await createEntry(ctx.db, ctx.tenantId, ctx.member, input);
    invalidateTimeFigures(ctx);
    return entry;
  }),

  update: tenantProcedure.input(entryUpdate).mutation(async ({ ctx, input }) => {
    const entry = await updateEntry(ctx.db, ctx.tenantId, ctx.member, input);
    invalidateTimeFigures(ctx);
    return entry;
  }),

  /** Stops the caller's running timer at `end` (default: now). */
  stop: tenantProcedure
    .input(z.object({ end: instant.optional() }))
    .mutation(async ({ ctx, input }) => {
      const entry = await stopRunningEntry(ctx.db, ctx.tenantId, ctx.member, input.end ?? new Date());
      invalidateTimeFigures(ctx);
      return entry;
    }),

  delete: tenantProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    await deleteEntry(ctx.db, ctx.tenantId, ctx.member, input.id);
    invalidateTimeFigures(ctx);
    // Its attachments went with it (cascade); their files go after commit.
    ctx.afterCommit(() => purgeRemovedFiles(ctx.services, ctx.tenantId));
    return { ok: true as const };
  }),
});
