import { periodOf, periodStarting, startOfLocalDate, type Period, type PeriodRules } from "@hoursync/contract";

export type { Period };

/** The device's own zone: the rules until the first sync brings the workspace's. */
export const deviceTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The workspace's period rules from its lock state (a week from Monday in the device's zone until the first sync). */
export function rulesOf(state: { timesheetPeriod: string; weekStartsOn: number; timezone: string } | undefined): PeriodRules {
  return {
    kind: state?.timesheetPeriod === "MONTH" ? "MONTH" : "WEEK",
    weekStartsOn: state?.weekStartsOn ?? 1,
    timezone: state?.timezone ?? deviceTimeZone(),
  };
}

/** The period containing `t`, cut in the workspace's zone as the server cuts it. */
export function periodAt(t: number, rules: PeriodRules): Period {
  return periodOf(new Date(t), rules);
}

/**
 * A period picked under earlier rules, cut again under `rules` (a sync brought the workspace's zone
 * or week start): the period starting on the same date when there is one, else the one holding it.
 */
export function recut(picked: Period, rules: PeriodRules): Period {
  return periodStarting(picked.start, rules) ?? periodOf(new Date(`${picked.start}T12:00:00Z`), rules);
}

/** The period after (or, with -1, before) `period`. */
export function shiftPeriod(period: Period, rules: PeriodRules, by: 1 | -1): Period {
  return periodOf(by === 1 ? period.endsAt : new Date(period.startsAt.getTime() - 1), rules);
}

/** The period's local dates ("YYYY-MM-DD"), first to last: calendar arithmetic, the same in every zone. */
export function periodDates(period: Pick<Period, "start" | "end">): string[] {
  const dates: string[] = [];
  const end = Date.parse(`${period.end}T00:00:00Z`);
  for (let d = Date.parse(`${period.start}T00:00:00Z`); d < end; d += 86_400_000) dates.push(new Date(d).toISOString().slice(0, 10));
  return dates;
}

/** True when the workspace's lock date closes the whole period (its last day is before it). */
export function closedByLockDate(period: Period, lockBefore: Date | null, timezone: string): boolean {
  if (!lockBefore) return false;
  return period.endsAt <= startOfLocalDate(lockBefore.toISOString().slice(0, 10), timezone);
}

/** A local date read as the calendar day it names (UTC midnight), for formatting with `timeZone: "UTC"`. */
export const calendarDay = (date: string) => Date.parse(`${date}T00:00:00Z`);

const monthLabel = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric", timeZone: "UTC" });
const weekLabel = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** "December 2026", or "30 Nov – 6 Dec 2026": the period's own dates, whatever the device's zone. */
export function periodLabel(period: Period, rules: PeriodRules): string {
  const first = calendarDay(period.start);
  return rules.kind === "MONTH" ? monthLabel.format(first) : weekLabel.formatRange(first, calendarDay(period.end) - 86_400_000);
}
