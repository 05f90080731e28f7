import type { TenantDb } from "../db/tenant.js";

export interface LockedDevice {
  userId: string;
  lastMutationId: number;
}

/**
 * The device's row, locked until the push commits, so pushes of one device
 * are decided one at a time: a copy of a push that arrives while the first
 * is being decided waits, then reads the lastMutationId the first one wrote.
 * The person's other devices wait too: their entries share one timeline
 * (the overlap rule), so two of them must not be decided side by side.
 */
export async function lockDevice(db: TenantDb, tenantId: string, userId: string, clientId: string): Promise<LockedDevice | null> {
  // One statement: the person's push lock first (the CTE runs before the row can be locked),
  // the device stamp (every entry this push writes is this device's: its own pulls skip them),
  // then the device's row.
  const rows = await db.$queryRaw<{ user_id: string; last_mutation_id: bigint }[]>`
    WITH person AS MATERIALIZED (
      SELECT pg_advisory_xact_lock(hashtextextended(${`sync.push:${tenantId}:${userId}`}, 0)),
             set_config('app.client_id', ${clientId}, true)
    )
    SELECT c.user_id::text AS user_id, c.last_mutation_id
    FROM person, sync_clients c
    WHERE c.tenant_id = ${tenantId}::uuid AND c.id = ${clientId}::uuid
    FOR UPDATE OF c`;
  const row = rows[0];
  return row ? { userId: row.user_id, lastMutationId: Number(row.last_mutation_id) } : null;
}

/** The device's last decided mutation, on the row lockDevice holds. */
export async function recordPushed(db: TenantDb, tenantId: string, clientId: string, lastMutationId: number): Promise<void> {
  await db.$executeRaw`
    UPDATE sync_clients SET last_mutation_id = ${lastMutationId}, last_seen_at = now()
    WHERE tenant_id = ${tenantId}::uuid AND id = ${clientId}::uuid`;
}
