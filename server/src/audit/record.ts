import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../db/generated/client.js";
import type { TenantDb } from "../db/tenant.js";
import { withTenant } from "../db/tenant.js";

export interface AuditInput {
  actorUserId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

/** Writes an audit event inside the caller's tenant transaction: it commits or rolls back with the action. */
export async function recordAudit(db: TenantDb, tenantId: string, input: AuditInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      tenantId,
      id: randomUUID(),
      actorUserId: input.actorUserId,
      action: input.action,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      details: (input.details ?? {}) as object,
    },
  });
}

/**
 * Records a refused attempt on a tenant by someone outside it, in that
 * tenant's own log, in a transaction of its own (the refused request's
 * transaction was rolled back). A tenant that does not exist has no log.
 */
export async function recordDenied(
  prisma: PrismaClient,
  tenantId: string,
  input: AuditInput,
): Promise<void> {
  try {
    await withTenant(prisma, tenantId, async (db) => {
      const exists = await db.workspace.count({ where: { id: tenantId } });
      if (exists) await recordAudit(db, tenantId, input);
    });
  } catch {
    // Best effort: failing to log must not turn a denial into a 500.
  }
}

/** Shorthand for routers: the acting member does `action` on one target. */
export function auditAction(
  ctx: { db: TenantDb; tenantId: string; member: { userId: string } },
  action: string,
  target: { type: string; id: string },
  details?: Record<string, unknown>,
): Promise<void> {
  return recordAudit(ctx.db, ctx.tenantId, {
    actorUserId: ctx.member.userId,
    action,
    targetType: target.type,
    targetId: target.id,
    details,
  });
}
