import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createWorkspace } from "../auth/new-workspace.js";
import { createSession, revokeAllSessions, revokeSession } from "../auth/sessions.js";
import { acceptInvitation } from "../auth/invitations.js";
import { confirmSignUp, requestSignUp } from "../auth/sign-up.js";
import { email, name, password } from "../contract/common.js";
import { workspacesOfUser } from "../db/directory.js";
import { publicProcedure, router } from "../trpc/init.js";
import { authedProcedure, translate } from "../trpc/procedures.js";

/** Runs `work`, turning limiter and database failures into typed API errors. */
async function typed<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw translate(err);
  }
}

export const authRouter = router({
  /**
   * Asks for an account: answered the same whether or not the address has
   * one (a mail goes to it either way); the account exists once the code in
   * that mail is given to `confirmSignUp`.
   */
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
      if (!input.invitationToken && !input.workspaceName) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "Name your workspace or use an invitation" });
      }
      await typed(async () => {
        await ctx.services.signUpThrottle.attempt(ctx.req.ip);
        await requestSignUp(ctx.services, input);
      });
      return { status: "CONFIRMATION_SENT" as const, email: input.email };
    }),

  /** Turns a confirmed sign-up into an account (and its workspace or seat) and signs it in. */
  confirmSignUp: publicProcedure
    .input(z.object({ code: z.string().min(10).max(200) }))
    .mutation(({ ctx, input }) => typed(() => confirmSignUp(ctx.services, input.code, ctx.req))),

  logIn: publicProcedure
    .input(z.object({ email, password: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const { prisma } = ctx.services.db;
      const { loginThrottle, passwords } = ctx.services;
      const attempt = await typed(() => loginThrottle.attempt(input.email, ctx.req.ip));
      const user = await prisma.user.findUnique({ where: { email: input.email } });
      let ok: boolean;
      try {
        ok = await (user ? passwords.verify(input.password, user.passwordHash) : passwords.verifyNobody());
      } catch (err) {
        // Too busy to check (or failing): this attempt must not count against the account.
        await loginThrottle.notChecked(input.email, ctx.req.ip, attempt);
        throw translate(err);
      }
      if (!user || !ok) {
        // The attempt was counted by attempt() above; failed() sets the wait before the next one.
        await loginThrottle.failed(attempt);
        throw new TRPCError({ code: "UNAUTHORIZED", message: "Wrong email or password" });
      }
      await loginThrottle.succeeded(input.email, ctx.req.ip, attempt);
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
      const workspaceId = await typed(() =>
        acceptInvitation(ctx.services, input.token, { userId: ctx.user.userId, email: ctx.user.email }),
      );
      return { workspaceId };
    }),
});
