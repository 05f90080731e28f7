import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { auditAction } from "../audit/record.js";
import { id, name, page, paged } from "../contract/common.js";
import { router } from "../trpc/init.js";
import { adminProcedure, tenantProcedure } from "../trpc/procedures.js";
import { nameContains } from "../db/name-search.js";

const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "Tag not found" });

export const tagsRouter = router({
  list: tenantProcedure
    .input(z.object({ search: z.string().max(200).optional(), page: page.default({ limit: 100, cursor: 0 }) }).prefault({}))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.tag.findMany({
        where: {
          tenantId: ctx.tenantId,
          ...(input.search ? nameContains(input.search) : {}),
        },
        orderBy: [{ name: "asc" }, { id: "asc" }],
        skip: input.page.cursor,
        take: input.page.limit + 1,
      });
      return paged(rows, input.page);
    }),

  create: adminProcedure.input(z.object({ id: id.optional(), name })).mutation(async ({ ctx, input }) => {
    const tag = await ctx.db.tag.create({ data: { tenantId: ctx.tenantId, id: input.id ?? randomUUID(), name: input.name } });
    await auditAction(ctx, "tag.created", { type: "tag", id: tag.id }, { name: tag.name });
    return tag;
  }),

  rename: adminProcedure.input(z.object({ id, name })).mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.tag.updateMany({
      where: { tenantId: ctx.tenantId, id: input.id },
      data: { name: input.name },
    });
    if (count === 0) throw notFound();
    await auditAction(ctx, "tag.renamed", { type: "tag", id: input.id }, { name: input.name });
    return ctx.db.tag.findFirstOrThrow({ where: { tenantId: ctx.tenantId, id: input.id } });
  }),

  delete: adminProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    // Entries losing the tag change too: touching them lets devices pull their new tag lists.
    await ctx.db.timeEntry.updateMany({
      where: { tenantId: ctx.tenantId, tags: { some: { tenantId: ctx.tenantId, tagId: input.id } } },
      data: { updatedAt: new Date() },
    });
    const { count } = await ctx.db.tag.deleteMany({ where: { tenantId: ctx.tenantId, id: input.id } });
    if (count === 0) throw notFound();
    await auditAction(ctx, "tag.deleted", { type: "tag", id: input.id });
    return { ok: true as const };
  }),
});
