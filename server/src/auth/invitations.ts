import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import type { PrismaClient } from "../db/generated/client.js";
import { withTenant, type TenantDb } from "../db/tenant.js";
import { recordAudit } from "../audit/record.js";
import type { TenantCache } from "../cache/tenant-cache.js";
import { dropTimeFigures } from "../cache/time-figures.js";
import { HAND_OVER_TIMEOUT_MS, handOverHeldRows } from "./held-rows-hand-over.js";
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

/** An invitation as a sign-up keeps it until confirmation: its workspace and the hash of its token. */
export interface InvitationRef {
  tenantId: string;
  tokenHash: string;
}

const notValid = () => new TRPCError({ code: "NOT_FOUND", message: "This invitation is not valid" });

/** The workspace and token hash of a token, or NOT_FOUND for anything that cannot be one. */
function parseToken(token: string): InvitationRef {
  const dot = token.indexOf(".");
  const tenantId = token.slice(0, dot).toLowerCase();
  if (dot < 0 || !UUID.test(tenantId)) throw notValid();
  return { tenantId, tokenHash: hashSecret(token.slice(dot + 1)) };
}

/** The pending invitation `ref` names, if it is for `email`; else NOT_FOUND. */
async function pendingFor(db: TenantDb, ref: InvitationRef, email: string) {
  const invitation = await db.invitation.findFirst({
    where: { tenantId: ref.tenantId, tokenHash: ref.tokenHash, acceptedAt: null, expiresAt: { gt: new Date() } },
  });
  if (!invitation || invitation.email !== email) throw notValid();
  return invitation;
}

/** Checks that `token` is a pending invitation for `email` (NOT_FOUND otherwise), changing nothing. */
export async function checkInvitation(prisma: PrismaClient, token: string, email: string): Promise<InvitationRef> {
  const ref = parseToken(token);
  await withTenant(prisma, ref.tenantId, (db) => pendingFor(db, ref, email));
  return ref;
}

/** What joining needs: the database, and the cache of figures computed from entries (handed-over time changes them). */
export interface JoiningServices {
  db: { prisma: PrismaClient };
  cache: TenantCache;
}

/**
 * Turns the pending invitation `ref` for `who.email` into a membership, and
 * the rows an import held for it into `who`'s own, in one transaction: all
 * of it, or (a typed refusal) none. Returns the workspace id.
 */
export async function joinThroughInvitation(services: JoiningServices, ref: InvitationRef, who: { userId: string; email: string }): Promise<string> {
  const { tenantId } = ref;
  const handedOver = await withTenant(services.db.prisma, tenantId, async (db) => {
    const invitation = await pendingFor(db, ref, who.email);
    // Claimed first, and only while still pending: a second acceptance at the same moment waits for
    // this one's row lock, then finds it accepted, and hands nothing over twice.
    const { count } = await db.invitation.updateMany({
      where: { tenantId, id: invitation.id, acceptedAt: null },
      data: { acceptedAt: new Date() },
    });
    if (count === 0) throw notValid();
    const existing = await db.membership.findFirst({ where: { tenantId, userId: who.userId } });
    if (!existing) {
      await db.membership.create({ data: { tenantId, id: randomUUID(), userId: who.userId, role: invitation.role } });
    }
    const handedOver = await handOverHeldRows(db, tenantId, invitation.id, who.userId);
    await recordAudit(db, tenantId, {
      actorUserId: who.userId,
      action: "member.joined",
      targetType: "invitation",
      targetId: invitation.id,
      details: { role: invitation.role, ...(handedOver.entries + handedOver.timesheets + handedOver.attachments > 0 ? { handedOver } : {}) },
    });
    return handedOver;
  }, { timeout: HAND_OVER_TIMEOUT_MS });
  // Reports and totals computed before now lack the handed-over time.
  if (handedOver.entries > 0) await dropTimeFigures(services.cache, tenantId);
  return tenantId;
}

/** A signed-in user accepts an invitation by its token. Returns the workspace id. */
export function acceptInvitation(services: JoiningServices, token: string, who: { userId: string; email: string }): Promise<string> {
  return joinThroughInvitation(services, parseToken(token), who);
}
