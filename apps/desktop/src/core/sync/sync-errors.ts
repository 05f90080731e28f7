import { OfflineError, RequestRefusedError } from "./transport.js";

/** Why a sync failed, in the words the status shows (never "fetch failed"). */
export function describeSyncError(err: unknown): string {
  if (err instanceof OfflineError) {
    return err.message.startsWith("The server did not answer") || err.message.startsWith("The sync was interrupted")
      ? err.message
      : "The server cannot be reached";
  }
  if (err instanceof RequestRefusedError) {
    if (err.status === 401) return "Your session has ended: sign in again";
    if (err.status === 429) return "The server asked to slow down (too many requests)";
    if (err.isServerBusy) return "The server is busy: sync will try again shortly";
    if (err.status === 404 && err.reason !== "UNKNOWN_DEVICE") return "You are no longer a member of this workspace";
    if (err.status >= 500) return `The server had a problem (HTTP ${err.status})`;
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
