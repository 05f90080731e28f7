import { periodOf, startOfLocalDate, type PeriodRules } from "./periods.js";

/**
 * Which instants of one user's time are locked: everything in an approved
 * timesheet, everything before the workspace's lock date, and, with a grace
 * period, every period that ended more than that many days ago. An entry is
 * judged by its start. Pure, so the server (API and sync push) and the
 * desktop (offline, before the user types) apply the same rule.
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

  /** The first locked instant among `instants`, or null when all are open. */
  firstLocked(...instants: Date[]): Date | null {
    return instants.find((i) => this.isLocked(i)) ?? null;
  }
}

export const LOCKED_PERIOD_MESSAGE = "This time is in a locked period (approved or closed by an admin)";

export interface WorkspaceLockSettings {
  timezone: string;
  weekStartsOn: number;
  timesheetPeriod: string;
  /** Local date (UTC midnight of it, as the database stores a date). */
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

/**
 * What locks one person's time in one workspace, as the sync pull sends it:
 * the workspace's rules and the person's approved periods (local dates, end
 * exclusive). The rolling grace lock moves with the clock, so the device
 * keeps the rules, not a computed instant.
 */
export interface LockState extends WorkspaceLockSettings {
  approved: { start: string; end: string }[];
}

export function lockCheckerOf(state: LockState, now: Date): LockChecker {
  return new LockChecker(
    workspaceLockInstant(state, now),
    state.approved.map((p) => ({
      startsAt: startOfLocalDate(p.start, state.timezone),
      endsAt: startOfLocalDate(p.end, state.timezone),
    })),
  );
}
