import { TRPCClientError } from "@trpc/client";

const REASONS: Record<string, string> = {
  OVERLAP: "This overlaps another of your entries. Change its start or end.",
  LOCKED_PERIOD: "This period is approved and locked. Ask an admin to reopen it.",
  TIMER_RUNNING: "A timer is already running. Stop it first.",
  NO_TIMER: "No timer is running.",
  NOT_SIGNED_IN: "You are signed out. Sign in again.",
  NO_WORKSPACE: "Choose a workspace first.",
};

/** The reason code of a local API error (OVERLAP, VALIDATION...), if any. */
export function reasonOf(err: unknown): string | null {
  if (err instanceof TRPCClientError) return ((err.data as { reason?: string | null } | undefined)?.reason ?? null) || null;
  return null;
}

/** What went wrong, in words a person can act on (never a code or a stack). */
export function errorText(err: unknown): string {
  const reason = reasonOf(err);
  if (reason && REASONS[reason]) return REASONS[reason];
  if (reason === "SERVER" && err instanceof Error && /fetch failed|ECONNREFUSED|cannot be reached|network/i.test(err.message)) {
    return "The server cannot be reached. Your changes are kept on this device and sync when it is back.";
  }
  // No answer at all (no data): the link to the app's own core failed, not the server.
  if (err instanceof TRPCClientError && !err.data) return "The app's local service is not answering. Restart the app.";
  if (err instanceof TRPCClientError) {
    const fields = (err.data as { fieldErrors?: Record<string, string[]> | null } | undefined)?.fieldErrors;
    const first = fields && Object.values(fields).flat()[0];
    if (first) return first;
    return err.message;
  }
  return err instanceof Error ? err.message : "Something went wrong";
}

/** The reason of a change the server refused, in words (the status panel and the entry list). */
export function refusalText(reason: string, message: string): string {
  switch (reason) {
    case "LOCKED_PERIOD":
      return "The period is approved and locked. Ask an admin to reopen it, or discard this change.";
    case "OVERLAP":
      return "It overlaps another of your entries on the server. Fix the times, or discard this change.";
    case "CONFLICT":
      return "Someone changed this entry on another device. Discard to take the server's version.";
    case "FORBIDDEN":
      return "You are not allowed to change this entry.";
    case "NOT_FOUND":
      return "The entry (or its project) no longer exists on the server.";
    case "TOO_LARGE":
      return "The file is too large for the server.";
    case "QUOTA_EXCEEDED":
      return "The workspace's storage is full.";
    case "UNSUPPORTED_TYPE":
      return "The server does not accept this type of file.";
    default:
      return message || reason;
  }
}
