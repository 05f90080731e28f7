import type { TenantDb } from "../db/tenant.js";
import { LOCKED_PERIOD_MESSAGE, lockCheckerOf, type LockChecker, type LockState } from "../contract/locks.js";
import { DomainError } from "./errors.js";

export { periodRules, type WorkspaceLockSettings } from "../contract/locks.js";

const LOCK_FIELDS = { timezone: true, weekStartsOn: true, timesheetPeriod: true, lockBefore: true, lockGraceDays: true } as const;

/** What locks `userId`'s time: the workspace's rules and the user's approved periods (two small queries). */
export async function loadLockState(db: TenantDb, tenantId: string, userId: string): Promise<LockState> {
  const [ws, approved] = await Promise.all([
    db.workspace.findFirstOrThrow({ where: { id: tenantId }, select: LOCK_FIELDS }),
    db.timesheet.findMany({ where: { tenantId, userId, status: "APPROVED" }, select: { periodStart: true, periodEnd: true } }),
  ]);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return { ...ws, approved: approved.map((t) => ({ start: day(t.periodStart), end: day(t.periodEnd) })) };
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
