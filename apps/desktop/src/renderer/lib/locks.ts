import { lockCheckerOf, type LockState } from "@hoursync/contract";
import { addDays } from "./dates";
import { NO_LOCKS, type LockReason, type PeriodLocks } from "./lock-words";

/**
 * The lock state the core pulled (`catalog.locks`), judged by the contract's own rule
 * (`lockCheckerOf`): what the server would refuse, the screen shows as locked before anyone types.
 * Loaded on its own (lib/data.ts `useLocks`): the contract brings its date library and schemas,
 * which the first paint does not need.
 */
export function periodLocks(state: LockState | null | undefined, now: number): PeriodLocks {
  if (!state) return NO_LOCKS;
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
