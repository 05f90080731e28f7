import { detectContentType } from "../attachments/content-type.js";
import type { AttachmentFiles } from "../storage/attachment-files.js";
import { StorageLimitError, type StoredFile } from "../storage/file-storage.js";
import { ArchiveRejectedError, malformed } from "./archive-errors.js";
import type { SectionRows } from "./archive-records.js";
import type { ArchiveZip } from "./archive-zip.js";

export interface RestoredFile {
  /** The attachment's id in the archive. */
  archivedId: string;
  stored: StoredFile;
  contentType: string;
}

/**
 * Streams each attachment's bytes (`files/<archived id>`) from the zip into
 * the new workspace's storage, under a key the storage makes, held to the
 * per-file limit and the workspace quota as an upload is. The bytes must
 * hash to the archived sha256, and their type (read from the content, not
 * the archive's word) must be one this server accepts. An attachment whose
 * file the exporter could not include is left out and counted. The caller
 * removes the tenant's files if anything later fails.
 */
export async function restoreFiles(
  zip: ArchiveZip,
  files: AttachmentFiles,
  tenantId: string,
  attachments: SectionRows["attachments"],
): Promise<{ restored: RestoredFile[]; missing: number }> {
  const restored: RestoredFile[] = [];
  let used = 0;
  let missing = 0;
  for (const a of attachments) {
    const name = `files/${a.id}`;
    const source = await zip.open(name);
    if (!source) {
      missing++;
      continue;
    }
    const room = files.quotaBytes - used;
    if (room <= 0) throw new ArchiveRejectedError("QUOTA_EXCEEDED", "The archive's files do not fit in a workspace's storage quota", name);
    const limit = Math.min(files.maxBytes, room);
    let stored: StoredFile;
    try {
      stored = await files.storage.put(tenantId, source, limit);
    } catch (err) {
      if (!(err instanceof StorageLimitError)) throw err;
      throw limit === files.maxBytes
        ? new ArchiveRejectedError("TOO_LARGE", `A file is larger than ${files.maxBytes} bytes`, name)
        : new ArchiveRejectedError("QUOTA_EXCEEDED", "The archive's files do not fit in a workspace's storage quota", name);
    }
    used += stored.sizeBytes;
    if (stored.sha256 !== a.sha256 || stored.sizeBytes !== a.size_bytes) throw malformed("A file's bytes do not match its attachment row", name);
    const contentType = await detectContentType(files.storage, tenantId, stored.key);
    if (!contentType || !files.allowedTypes.has(contentType)) {
      throw new ArchiveRejectedError("UNSUPPORTED_TYPE", `A file is of a type this server does not accept (${contentType ?? "unknown"})`, name);
    }
    restored.push({ archivedId: a.id, stored, contentType });
  }
  return { restored, missing };
}
