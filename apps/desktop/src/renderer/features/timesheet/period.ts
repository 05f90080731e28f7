import { addDays, dayKey, fromDayKey, startOfWeek } from "../../lib/dates";

export interface PeriodRules {
  timesheetPeriod: string;
  weekStartsOn: number;
}

/** The local start of the period containing `t`: a week from the workspace's week start, or a month. */
export function periodStartOf(t: number, rules: PeriodRules): number {
  if (rules.timesheetPeriod === "MONTH") {
    const d = new Date(t);
    return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
  }
  return startOfWeek(t, rules.weekStartsOn);
}

/** The start of the period after (or, with -1, before) the one starting at `start`. */
export function shiftPeriod(start: number, rules: PeriodRules, by: 1 | -1): number {
  if (rules.timesheetPeriod === "MONTH") {
    const d = new Date(start);
    return new Date(d.getFullYear(), d.getMonth() + by, 1).getTime();
  }
  return addDays(start, 7 * by);
}

/** True when the workspace's lock date closes the whole period (its last day is before it). */
export function closedByLockDate(periodEnd: number, lockBefore: Date | null): boolean {
  if (!lockBefore) return false;
  return periodEnd <= fromDayKey(lockBefore.toISOString().slice(0, 10));
}

export const isoDay = dayKey;
