import { Prisma } from "../db/generated/client.js";
import type { TenantDb } from "../db/tenant.js";
import { LOCKED_PERIOD_MESSAGE, lockCheckerOf, type LockChecker, type LockState } from "../contract/locks.js";
import { DomainError } from "./errors.js";

export { periodRules, type WorkspaceLockSettings } from "../contract/locks.js";

/**
 * What locks `userId`'s time, as one JSON value: the workspace's rules and
 * the user's approved periods. A fragment, so the statement that loads
 * everything an entry write must know can carry it.
 */
export function lockStateSql(tenantId: string, userId: string): Prisma.Sql {
  return Prisma.sql`(
    SELECT jsonb_build_object(
      'timezone', w.timezone, 'weekStartsOn', w.week_starts_on, 'timesheetPeriod', w.timesheet_period,
      'lockBefore', w.lock_before, 'lockGraceDays', w.lock_grace_days,
      'approved', COALESCE((SELECT jsonb_agg(jsonb_build_object('start', t.period_start, 'end', t.period_end))
                            FROM timesheets t
                            WHERE t.tenant_id = ${tenantId}::uuid AND t.user_id = ${userId}::uuid AND t.status = 'APPROVED'), '[]'::jsonb))
    FROM workspaces w
    WHERE w.tenant_id = ${tenantId}::uuid)`;
}

type LockStateJson = Omit<LockState, "lockBefore"> & { lockBefore: string | null };

/** The lock state `lockStateSql` selected (dates arrive as YYYY-MM-DD). */
export function lockStateOf(json: LockStateJson | null): LockState {
  if (!json) throw new DomainError("NOT_FOUND", "Workspace not found");
  return { ...json, lockBefore: json.lockBefore ? new Date(`${json.lockBefore}T00:00:00Z`) : null };
}

/** What locks `userId`'s time, in one statement. */
export async function loadLockState(db: TenantDb, tenantId: string, userId: string): Promise<LockState> {
  const rows = await db.$queryRaw<{ state: LockStateJson | null }[]>`SELECT ${lockStateSql(tenantId, userId)} AS state`;
  return lockStateOf(rows[0]?.state ?? null);
}

/** The lock rule as a domain check: refuses with LOCKED_PERIOD. */
export class Locks {
  constructor(private readonly checker: LockChecker) {}

  assertOpen(...instants: Date[]): void {
    if (this.checker.firstLocked(...instants)) throw new DomainError("LOCKED_PERIOD", LOCKED_PERIOD_MESSAGE);
  }
}

export function locksOf(state: LockState, now = new Date()): Locks {
  return new Locks(lockCheckerOf(state, now));
}

export async function loadLocks(db: TenantDb, tenantId: string, userId: string, now = new Date()): Promise<Locks> {
  return locksOf(await loadLockState(db, tenantId, userId), now);
}
