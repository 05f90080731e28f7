import { createHash } from "node:crypto";
import type { PrismaClient } from "../db/generated/client.js";
import { withTenant } from "../db/tenant.js";

export interface Denial {
  actorUserId: string;
  /** The procedure or route that was refused. */
  procedure: string;
  reason: string;
}

const HOUR_MS = 3_600_000;

/**
 * The row that counts one actor's refusals in one workspace during one hour: an id made from
 * (actor, hour), written as an RFC 9562 version 8 UUID (version and variant bits set) so that
 * whatever checks ids as UUIDs takes it.
 */
function hourRowId(actorUserId: string, at: Date): string {
  const hour = new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS).toISOString();
  const h = createHash("sha256").update(`access.denied|${actorUserId}|${hour}`).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Records a refused attempt on a workspace by someone outside it, in that
 * workspace's own audit log, counted: one "access.denied" event per actor per
 * hour, whose details say how many attempts (`count`), on what
 * (`procedures`: attempts per procedure) and when (`firstAt`, `lastAt`). A
 * stranger who names a workspace's id can thus add at most one row an hour
 * to its log, however hard they try, and its admins still see the whole of
 * it. Runs in a transaction of its own (the refused request's was rolled
 * back); a workspace that does not exist has no log.
 */
export async function recordDenial(prisma: PrismaClient, tenantId: string, denial: Denial): Promise<void> {
  const now = new Date();
  const first = { reason: denial.reason, count: 1, procedures: { [denial.procedure]: 1 }, firstAt: now, lastAt: now };
  try {
    await withTenant(prisma, tenantId, async (db) => {
      if (!(await db.workspace.count({ where: { id: tenantId } }))) return;
      await db.$executeRaw`
        INSERT INTO audit_events (tenant_id, id, actor_user_id, action, target_type, target_id, details, created_at)
        VALUES (${tenantId}::uuid, ${hourRowId(denial.actorUserId, now)}::uuid, ${denial.actorUserId}::uuid,
                'access.denied', 'workspace', ${tenantId}, ${JSON.stringify(first)}::jsonb, ${now})
        ON CONFLICT (tenant_id, id) DO UPDATE SET details = audit_events.details || jsonb_build_object(
          'count', COALESCE((audit_events.details->>'count')::int, 1) + 1,
          'procedures', COALESCE(audit_events.details->'procedures', '{}'::jsonb) || jsonb_build_object(
            ${denial.procedure}::text, COALESCE((audit_events.details->'procedures'->>${denial.procedure}::text)::int, 0) + 1),
          'lastAt', ${now.toISOString()}::text)`;
    });
  } catch {
    // Best effort: failing to log must not turn a denial into a 500.
  }
}
