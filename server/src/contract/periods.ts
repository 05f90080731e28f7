import { DateTime } from "luxon";

export type PeriodKind = "WEEK" | "MONTH";

/** How a workspace cuts time into timesheet periods. */
export interface PeriodRules {
  kind: PeriodKind;
  /** 0 = Sunday … 6 = Saturday. */
  weekStartsOn: number;
  timezone: string;
}

/** A period as local dates (end exclusive) and as the instants they span in the workspace's zone. */
export interface Period {
  start: string;
  end: string;
  startsAt: Date;
  endsAt: Date;
}

function fromLocalStart(day: DateTime, rules: PeriodRules): Period {
  const next = rules.kind === "WEEK" ? day.plus({ weeks: 1 }) : day.plus({ months: 1 });
  return { start: day.toISODate()!, end: next.toISODate()!, startsAt: day.toJSDate(), endsAt: next.toJSDate() };
}

/** The period that contains `instant`. */
export function periodOf(instant: Date, rules: PeriodRules): Period {
  const local = DateTime.fromJSDate(instant, { zone: rules.timezone }).startOf("day");
  if (rules.kind === "MONTH") return fromLocalStart(local.startOf("month"), rules);
  // Luxon numbers weekdays 1 (Monday) … 7 (Sunday).
  const first = rules.weekStartsOn === 0 ? 7 : rules.weekStartsOn;
  return fromLocalStart(local.minus({ days: (local.weekday - first + 7) % 7 }), rules);
}

/** The period starting on local date `start` (YYYY-MM-DD), or null when no period starts that day. */
export function periodStarting(start: string, rules: PeriodRules): Period | null {
  const day = DateTime.fromISO(start, { zone: rules.timezone });
  if (!day.isValid) return null;
  const period = periodOf(day.toJSDate(), rules);
  return period.start === start ? period : null;
}

/** The local date of an instant in the workspace's zone. */
export function localDate(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: timezone }).toISODate()!;
}

/** Midnight starting local date `date` in `timezone`. */
export function startOfLocalDate(date: string, timezone: string): Date {
  return DateTime.fromISO(date, { zone: timezone }).startOf("day").toJSDate();
}
