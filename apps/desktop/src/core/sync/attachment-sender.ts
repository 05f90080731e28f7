import { existsSync } from "node:fs";
import type { AttachmentFiles } from "../attachments/attachment-files.js";
import type { AttachmentStore } from "../store/attachments.js";
import type { LocalDb } from "../store/local-db.js";
import type { Outbox, OutboxItem } from "../store/outbox.js";
import type { AttachmentDeleteResult, AttachmentUploadResult, SyncTransport } from "./transport.js";

interface Stores {
  outbox: Outbox;
  attachments: AttachmentStore;
  files: AttachmentFiles;
}

/**
 * Sends one queued attachment upload or deletion and records the answer like
 * a pushed mutation's: applied (the item goes) or rejected (it stays, with
 * its reason, for the user). A network failure throws and leaves it queued.
 */
export async function sendAttachmentChange(
  db: LocalDb,
  stores: Stores,
  transport: SyncTransport,
  workspaceId: string,
  m: OutboxItem,
  signal?: AbortSignal,
): Promise<"applied" | "rejected"> {
  const { outbox, attachments, files } = stores;
  const upload = m.name === "attachment.upload" ? await uploadOf(stores, transport, workspaceId, m.entityId, signal) : null;
  const result: AttachmentUploadResult | AttachmentDeleteResult =
    upload ?? (await transport.deleteAttachment(workspaceId, m.entityId, signal));
  const leftover = db.transaction(() => {
    if (result.status === "rejected") {
      outbox.markRejected(m.mutationId, result.reason, result.message);
      return null;
    }
    outbox.markApplied(m.mutationId);
    // A later change that went through supersedes earlier refusals of the same attachment.
    outbox.dropRejectedBefore(workspaceId, m.entityId, m.mutationId);
    if (upload?.status === "applied") {
      attachments.putFromServer(workspaceId, upload.attachment);
      return null;
    }
    return attachments.remove(workspaceId, m.entityId);
  })();
  if (leftover) files.remove(leftover);
  return result.status;
}

async function uploadOf(
  stores: Stores,
  transport: SyncTransport,
  workspaceId: string,
  id: string,
  signal?: AbortSignal,
): Promise<AttachmentUploadResult> {
  const a = stores.attachments.get(workspaceId, id);
  const file = a?.localPath ? stores.files.absolute(a.localPath) : null;
  if (!a || !file || !existsSync(file)) {
    return { status: "rejected", reason: "NOT_FOUND", message: "The file is no longer on this device" };
  }
  return transport.uploadAttachment(workspaceId, { id, entryId: a.entryId, name: a.name, file }, signal);
}
