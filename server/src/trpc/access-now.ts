import { resolveSession } from "../auth/sessions.js";
import type { Role } from "../contract/common.js";
import type { PrismaClient } from "../db/generated/client.js";
import { withTenant, type TenantDb, type TenantTxOptions } from "../db/tenant.js";

export interface Member {
  membershipId: string;
  userId: string;
  role: Role;
}

/** The caller's membership (and role) in the tenant as the transaction sees it, or null when there is none. */
export async function currentMember(db: TenantDb, tenantId: string, userId: string): Promise<Member | null> {
  const m = await db.membership.findFirst({ where: { tenantId, userId }, select: { id: true, role: true } });
  return m ? { membershipId: m.id, userId, role: m.role } : null;
}

/**
 * The caller lost access while a long request ran: the session was revoked
 * or expired ("session"), or they are no longer a member ("membership").
 */
export class AccessEndedError extends Error {
  constructor(readonly what: "session" | "membership") {
    super(what === "session" ? "Sign in first" : "Workspace not found");
    this.name = "AccessEndedError";
  }
}

/**
 * Runs `work` in a tenant transaction after checking the caller's access as
 * it is now, not as it was when the request began: the session still live,
 * the membership still there, and `work` gets the role as it is now. A
 * request that spans several transactions (an upload, an export) opens each
 * one through here, so a removal or a demotion stops it at its next step.
 */
export async function inTenantAsOfNow<T>(
  prisma: PrismaClient,
  tenantId: string,
  caller: { token: string; userId: string },
  work: (db: TenantDb, member: Member) => Promise<T>,
  opts: TenantTxOptions = {},
): Promise<T> {
  const session = await resolveSession(prisma, caller.token);
  if (session?.userId !== caller.userId) throw new AccessEndedError("session");
  return withTenant(prisma, tenantId, async (db) => {
    const member = await currentMember(db, tenantId, caller.userId);
    if (!member) throw new AccessEndedError("membership");
    return work(db, member);
  }, opts);
}
