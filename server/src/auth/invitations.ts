import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import type { PrismaClient } from "../db/generated/client.js";
import { withTenant } from "../db/tenant.js";
import { recordAudit } from "../audit/record.js";
import { hashSecret, newSecret } from "./tokens.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An invitation token names its workspace in clear (so acceptance can open
 * that tenant's context) followed by a secret whose hash is stored.
 */
export function newInvitationToken(tenantId: string): { token: string; tokenHash: string } {
  const secret = newSecret("hsi");
  return { token: `${tenantId}.${secret}`, tokenHash: hashSecret(secret) };
}

const notValid = () => new TRPCError({ code: "NOT_FOUND", message: "This invitation is not valid" });

/** Turns a pending invitation for `who.email` into a membership. Returns the workspace id. */
export async function acceptInvitation(
  prisma: PrismaClient,
  token: string,
  who: { userId: string; email: string },
): Promise<string> {
  const dot = token.indexOf(".");
  const tenantId = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (dot < 0 || !UUID.test(tenantId)) throw notValid();
  await withTenant(prisma, tenantId, async (db) => {
    const invitation = await db.invitation.findFirst({
      where: { tenantId, tokenHash: hashSecret(secret), acceptedAt: null, expiresAt: { gt: new Date() } },
    });
    if (!invitation || invitation.email !== who.email) throw notValid();
    const existing = await db.membership.findFirst({ where: { tenantId, userId: who.userId } });
    if (!existing) {
      await db.membership.create({ data: { tenantId, id: randomUUID(), userId: who.userId, role: invitation.role } });
    }
    await db.invitation.update({
      where: { tenantId_id: { tenantId, id: invitation.id } },
      data: { acceptedAt: new Date() },
    });
    await recordAudit(db, tenantId, {
      actorUserId: who.userId,
      action: "member.joined",
      targetType: "invitation",
      targetId: invitation.id,
      details: { role: invitation.role },
    });
  });
  return tenantId;
}
