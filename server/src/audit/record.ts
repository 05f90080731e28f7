import { randomUUID } from "node:crypto";
import type { TenantDb } from "../db/tenant.js";

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
