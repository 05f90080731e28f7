import { formatAgo } from "../../lib/dates";

/** The parts of the core's sync status the summary needs. */
export interface SyncFacts {
  pending: number;
  rejected: { length: number };
  lastSyncedAt: number | null;
  lastError: string | null;
  running: boolean;
  consecutiveFailures: number;
  nextAttemptAt: number | null;
}

export type SyncTone = "ok" | "busy" | "offline" | "refused";

export interface SyncSummary {
  tone: SyncTone;
  /** One or two words for the frame: "Synced", "Offline", "3 waiting", "1 refused". */
  label: string;
  /** The sentence behind it: last sync, the error in words, the next try. */
  detail: string;
  online: boolean;
}

/**
 * One status out of the core's facts. Refused changes come first (only the person can fix
 * them), then an outage, then work in progress, then "synced".
 */
export function summarizeSync(s: SyncFacts, now = Date.now()): SyncSummary {
  const failing = s.consecutiveFailures > 0 && s.lastError !== null;
  const online = !failing;
  const last = s.lastSyncedAt ? `Last synced ${formatAgo(s.lastSyncedAt, now)}.` : "Not synced yet.";
  const retry = s.nextAttemptAt && s.nextAttemptAt > now ? ` Retrying in ${retryIn(s.nextAttemptAt - now)}.` : "";
  const waiting = s.pending > 0 ? `${s.pending} ${s.pending === 1 ? "change" : "changes"} waiting. ` : "";
  if (s.rejected.length > 0) {
    return {
      tone: "refused",
      label: `${s.rejected.length} refused`,
      detail: `${s.rejected.length} ${s.rejected.length === 1 ? "change was" : "changes were"} refused by the server. ${waiting}${last}`,
      online,
    };
  }
  if (failing) {
    return {
      tone: "offline",
      label: s.pending > 0 ? `Offline · ${s.pending} waiting` : "Offline",
      detail: `${s.lastError}.${retry} ${waiting}${last}`.replace("..", "."),
      online,
    };
  }
  if (s.running) return { tone: "busy", label: "Syncing…", detail: `${waiting}${last}`, online };
  if (s.pending > 0) return { tone: "busy", label: `${s.pending} waiting`, detail: `${waiting}${last}`, online };
  return { tone: "ok", label: "Synced", detail: last, online };
}

function retryIn(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.ceil(s / 60)} min`;
}
