import type { TenantDb } from "../db/tenant.js";
import { DomainError } from "./errors.js";
import { periodOf, startOfLocalDate, type PeriodRules } from "./periods.js";

/**
 * Which instants of one user's time are locked: everything in an approved
 * timesheet, everything before the workspace's lock date, and, with a grace
 * period, every period that ended more than that many days ago. An entry is
 * judged by its start.
 */
export class LockChecker {
  constructor(
    private readonly lockedBefore: Date | null,
    private readonly approved: { startsAt: Date; endsAt: Date }[],
  ) {}

  isLocked(instant: Date): boolean {
    if (this.lockedBefore && instant < this.lockedBefore) return true;
    return this.approved.some((p) => instant >= p.startsAt && instant < p.endsAt);
  }

  assertOpen(...instants: Date[]): void {
    if (instants.some((i) => this.isLocked(i))) {
      throw new DomainError("LOCKED_PERIOD", "This time is in a locked period (approved or closed by an admin)");
    }
  }
}

export interface WorkspaceLockSettings {
  timezone: string;
  weekStartsOn: number;
  timesheetPeriod: string;
  lockBefore: Date | null;
  lockGraceDays: number | null;
}

export function periodRules(ws: WorkspaceLockSettings): PeriodRules {
  return { kind: ws.timesheetPeriod === "MONTH" ? "MONTH" : "WEEK", weekStartsOn: ws.weekStartsOn, timezone: ws.timezone };
}

/** The instant before which the workspace is closed, from its lock date and rolling grace period. */
export function workspaceLockInstant(ws: WorkspaceLockSettings, now: Date): Date | null {
  const candidates: Date[] = [];
  if (ws.lockBefore) candidates.push(startOfLocalDate(ws.lockBefore.toISOString().slice(0, 10), ws.timezone));
  if (ws.lockGraceDays !== null) {
    // The period containing (now - grace) has not been over for `grace` days yet; the ones before it have.
    candidates.push(periodOf(new Date(now.getTime() - ws.lockGraceDays * 86_400_000), periodRules(ws)).startsAt);
  }
  return candidates.length ? new Date(Math.max(...candidates.map((d) => d.getTime()))) : null;
}

const LOCK_FIELDS = { timezone: true, weekStartsOn: true, timesheetPeriod: true, lockBefore: true, lockGraceDays: true } as const;

/** Loads what locks `userId`'s time: two small queries. */
export async function loadLocks(db: TenantDb, tenantId: string, userId: string, now = new Date()): Promise<LockChecker> {
  const [ws, approved] = await Promise.all([
    db.workspace.findFirstOrThrow({ where: { id: tenantId }, select: LOCK_FIELDS }),
    db.timesheet.findMany({ where: { tenantId, userId, status: "APPROVED" }, select: { periodStart: true, periodEnd: true } }),
  ]);
  return new LockChecker(
    workspaceLockInstant(ws, now),
    approved.map((t) => ({
      startsAt: startOfLocalDate(t.periodStart.toISOString().slice(0, 10), ws.timezone),
      endsAt: startOfLocalDate(t.periodEnd.toISOString().slice(0, 10), ws.timezone),
    })),
  );
}
