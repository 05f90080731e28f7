import { TRPCClientError } from "@trpc/client";
import { rejectReasons } from "@hoursync/contract";
import type { RejectReason } from "./transport.js";

/** Server reasons that are refusals of another name. */
const REASON_ALIASES: Record<string, RejectReason> = { OVERLAP: "CONFLICT", DUPLICATE: "CONFLICT", IN_USE: "CONFLICT", INVALID: "VALIDATION" };

/** Error codes that mean "never with this request" (anything else is worth a retry later). */
const FINAL_CODES: Record<string, RejectReason> = {
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  BAD_REQUEST: "VALIDATION",
  CONFLICT: "CONFLICT",
  PAYLOAD_TOO_LARGE: "TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_TYPE",
};

/**
 * The typed refusal in a server error about an attachment, or null when the
 * error is not a final answer (offline, rate limited, server trouble).
 */
export function attachmentRefusal(err: unknown): { reason: RejectReason; message: string } | null {
  if (!(err instanceof TRPCClientError)) return null;
  const data = err.data as { code?: string; reason?: string | null } | undefined;
  const reason = data?.reason;
  if (reason && (rejectReasons as readonly string[]).includes(reason)) return { reason: reason as RejectReason, message: err.message };
  if (reason && REASON_ALIASES[reason]) return { reason: REASON_ALIASES[reason], message: err.message };
  const code = data?.code && FINAL_CODES[data.code];
  if (code) return { reason: code, message: err.message };
  // A body refused by the HTTP layer before tRPC saw it answers in its own shape.
  const status = (err.meta as { response?: { status?: number } } | undefined)?.response?.status;
  if (status === 413) return { reason: "TOO_LARGE", message: "The file is larger than the server accepts" };
  return null;
}
