import type { AttachmentView } from "../contract/attachments.js";

interface AttachmentRow {
  id: string;
  entryId: string;
  userId: string;
  originalName: string;
  sizeBytes: bigint;
  contentType: string;
  sha256: string;
  createdAt: Date;
}

/** What clients see of a row: never the storage key. */
export function viewOf(row: AttachmentRow): AttachmentView {
  return {
    id: row.id,
    entryId: row.entryId,
    userId: row.userId,
    name: row.originalName,
    sizeBytes: Number(row.sizeBytes),
    contentType: row.contentType,
    sha256: row.sha256,
    createdAt: row.createdAt,
  };
}

export const VIEW_FIELDS = {
  id: true,
  entryId: true,
  userId: true,
  originalName: true,
  sizeBytes: true,
  contentType: true,
  sha256: true,
  createdAt: true,
} as const;
