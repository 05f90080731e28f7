import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { auditAction } from "../audit/record.js";
import { id, name, page, paged } from "../contract/common.js";
import { router } from "../trpc/init.js";
import { adminProcedure, tenantProcedure } from "../trpc/procedures.js";

const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "Task not found" });

export const tasksRouter = router({
  list: tenantProcedure
    .input(
      z.object({
        projectId: id.optional(),
        includeDone: z.boolean().default(false),
        page: page.default({ limit: 100, cursor: 0 }),
      }).prefault({}),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.task.findMany({
        where: {
          tenantId: ctx.tenantId,
          ...(input.projectId ? { projectId: input.projectId } : {}),
          ...(input.includeDone ? {} : { done: false }),
        },
        orderBy: [{ name: "asc" }, { id: "asc" }],
        skip: input.page.cursor,
        take: input.page.limit + 1,
      });
      return paged(rows, input.page);
    }),

  create: adminProcedure
    .input(z.object({ id: id.optional(), projectId: id, name }))
    .mutation(async ({ ctx, input }) => {
      const project = await ctx.db.project.findFirst({ where: { tenantId: ctx.tenantId, id: input.projectId } });
      if (!project) throw new TRPCError({ code: "NOT_FOUND", message: "Project not found" });
      const task = await ctx.db.task.create({
        data: { tenantId: ctx.tenantId, id: input.id ?? randomUUID(), projectId: input.projectId, name: input.name },
      });
      await auditAction(ctx, "task.created", { type: "task", id: task.id }, { name: task.name, projectId: task.projectId });
      return task;
    }),

  update: adminProcedure
    .input(z.object({ id, name: name.optional(), done: z.boolean().optional() }))
    .mutation(async ({ ctx, input }) => {
      const { id: taskId, ...data } = input;
      const { count } = await ctx.db.task.updateMany({ where: { tenantId: ctx.tenantId, id: taskId }, data });
      if (count === 0) throw notFound();
      await auditAction(ctx, "task.updated", { type: "task", id: taskId }, data);
      return ctx.db.task.findFirstOrThrow({ where: { tenantId: ctx.tenantId, id: taskId } });
    }),

  delete: adminProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.task.deleteMany({ where: { tenantId: ctx.tenantId, id: input.id } });
    if (count === 0) throw notFound();
    await auditAction(ctx, "task.deleted", { type: "task", id: input.id });
    return { ok: true as const };
  }),
});
