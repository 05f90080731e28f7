import { HttpProblem } from "../http/problem.js";

/** Why an archive was refused: a reader can act on the reason without parsing the message. */
export type ArchiveRefusal = "MALFORMED" | "WRONG_FORMAT" | "TOO_LARGE" | "QUOTA_EXCEEDED" | "UNSUPPORTED_TYPE";

/**
 * An archive the importer will not restore. Thrown before anything is
 * written, or while writing (then everything written is undone): either
 * way the server keeps nothing of it.
 */
export class ArchiveRejectedError extends HttpProblem {
  constructor(
    readonly reason: ArchiveRefusal,
    message: string,
    /** The archive file (and record) at fault, when there is one. */
    where?: string,
  ) {
    super(reason === "TOO_LARGE" || reason === "QUOTA_EXCEEDED" ? 413 : reason === "UNSUPPORTED_TYPE" ? 415 : 400, message, {
      reason,
      ...(where ? { where } : {}),
    });
    this.name = "ArchiveRejectedError";
  }
}

export const malformed = (message: string, where?: string) => new ArchiveRejectedError("MALFORMED", message, where);
