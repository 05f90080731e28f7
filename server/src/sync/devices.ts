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
 *
 * The same statement moves the device's lastMutationId up to `upTo`, the
 * push's highest mutation id: every mutation up to it is decided by this
 * push, and if the push fails the transaction takes the move back. The
 * answer is the row as it was before, which the push decides against.
 */
export async function lockDevice(
  db: TenantDb,
  tenantId: string,
  userId: string,
  clientId: string,
  upTo: number,
): Promise<LockedDevice | null> {
  // The person's push lock first (the CTE runs before the row can be locked), the device stamp
  // (every entry this push writes is this device's: its own pulls skip them), the device's row,
  // then its move, only when the device is the caller's (anyone else's push is refused).
  const rows = await db.$queryRaw<{ user_id: string; last_mutation_id: bigint }[]>`
    WITH person AS MATERIALIZED (
      SELECT pg_advisory_xact_lock(hashtextextended(${`sync.push:${tenantId}:${userId}`}, 0)),
             set_config('app.client_id', ${clientId}, true)
    ),
    device AS MATERIALIZED (
      SELECT c.user_id, c.last_mutation_id
      FROM person, sync_clients c
      WHERE c.tenant_id = ${tenantId}::uuid AND c.id = ${clientId}::uuid
      FOR UPDATE OF c
    ),
    moved AS (
      UPDATE sync_clients AS c
      SET last_mutation_id = GREATEST(device.last_mutation_id, ${upTo}::bigint), last_seen_at = now()
      FROM device
      WHERE c.tenant_id = ${tenantId}::uuid AND c.id = ${clientId}::uuid AND device.user_id = ${userId}::uuid
    )
    SELECT device.user_id::text AS user_id, device.last_mutation_id
    FROM device`;
  const row = rows[0];
  return row ? { userId: row.user_id, lastMutationId: Number(row.last_mutation_id) } : null;
}
