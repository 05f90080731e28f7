import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { auditAction } from "../audit/record.js";
import { color, hourlyRateCents, id, name, page, paged } from "../contract/common.js";
import type { TenantDb } from "../db/tenant.js";
import { router } from "../trpc/init.js";
import { adminProcedure, managerProcedure, tenantProcedure } from "../trpc/procedures.js";
import { invalidateTimeFigures, projectTotals } from "./project-totals.js";
import { nameContains } from "../db/name-search.js";

const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "Project not found" });

const projectFields = {
  clientId: id.nullable().optional(),
  color: color.optional(),
  billable: z.boolean().optional(),
  hourlyRateCents: hourlyRateCents.optional(),
};

async function assertClientExists(ctx: { db: TenantDb; tenantId: string }, clientId: string) {
  const found = await ctx.db.client.count({ where: { tenantId: ctx.tenantId, id: clientId } });
  if (!found) throw new TRPCError({ code: "NOT_FOUND", message: "Client not found" });
}

export const projectsRouter = router({
  list: tenantProcedure
    .input(
      z.object({
        clientId: id.optional(),
        search: z.string().max(200).optional(),
        includeArchived: z.boolean().default(false),
        page: page.default({ limit: 100, cursor: 0 }),
      }).prefault({}),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.project.findMany({
        where: {
          tenantId: ctx.tenantId,
          ...(input.clientId ? { clientId: input.clientId } : {}),
          ...(input.includeArchived ? {} : { archived: false }),
          ...(input.search ? nameContains(input.search) : {}),
        },
        orderBy: [{ name: "asc" }, { id: "asc" }],
        skip: input.page.cursor,
        take: input.page.limit + 1,
      });
      return paged(rows, input.page);
    }),

  get: tenantProcedure.input(z.object({ id })).query(async ({ ctx, input }) => {
    const project = await ctx.db.project.findFirst({ where: { tenantId: ctx.tenantId, id: input.id } });
    if (!project) throw notFound();
    return project;
  }),

  create: adminProcedure
    .input(z.object({ id: id.optional(), name, ...projectFields }))
    .mutation(async ({ ctx, input }) => {
      if (input.clientId) await assertClientExists(ctx, input.clientId);
      const project = await ctx.db.project.create({
        data: { ...input, tenantId: ctx.tenantId, id: input.id ?? randomUUID() },
      });
      await auditAction(ctx, "project.created", { type: "project", id: project.id }, { name: project.name });
      return project;
    }),

  update: adminProcedure
    .input(z.object({ id, name: name.optional(), archived: z.boolean().optional(), ...projectFields }))
    .mutation(async ({ ctx, input }) => {
      const { id: projectId, ...data } = input;
      if (data.clientId) await assertClientExists(ctx, data.clientId);
      const { count } = await ctx.db.project.updateMany({ where: { tenantId: ctx.tenantId, id: projectId }, data });
      if (count === 0) throw notFound();
      await auditAction(ctx, "project.updated", { type: "project", id: projectId }, data);
      invalidateTimeFigures(ctx);
      return ctx.db.project.findFirstOrThrow({ where: { tenantId: ctx.tenantId, id: projectId } });
    }),

  /** Deleting a project with time on it is refused (archive it instead). */
  delete: adminProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.project.deleteMany({ where: { tenantId: ctx.tenantId, id: input.id } });
    if (count === 0) throw notFound();
    await auditAction(ctx, "project.deleted", { type: "project", id: input.id });
    invalidateTimeFigures(ctx);
    return { ok: true as const };
  }),

  members: managerProcedure.input(z.object({ projectId: id })).query(async ({ ctx, input }) => {
    const rows = await ctx.db.projectMember.findMany({
      where: { tenantId: ctx.tenantId, projectId: input.projectId },
      include: { membership: { include: { user: { select: { name: true, email: true } } } } },
    });
    return rows.map((r) => ({
      membershipId: r.membershipId,
      userId: r.membership.userId,
      name: r.membership.user.name,
      email: r.membership.user.email,
      hourlyRateCents: r.hourlyRateCents,
      isManager: r.isManager,
    }));
  }),

  addMember: adminProcedure
    .input(
      z.object({
        projectId: id,
        membershipId: id,
        hourlyRateCents: hourlyRateCents.default(null),
        /** A project manager decides timesheets on this project (when approvals go by project). */
        isManager: z.boolean().default(false),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const [project, membership] = await Promise.all([
        ctx.db.project.count({ where: { tenantId: ctx.tenantId, id: input.projectId } }),
        ctx.db.membership.count({ where: { tenantId: ctx.tenantId, id: input.membershipId } }),
      ]);
      if (!project) throw notFound();
      if (!membership) throw new TRPCError({ code: "NOT_FOUND", message: "Member not found" });
      await ctx.db.projectMember.create({ data: { ...input, tenantId: ctx.tenantId } });
      await auditAction(ctx, "project.member_added", { type: "project", id: input.projectId }, {
        membershipId: input.membershipId,
        isManager: input.isManager,
      });
      invalidateTimeFigures(ctx);
      return { ok: true as const };
    }),

  removeMember: adminProcedure
    .input(z.object({ projectId: id, membershipId: id }))
    .mutation(async ({ ctx, input }) => {
      const { count } = await ctx.db.projectMember.deleteMany({ where: { ...input, tenantId: ctx.tenantId } });
      if (count === 0) throw new TRPCError({ code: "NOT_FOUND", message: "Not a member of this project" });
      await auditAction(ctx, "project.member_removed", { type: "project", id: input.projectId }, {
        membershipId: input.membershipId,
      });
      invalidateTimeFigures(ctx);
      return { ok: true as const };
    }),

  /** Hours booked per project (finished entries), served from the tenant cache. */
  totals: managerProcedure.query(({ ctx }) => projectTotals(ctx)),
});
