import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { newInvitationToken } from "../auth/invitations.js";
import { purgeRemovedFiles } from "../attachments/purge.js";
import { recordAudit } from "../audit/record.js";
import { email, hourlyRateCents, id, role, type Role } from "../contract/common.js";
import type { TenantDb } from "../db/tenant.js";
import { ReasonedError, router } from "../trpc/init.js";
import { invalidateTimeFigures } from "./project-totals.js";
import { adminProcedure, managerProcedure, type Member } from "../trpc/procedures.js";

const INVITATION_TTL_DAYS = 14;

const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "Member not found" });

/** Only owners may hand out, take away or touch the OWNER role. */
function assertMayManage(actor: Member, targetRole: Role, newRole?: Role) {
  const touchesOwner = targetRole === "OWNER" || newRole === "OWNER";
  if (touchesOwner && actor.role !== "OWNER") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only an owner can change owners" });
  }
}

async function assertNotLastOwner(db: TenantDb, tenantId: string, membershipId: string) {
  // Serialise owner changes per workspace: two owners demoting each other at once must not both pass.
  await db.$queryRaw`SELECT 1 FROM workspaces WHERE tenant_id = ${tenantId}::uuid FOR UPDATE`;
  const owners = await db.membership.findMany({ where: { tenantId, role: "OWNER" }, select: { id: true } });
  if (owners.length === 1 && owners[0]!.id === membershipId) {
    throw new ReasonedError("BAD_REQUEST", "LAST_OWNER", "A workspace needs at least one owner");
  }
}

export const membersRouter = router({
  list: managerProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.membership.findMany({
      where: { tenantId: ctx.tenantId },
      include: { user: { select: { email: true, name: true } } },
      orderBy: { createdAt: "asc" },
    });
    return rows.map((m) => ({
      id: m.id,
      userId: m.userId,
      role: m.role,
      hourlyRateCents: m.hourlyRateCents,
      email: m.user.email,
      name: m.user.name,
      createdAt: m.createdAt,
    }));
  }),

  invite: adminProcedure.input(z.object({ email, role })).mutation(async ({ ctx, input }) => {
    assertMayManage(ctx.member, input.role);
    const already = await ctx.db.membership.findFirst({
      where: { tenantId: ctx.tenantId, user: { email: input.email } },
    });
    if (already) throw new TRPCError({ code: "CONFLICT", message: "This person is already a member" });
    const { token, tokenHash } = newInvitationToken(ctx.tenantId);
    const invitationId = randomUUID();
    const expiresAt = new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000);
    await ctx.db.invitation.create({
      data: {
        tenantId: ctx.tenantId,
        id: invitationId,
        email: input.email,
        role: input.role,
        tokenHash,
        invitedBy: ctx.member.userId,
        expiresAt,
      },
    });
    const heldRows = await moveHeldRows(ctx.db, ctx.tenantId, input.email, invitationId);
    await recordAudit(ctx.db, ctx.tenantId, {
      actorUserId: ctx.member.userId,
      action: "member.invited",
      targetType: "invitation",
      targetId: invitationId,
      details: { email: input.email, role: input.role, ...(heldRows > 0 ? { heldRows } : {}) },
    });
    ctx.services.log("info", "invitation created (email delivery is logged in development)", {
      tenantId: ctx.tenantId,
      email: input.email,
    });
    return { invitationId, token, expiresAt };
  }),

  /** Pending invitations, each with what an import holds for it (revoking one discards that). */
  invitations: adminProcedure.query(async ({ ctx }) => {
    const invitations = await ctx.db.invitation.findMany({
      where: { tenantId: ctx.tenantId, acceptedAt: null },
      select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
      orderBy: { createdAt: "desc" },
    });
    const counts = await ctx.db.heldRow.groupBy({
      by: ["invitationId", "kind"],
      where: { tenantId: ctx.tenantId, invitationId: { in: invitations.map((i) => i.id) } },
      _count: { _all: true },
    });
    const heldFor = (id: string, kind: string) => counts.find((c) => c.invitationId === id && c.kind === kind)?._count._all ?? 0;
    return invitations.map((i) => ({
      ...i,
      held: { entries: heldFor(i.id, "entry"), timesheets: heldFor(i.id, "timesheet"), attachments: heldFor(i.id, "attachment") },
    }));
  }),

  /** Revoking also discards the rows an import held for the invitation (they cascade), and their files after commit. */
  revokeInvitation: adminProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    const heldRows = await ctx.db.heldRow.count({ where: { tenantId: ctx.tenantId, invitationId: input.id } });
    const { count } = await ctx.db.invitation.deleteMany({
      where: { tenantId: ctx.tenantId, id: input.id, acceptedAt: null },
    });
    if (count === 0) throw new TRPCError({ code: "NOT_FOUND", message: "Invitation not found" });
    await recordAudit(ctx.db, ctx.tenantId, {
      actorUserId: ctx.member.userId,
      action: "member.invitation_revoked",
      targetType: "invitation",
      targetId: input.id,
      ...(heldRows > 0 ? { details: { heldRows } } : {}),
    });
    // Held attachments' files were queued for removal by the held rows' trigger (0012).
    if (heldRows > 0) ctx.afterCommit(() => purgeRemovedFiles(ctx.services, ctx.tenantId));
    return { ok: true as const };
  }),

  changeRole: adminProcedure
    .input(z.object({ membershipId: id, role }))
    .mutation(async ({ ctx, input }) => {
      const target = await ctx.db.membership.findFirst({ where: { tenantId: ctx.tenantId, id: input.membershipId } });
      if (!target) throw notFound();
      assertMayManage(ctx.member, target.role, input.role);
      if (target.role === "OWNER" && input.role !== "OWNER") {
        await assertNotLastOwner(ctx.db, ctx.tenantId, target.id);
      }
      const updated = await ctx.db.membership.update({
        where: { tenantId_id: { tenantId: ctx.tenantId, id: target.id } },
        data: { role: input.role },
      });
      await recordAudit(ctx.db, ctx.tenantId, {
        actorUserId: ctx.member.userId,
        action: "member.role_changed",
        targetType: "membership",
        targetId: target.id,
        details: { from: target.role, to: input.role },
      });
      return { id: updated.id, role: updated.role };
    }),

  setRate: adminProcedure
    .input(z.object({ membershipId: id, hourlyRateCents }))
    .mutation(async ({ ctx, input }) => {
      const { count } = await ctx.db.membership.updateMany({
        where: { tenantId: ctx.tenantId, id: input.membershipId },
        data: { hourlyRateCents: input.hourlyRateCents },
      });
      if (count === 0) throw notFound();
      await recordAudit(ctx.db, ctx.tenantId, {
        actorUserId: ctx.member.userId,
        action: "member.rate_changed",
        targetType: "membership",
        targetId: input.membershipId,
        details: { hourlyRateCents: input.hourlyRateCents },
      });
      invalidateTimeFigures(ctx);
      return { ok: true as const };
    }),

  remove: adminProcedure.input(z.object({ membershipId: id })).mutation(async ({ ctx, input }) => {
    const target = await ctx.db.membership.findFirst({ where: { tenantId: ctx.tenantId, id: input.membershipId } });
    if (!target) throw notFound();
    assertMayManage(ctx.member, target.role);
    if (target.role === "OWNER") await assertNotLastOwner(ctx.db, ctx.tenantId, target.id);
    await ctx.db.membership.delete({ where: { tenantId_id: { tenantId: ctx.tenantId, id: target.id } } });
    await recordAudit(ctx.db, ctx.tenantId, {
      actorUserId: ctx.member.userId,
      action: "member.removed",
      targetType: "membership",
      targetId: target.id,
      details: { userId: target.userId, role: target.role },
    });
    // Their time stays; its amounts now come from the project's or workspace's rate.
    invalidateTimeFigures(ctx);
    return { ok: true as const };
  }),
});

/**
 * What an import holds under the person's earlier invitations (an expired one too) moves to the
 * new one: inviting someone again is how their held time reaches them after their link expired.
 */
async function moveHeldRows(db: TenantDb, tenantId: string, email: string, invitationId: string): Promise<number> {
  const earlier = await db.invitation.findMany({
    where: { tenantId, email, acceptedAt: null, id: { not: invitationId } },
    select: { id: true },
  });
  if (earlier.length === 0) return 0;
  const { count } = await db.heldRow.updateMany({
    where: { tenantId, invitationId: { in: earlier.map((i) => i.id) } },
    data: { invitationId },
  });
  return count;
}
