import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { id } from "../contract/common.js";
import { router } from "../trpc/init.js";
import { tenantProcedure } from "../trpc/procedures.js";

export const notificationsRouter = router({
  /** The caller's notifications in this workspace, newest first. */
  list: tenantProcedure
    .input(z.object({ unreadOnly: z.boolean().default(false) }).default({ unreadOnly: false }))
    .query(({ ctx, input }) =>
      ctx.db.notification.findMany({
        where: { tenantId: ctx.tenantId, userId: ctx.member.userId, ...(input.unreadOnly ? { readAt: null } : {}) },
        orderBy: { createdAt: "desc" },
        take: 100,
      }),
    ),

  markRead: tenantProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.notification.updateMany({
      where: { tenantId: ctx.tenantId, id: input.id, userId: ctx.member.userId },
      data: { readAt: new Date() },
    });
    if (count === 0) throw new TRPCError({ code: "NOT_FOUND", message: "Notification not found" });
    return { ok: true as const };
  }),
});
