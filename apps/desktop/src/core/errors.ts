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
  | "SERVER"
  /** An online view's call while the server cannot be reached (nothing was queued). */
  | "OFFLINE"
  /** The server answered an online view's call with a refusal (see ServerRefusal). */
  | "REFUSED";

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

/** TRPC error codes a server refusal can carry through to the window. */
export type RefusalStatus = "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "PRECONDITION_FAILED" | "TOO_MANY_REQUESTS";

/** The server's own refusal of an online call, kept as the server said it (code, reason such as LAST_OWNER, words). */
export class ServerRefusal extends LocalError {
  constructor(
    readonly status: RefusalStatus,
    readonly serverReason: string | null,
    message: string,
    fieldErrors: Record<string, string[]> = {},
  ) {
    super("REFUSED", message, fieldErrors);
    this.name = "ServerRefusal";
  }
}
