import { z } from "zod";
import { id } from "./common.js";

/**
 * Files on time entries. The upload is a tRPC mutation whose body is the
 * file itself (application/octet-stream); what the file is goes in this
 * header, as URI-encoded JSON of `AttachmentUploadMeta`.
 */
export const ATTACHMENT_HEADER = "x-hoursync-attachment";

/** A name as the user's system gave it; shown and offered on download, never used as a path. */
export const attachmentName = z
  .string()
  .trim()
  .min(1, "Required")
  .max(255)
  // eslint-disable-next-line no-control-regex
  .refine((n) => !/[\u0000-\u001f\u007f]/.test(n), "No control characters");

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
