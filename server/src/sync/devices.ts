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
  await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`sync.push:${tenantId}:${userId}`}, 0))`;
  // Every entry this push writes is stamped as this device's (its own pulls skip them).
  await db.$executeRaw`SELECT set_config('app.client_id', ${clientId}, true)`;
  const rows = await db.$queryRaw<{ user_id: string; last_mutation_id: bigint }[]>`
    SELECT user_id::text AS user_id, last_mutation_id
    FROM sync_clients
    WHERE tenant_id = ${tenantId}::uuid AND id = ${clientId}::uuid
    FOR UPDATE`;
  const row = rows[0];
  return row ? { userId: row.user_id, lastMutationId: Number(row.last_mutation_id) } : null;
}
