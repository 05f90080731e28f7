import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { dummyVerify, hashPassword, verifyPassword } from "../auth/password.js";
import { createSession, revokeAllSessions, revokeSession } from "../auth/sessions.js";
import { acceptInvitation } from "../auth/invitations.js";
import { recordAudit } from "../audit/record.js";
import { email, name, password } from "../contract/common.js";
import { workspacesOfUser } from "../db/directory.js";
import { withTenant } from "../db/tenant.js";
import { dbFailureOf, SQLSTATE } from "../db/errors.js";
import { publicProcedure, router } from "../trpc/init.js";
import { authedProcedure, translate } from "../trpc/procedures.js";
import type { PrismaClient } from "../db/generated/client.js";

/** Creates a workspace with `userId` as its OWNER, inside the new tenant's own context. */
async function createWorkspace(prisma: PrismaClient, userId: string, workspaceName: string): Promise<string> {
  const tenantId = randomUUID();
  await withTenant(prisma, tenantId, async (db) => {
    await db.workspace.create({ data: { id: tenantId, name: workspaceName } });
    await db.membership.create({ data: { tenantId, id: randomUUID(), userId, role: "OWNER" } });
    await recordAudit(db, tenantId, { actorUserId: userId, action: "workspace.created", targetType: "workspace", targetId: tenantId });
  });
  return tenantId;
}

export const authRouter = router({
  signUp: publicProcedure
    .input(
      z.object({
        email,
        password,
        name,
        /** A new workspace to own; ignored when joining through an invitation. */
        workspaceName: name.optional(),
        invitationToken: z.string().min(10).max(200).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { prisma } = ctx.services.db;
      if (!input.invitationToken && !input.workspaceName) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "Name your workspace or use an invitation" });
      }
      const userId = randomUUID();
      const passwordHash = await hashPassword(input.password, ctx.services.passwordCost);
      try {
        await prisma.user.create({ data: { id: userId, email: input.email, name: input.name, passwordHash } });
      } catch (err) {
        if (dbFailureOf(err)?.sqlState === SQLSTATE.uniqueViolation) {
          throw new TRPCError({ code: "CONFLICT", message: "An account with this email exists: log in instead" });
        }
        throw err;
      }
      try {
        const workspaceId = input.invitationToken
          ? await acceptInvitation(prisma, input.invitationToken, { userId, email: input.email })
          : await createWorkspace(prisma, userId, input.workspaceName!);
        const session = await createSession(prisma, userId, ctx.services.sessionTtlHours, ctx.req.userAgent);
        return { ...session, user: { id: userId, email: input.email, name: input.name }, workspaceId };
      } catch (err) {
        // Nothing half-written: an account without a workspace is removed again.
        await prisma.user.delete({ where: { id: userId } }).catch(() => undefined);
        throw translate(err);
      }
    }),

  logIn: publicProcedure
    .input(z.object({ email, password: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const { prisma } = ctx.services.db;
      const throttle = ctx.services.loginThrottle;
      try {
        await throttle.attempt(input.email, ctx.req.ip);
      } catch (err) {
        throw translate(err);
      }
      const user = await prisma.user.findUnique({ where: { email: input.email } });
      const ok = user ? await verifyPassword(input.password, user.passwordHash) : (await dummyVerify(ctx.services.passwordCost), false);
      if (!user || !ok) {
        // The attempt was counted by throttle.attempt() above.
        throw new TRPCError({ code: "UNAUTHORIZED", message: "Wrong email or password" });
      }
      await throttle.recordSuccess(input.email, ctx.req.ip);
      const session = await createSession(prisma, user.id, ctx.services.sessionTtlHours, ctx.req.userAgent);
      return { ...session, user: { id: user.id, email: user.email, name: user.name } };
    }),

  logOut: authedProcedure.mutation(async ({ ctx }) => {
    await revokeSession(ctx.services.db.prisma, ctx.user.sessionId);
    return { ok: true as const };
  }),

  logOutEverywhere: authedProcedure.mutation(async ({ ctx }) => {
    const revoked = await revokeAllSessions(ctx.services.db.prisma, ctx.user.userId);
    return { revoked };
  }),

  me: authedProcedure.query(({ ctx }) => ({ id: ctx.user.userId, email: ctx.user.email, name: ctx.user.name })),

  workspaces: authedProcedure.query(({ ctx }) => workspacesOfUser(ctx.services.db.prisma, ctx.user.userId)),

  createWorkspace: authedProcedure.input(z.object({ name })).mutation(async ({ ctx, input }) => {
    const workspaceId = await createWorkspace(ctx.services.db.prisma, ctx.user.userId, input.name);
    return { workspaceId };
  }),

  acceptInvitation: authedProcedure
    .input(z.object({ token: z.string().min(10).max(200) }))
    .mutation(async ({ ctx, input }) => {
      try {
        const workspaceId = await acceptInvitation(ctx.services.db.prisma, input.token, {
          userId: ctx.user.userId,
          email: ctx.user.email,
        });
        return { workspaceId };
      } catch (err) {
        throw translate(err);
      }
    }),
});
