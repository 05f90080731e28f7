/** What can go wrong in a local operation, typed so the UI can say it plainly. */
export type LocalErrorCode =
  | "VALIDATION"
  | "OVERLAP"
  | "LOCKED_PERIOD"
  | "NOT_FOUND"
  | "TIMER_RUNNING"
  | "NO_TIMER"
  | "NOT_SIGNED_IN"
  | "NO_WORKSPACE"
  | "UNSYNCED_CHANGES"
  | "FILE"
  | "SERVER";

export class LocalError extends Error {
  constructor(
    readonly code: LocalErrorCode,
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message);
    this.name = "LocalError";
  }
}
