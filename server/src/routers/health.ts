import { publicProcedure, router } from "../trpc/init.js";

/** Tenant-less and table-less: answers whether this process can reach its database. */
export const healthRouter = router({
  check: publicProcedure.query(async ({ ctx }) => {
    await ctx.services.db.prisma.$queryRaw`SELECT 1`;
    return { ok: true as const, database: ctx.services.db.kind };
  }),
});
