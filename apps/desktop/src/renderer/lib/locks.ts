import { lockCheckerOf, type LockState } from "@hoursync/contract";
import { addDays } from "./dates";

/** Why time is locked: an approved timesheet, or closed by the workspace (lock date, grace period). */
export type LockReason = "approved" | "closed";

/** The person's locked time as the Track screen asks about it. */
export interface PeriodLocks {
  /** Why the instant is locked, or null when it is open. */
  reasonAt(t: number): LockReason | null;
  /** Why the whole of [from, to) is locked (each day's first and last instant), or null when any of it is open. */
  reasonFor(from: number, to: number): LockReason | null;
  /** The workspace's first day of the week (0 = Sunday); Monday until the first pull says. */
  weekStartsOn: number;
}

/**
 * The lock state the core pulled (`catalog.locks`), judged by the contract's own rule
 * (`lockCheckerOf`): what the server would refuse, the screen shows as locked before anyone types.
 */
export function periodLocks(state: LockState | null | undefined, now: number): PeriodLocks {
  if (!state) return { reasonAt: () => null, reasonFor: () => null, weekStartsOn: 1 };
  const at = new Date(now);
  const any = lockCheckerOf(state, at);
  const approved = lockCheckerOf({ ...state, lockBefore: null, lockGraceDays: null }, at);
  const reasonAt = (t: number): LockReason | null => (approved.isLocked(new Date(t)) ? "approved" : any.isLocked(new Date(t)) ? "closed" : null);
  return {
    reasonAt,
    reasonFor(from, to) {
      let reason: LockReason | null = null;
      for (let day = from; day < to; day = addDays(day, 1)) {
        for (const t of [day, Math.min(addDays(day, 1), to) - 1]) {
          const r = reasonAt(t);
          if (!r) return null;
          // One approved instant in a span otherwise closed still needs an admin: "approved" wins the wording.
          if (reason !== "approved") reason = r;
        }
      }
      return reason;
    },
    weekStartsOn: state.weekStartsOn,
  };
}

/** Why a span cannot be edited, and what to do, in words. */
export function lockMessage(reason: LockReason, span: "week" | "day" | "entry"): string {
  if (span === "entry") {
    return reason === "approved"
      ? "This entry is in an approved, locked period. Ask an admin to reopen it."
      : "This entry is in a period an admin has closed. Ask an admin to reopen it.";
  }
  return reason === "approved"
    ? `This ${span} is approved and locked. Ask an admin to reopen it.`
    : `This ${span} is closed by an admin (the workspace locks older time). Ask an admin to reopen it.`;
}
