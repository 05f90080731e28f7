import { z } from "zod";
import { id, isStorableText } from "./common.js";

/**
 * Files on time entries. The upload is a tRPC mutation whose body is the
 * file itself (application/octet-stream); what the file is goes in this
 * header, as URI-encoded JSON of `AttachmentUploadMeta`.
 */
export const ATTACHMENT_HEADER = "x-hoursync-attachment";

/**
 * Bidirectional formatting characters (embeddings, overrides, isolates and
 * marks). In a file name they only serve to disguise it: "invoice\u202Efdp.exe"
 * shows as "invoiceexe.pdf".
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `name` without bidirectional formatting characters. */
export function withoutBidiControls(name: string): string {
  return name.replace(BIDI_CONTROLS, "");
}

/**
 * A name as the user's system gave it; shown and offered on download, never
 * used as a path. Bidi controls are dropped (not refused: an offline device
 * must not be left with a file it can never send).
 */
export const attachmentName = z
  .string()
  .transform(withoutBidiControls)
  .pipe(
    z
      .string()
      .trim()
      .min(1, "Required")
      .max(255)
      .refine(isStorableText, "Text must not contain NUL or broken (unpaired surrogate) characters")
      // eslint-disable-next-line no-control-regex
      .refine((n) => !/[\u0000-\u001f\u007f]/.test(n), "No control characters"),
  );

export const attachmentUploadMeta = z.object({
  /** Minted by the client, so a retried upload is recognised instead of stored twice. */
  id,
  entryId: id,
  name: attachmentName,
});
export type AttachmentUploadMeta = z.infer<typeof attachmentUploadMeta>;

export function encodeAttachmentHeader(meta: AttachmentUploadMeta): string {
  return encodeURIComponent(JSON.stringify(meta));
}

/** What the server says about a stored file (in `attachments.*` answers and in the sync pull). */
export interface AttachmentView {
  id: string;
  entryId: string;
  /** The owner of the entry. */
  userId: string;
  name: string;
  sizeBytes: number;
  /** Detected from the content, not taken from the client. */
  contentType: string;
  sha256: string;
  createdAt: Date;
}

/** Reasons (error `data.reason`) an upload is refused for, beyond the usual ones. */
export const attachmentRefusals = ["TOO_LARGE", "UNSUPPORTED_TYPE", "QUOTA_EXCEEDED"] as const;
export type AttachmentRefusal = (typeof attachmentRefusals)[number];

/** The download: GET with the API's Authorization and workspace headers. */
export const attachmentContentPath = (attachmentId: string) => `/attachments/${attachmentId}/content`;
