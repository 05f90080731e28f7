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

/** Before the lock state is known (first pull, or while its checker loads): nothing locked, weeks from Monday. */
export const NO_LOCKS: PeriodLocks = { reasonAt: () => null, reasonFor: () => null, weekStartsOn: 1 };

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
