import type { Preferences } from "../settings/preferences.js";

/**
 * When to interrupt the person: plain functions of (settings, clock, system idle time, timer
 * state), so they are tested with a clock you set. Electron's main process only feeds them signals.
 */

export interface TimerFacts {
  /** Start of the running entry (epoch ms), or null when no timer runs. */
  runningSince: number | null;
  /** When the last entry ended (epoch ms), for "no timer for N minutes". */
  lastEndedAt: number | null;
}

export type IdleDecision = { kind: "none" } | { kind: "ask"; idleSince: number };

/**
 * Ask about idle time when a timer runs and the person has been away at least the threshold.
 * `idleSeconds` is the system's idle time now; `asleepSince` (machine suspended or screen locked)
 * counts as idle from that moment.
 */
export function decideIdle(prefs: Pick<Preferences, "idleThresholdMinutes">, now: number, idleSeconds: number, timer: TimerFacts, asleepSince: number | null = null): IdleDecision {
  if (prefs.idleThresholdMinutes <= 0 || timer.runningSince === null) return { kind: "none" };
  const fromInput = now - idleSeconds * 1000;
  const since = Math.max(Math.min(fromInput, asleepSince ?? fromInput), timer.runningSince);
  if (now - since < prefs.idleThresholdMinutes * 60_000) return { kind: "none" };
  return { kind: "ask", idleSince: since };
}

function minutesOfDay(d: Date): number {
  return d.getHours() * 60 + d.getMinutes();
}

function parseClock(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** True inside the person's working days and hours (local time). */
export function inWorkingHours(prefs: Pick<Preferences, "workDays" | "workStart" | "workEnd">, now: number): boolean {
  const d = new Date(now);
  if (!prefs.workDays.includes(d.getDay())) return false;
  const m = minutesOfDay(d);
  return m >= parseClock(prefs.workStart) && m < parseClock(prefs.workEnd);
}

/**
 * Remind when no timer has run for `remindAfterMinutes` during working hours; at most once per
 * quiet spell (`lastRemindedAt` after the spell began means "already told").
 */
export function shouldRemind(
  prefs: Pick<Preferences, "remindAfterMinutes" | "workDays" | "workStart" | "workEnd">,
  now: number,
  timer: TimerFacts,
  lastRemindedAt: number | null,
): boolean {
  if (prefs.remindAfterMinutes <= 0 || timer.runningSince !== null || !inWorkingHours(prefs, now)) return false;
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  const workStart = d.getTime() + parseClock(prefs.workStart) * 60_000;
  const quietSince = Math.max(timer.lastEndedAt ?? workStart, workStart);
  if (now - quietSince < prefs.remindAfterMinutes * 60_000) return false;
  return lastRemindedAt === null || lastRemindedAt < quietSince;
}

/** The moment to stop a forgotten timer ("stop at 18:00"), or null when it should keep running. */
export function stopAtDue(prefs: Pick<Preferences, "stopAt">, now: number, timer: TimerFacts): number | null {
  if (!prefs.stopAt || timer.runningSince === null) return null;
  const d = new Date(timer.runningSince);
  d.setHours(0, 0, 0, 0);
  let due = d.getTime() + parseClock(prefs.stopAt) * 60_000;
  // Started after the stop time: it stops at that time the next day.
  if (due <= timer.runningSince) due += 86_400_000;
  return now >= due ? due : null;
}
