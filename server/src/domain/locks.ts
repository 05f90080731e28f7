import type { TenantDb } from "../db/tenant.js";
import { LOCKED_PERIOD_MESSAGE, lockCheckerOf, type LockChecker, type LockState } from "../contract/locks.js";
import { DomainError } from "./errors.js";

export { periodRules, type WorkspaceLockSettings } from "../contract/locks.js";

/**
 * What locks `userId`'s time: the workspace's rules and the user's approved
 * periods, in one statement (it runs on every push and every entry write).
 */
export async function loadLockState(db: TenantDb, tenantId: string, userId: string): Promise<LockState> {
  const rows = await db.$queryRaw<
    {
      timezone: string;
      weekStartsOn: number;
      timesheetPeriod: string;
      lockBefore: string | null;
      lockGraceDays: number | null;
      approved: { start: string; end: string }[];
    }[]
  >`
    SELECT w.timezone, w.week_starts_on::int AS "weekStartsOn", w.timesheet_period AS "timesheetPeriod",
           w.lock_before::text AS "lockBefore", w.lock_grace_days AS "lockGraceDays",
           COALESCE((SELECT jsonb_agg(jsonb_build_object('start', t.period_start::text, 'end', t.period_end::text))
                     FROM timesheets t
                     WHERE t.tenant_id = ${tenantId}::uuid AND t.user_id = ${userId}::uuid AND t.status = 'APPROVED'), '[]'::jsonb) AS approved
    FROM workspaces w
    WHERE w.tenant_id = ${tenantId}::uuid`;
  const ws = rows[0];
  if (!ws) throw new DomainError("NOT_FOUND", "Workspace not found");
  return {
    ...ws,
    lockBefore: ws.lockBefore ? new Date(`${ws.lockBefore}T00:00:00Z`) : null,
  };
}

/** The lock rule as a domain check: refuses with LOCKED_PERIOD. */
export class Locks {
  constructor(private readonly checker: LockChecker) {}

  assertOpen(...instants: Date[]): void {
    if (this.checker.firstLocked(...instants)) throw new DomainError("LOCKED_PERIOD", LOCKED_PERIOD_MESSAGE);
  }
}

export async function loadLocks(db: TenantDb, tenantId: string, userId: string, now = new Date()): Promise<Locks> {
  return new Locks(lockCheckerOf(await loadLockState(db, tenantId, userId), now));
}
