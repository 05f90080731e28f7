import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { auditAction } from "../audit/record.js";
import { id, name, page, paged } from "../contract/common.js";
import { router } from "../trpc/init.js";
import { adminProcedure, tenantProcedure } from "../trpc/procedures.js";
import { nameContains } from "../db/name-search.js";

const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "Client not found" });

export const clientsRouter = router({
  list: tenantProcedure
    .input(
      z.object({
        search: z.string().max(200).optional(),
        includeArchived: z.boolean().default(false),
        page: page.default({ limit: 100, cursor: 0 }),
      }).prefault({}),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.client.findMany({
        where: {
          tenantId: ctx.tenantId,
          ...(input.includeArchived ? {} : { archived: false }),
          ...(input.search ? nameContains(input.search) : {}),
        },
        orderBy: [{ name: "asc" }, { id: "asc" }],
        skip: input.page.cursor,
        take: input.page.limit + 1,
      });
      return paged(rows, input.page);
    }),

  create: adminProcedure.input(z.object({ id: id.optional(), name })).mutation(async ({ ctx, input }) => {
    const client = await ctx.db.client.create({
      data: { tenantId: ctx.tenantId, id: input.id ?? randomUUID(), name: input.name },
    });
    await auditAction(ctx, "client.created", { type: "client", id: client.id }, { name: client.name });
    return client;
  }),

  update: adminProcedure
    .input(z.object({ id, name: name.optional(), archived: z.boolean().optional() }))
    .mutation(async ({ ctx, input }) => {
      const { id: clientId, ...data } = input;
      const { count } = await ctx.db.client.updateMany({ where: { tenantId: ctx.tenantId, id: clientId }, data });
      if (count === 0) throw notFound();
      await auditAction(ctx, "client.updated", { type: "client", id: clientId }, data);
      return ctx.db.client.findFirstOrThrow({ where: { tenantId: ctx.tenantId, id: clientId } });
    }),

  delete: adminProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.client.deleteMany({ where: { tenantId: ctx.tenantId, id: input.id } });
    if (count === 0) throw notFound();
    await auditAction(ctx, "client.deleted", { type: "client", id: input.id });
    return { ok: true as const };
  }),
});
