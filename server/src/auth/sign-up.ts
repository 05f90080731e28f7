import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { dbFailureOf, SQLSTATE } from "../db/errors.js";
import type { Services } from "../trpc/context.js";
import { checkInvitation, joinThroughInvitation } from "./invitations.js";
import { createWorkspace } from "./new-workspace.js";
import { createSession } from "./sessions.js";
import { alreadySignedUpMail, confirmationMail } from "./sign-up-mails.js";
import { hashSecret, newSecret } from "./tokens.js";

/** How long a confirmation code works. */
export const CODE_VALID_HOURS = 24;

export interface SignUpInput {
  email: string;
  password: string;
  name: string;
  /** A new workspace to own; ignored when joining through an invitation. */
  workspaceName?: string;
  invitationToken?: string;
}

/**
 * The first half of a sign-up: nothing becomes an account until the address
 * confirms it. Whether or not the address already has an account, the same
 * work is done (the password hashed, a request stored, one mail sent) and
 * the caller gets the same answer; only the mail differs: a new address
 * gets a code, an address with an account gets "you already have one".
 * So a stranger learns nothing about who has an account (OWASP:
 * "A link to activate your account has been emailed to <address>").
 *
 * An invitation is checked now (NOT_FOUND when it is not a pending one for
 * this address: that depends on the invitation, not on any account) and
 * accepted at confirmation.
 */
export async function requestSignUp(services: Services, input: SignUpInput): Promise<void> {
  const { prisma } = services.db;
  const invitation = input.invitationToken ? await checkInvitation(prisma, input.invitationToken, input.email) : null;
  const passwordHash = await services.passwords.hashNew(input.password);
  const code = newSecret("hsc");
  const now = Date.now();
  const hasAccount = (await prisma.user.count({ where: { email: input.email } })) > 0;
  await prisma.signUpRequest.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
  await prisma.signUpRequest.create({
    data: {
      id: randomUUID(),
      email: input.email,
      name: input.name,
      passwordHash,
      workspaceName: invitation ? null : input.workspaceName!,
      invitationTenantId: invitation?.tenantId ?? null,
      invitationTokenHash: invitation?.tokenHash ?? null,
      codeHash: hashSecret(code),
      expiresAt: new Date(now + CODE_VALID_HOURS * 3_600_000),
    },
  });
  if (await services.signUpThrottle.mayMail(input.email)) {
    await services.mailer.send(hasAccount ? alreadySignedUpMail(input.email) : confirmationMail(input.email, code, CODE_VALID_HOURS));
  }
}

/**
 * The second half: the code from the mail turns its request into an account
 * (with its own workspace, or a seat in the one it was invited to) and signs
 * it in. Whoever holds the code controls the address, so telling them that
 * the address got an account meanwhile reveals nothing new.
 */
export async function confirmSignUp(services: Services, code: string, from: { ip: string; userAgent: string | null }) {
  const { prisma } = services.db;
  const request = await prisma.signUpRequest.findUnique({ where: { codeHash: hashSecret(code) } });
  if (!request || request.expiresAt.getTime() <= Date.now()) {
    throw new TRPCError({ code: "NOT_FOUND", message: "This confirmation code is not valid (or has expired): sign up again" });
  }
  const userId = randomUUID();
  try {
    await prisma.user.create({ data: { id: userId, email: request.email, name: request.name, passwordHash: request.passwordHash } });
  } catch (err) {
    if (dbFailureOf(err)?.sqlState === SQLSTATE.uniqueViolation) {
      await prisma.signUpRequest.deleteMany({ where: { email: request.email } });
      throw new TRPCError({ code: "CONFLICT", message: "This address already has an account: log in instead" });
    }
    throw err;
  }
  let workspaceId: string;
  try {
    workspaceId =
      request.invitationTenantId && request.invitationTokenHash
        ? await joinThroughInvitation(services, { tenantId: request.invitationTenantId, tokenHash: request.invitationTokenHash }, { userId, email: request.email })
        : await createWorkspace(prisma, userId, request.workspaceName!);
  } catch (err) {
    // Nothing half-made: an account without a workspace is removed again.
    await prisma.user.delete({ where: { id: userId } }).catch(() => undefined);
    throw err;
  }
  // Every other pending sign-up of the address is void now that it has an account.
  await prisma.signUpRequest.deleteMany({ where: { email: request.email } });
  // The address that confirmed is the person's own: their log-ins from it are never delayed by strangers' guesses.
  await services.loginThrottle.remember(request.email, from.ip);
  const session = await createSession(prisma, userId, services.sessionTtlHours, from.userAgent);
  return { ...session, user: { id: userId, email: request.email, name: request.name }, workspaceId };
}
