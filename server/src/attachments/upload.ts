import type { Readable } from "node:stream";
import { recordAudit } from "../audit/record.js";
import type { AttachmentUploadMeta, AttachmentView } from "../contract/attachments.js";
import type { TenantDb } from "../db/tenant.js";
import { DomainError } from "../domain/errors.js";
import { openEditableEntry } from "../domain/time-entries.js";
import { StorageLimitError } from "../storage/file-storage.js";
import type { AttachmentFiles } from "../storage/attachment-files.js";
import type { Member } from "../trpc/access-now.js";
import { ReasonedError } from "../trpc/init.js";
import { detectContentType } from "./content-type.js";
import { VIEW_FIELDS, viewOf } from "./view.js";

/** Opens a short tenant transaction with the caller's membership and role as they are at that moment. */
type InTenant = <T>(work: (db: TenantDb, member: Member) => Promise<T>) => Promise<T>;

async function usedBytes(db: TenantDb, tenantId: string): Promise<number> {
  const sum = await db.attachment.aggregate({ where: { tenantId }, _sum: { sizeBytes: true } });
  return Number(sum._sum.sizeBytes ?? 0n);
}

const tooLarge = (limit: number) => new ReasonedError("PAYLOAD_TOO_LARGE", "TOO_LARGE", `Files may be at most ${limit} bytes`);
const quotaExceeded = () =>
  new ReasonedError("PAYLOAD_TOO_LARGE", "QUOTA_EXCEEDED", "The workspace's storage is full: delete attachments or ask for more space");

/**
 * Stores an upload in three steps, none of which holds a transaction while
 * the client sends: check the entry and the space left; stream the file to
 * storage, counting and hashing, stopped at the file limit or the space
 * left; then detect its type from its content and record it, re-checking
 * the entry and the quota under a per-workspace lock. Each step checks the
 * caller's access as it is then: someone removed or demoted while their file
 * streams is refused at the last step, and nothing is recorded. Any refusal
 * removes what was written. An id already recorded on the same entry answers that
 * attachment: a retried upload stores nothing twice.
 */
export async function storeUpload(
  files: AttachmentFiles,
  inTenant: InTenant,
  tenantId: string,
  meta: AttachmentUploadMeta,
  body: Readable,
): Promise<AttachmentView> {
  const { existing, room } = await inTenant(async (db, actor) => {
    const found = await db.attachment.findFirst({ where: { tenantId, id: meta.id }, select: VIEW_FIELDS });
    if (found && found.entryId !== meta.entryId) throw new DomainError("CONFLICT", "That attachment id is already used");
    await openEditableEntry(db, tenantId, actor, meta.entryId);
    return { existing: found, room: files.quotaBytes - (await usedBytes(db, tenantId)) };
  });
  if (existing) {
    body.destroy();
    return viewOf(existing);
  }
  if (room <= 0) {
    body.destroy();
    throw quotaExceeded();
  }

  const limit = Math.min(files.maxBytes, room);
  let stored;
  try {
    stored = await files.storage.put(tenantId, body, limit);
  } catch (err) {
    if (err instanceof StorageLimitError) throw limit === files.maxBytes ? tooLarge(files.maxBytes) : quotaExceeded();
    throw err;
  }

  let recorded = false;
  try {
    const contentType = await detectContentType(files.storage, tenantId, stored.key);
    if (!contentType || !files.allowedTypes.has(contentType)) {
      throw new ReasonedError(
        "UNSUPPORTED_MEDIA_TYPE",
        "UNSUPPORTED_TYPE",
        contentType ? `Files of type ${contentType} cannot be attached` : "The file's content is not a type that can be attached",
      );
    }
    const row = await inTenant(async (db, actor) => {
      // One upload at a time per workspace passes this point: the quota check and the insert are one step.
      await db.$queryRaw`SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended('attachments:' || ${tenantId}, 0))) AS locked`;
      const entry = await openEditableEntry(db, tenantId, actor, meta.entryId);
      if ((await usedBytes(db, tenantId)) + stored.sizeBytes > files.quotaBytes) throw quotaExceeded();
      const created = await db.attachment.create({
        data: {
          tenantId,
          id: meta.id,
          entryId: meta.entryId,
          userId: entry.userId,
          uploadedBy: actor.userId,
          originalName: meta.name,
          sizeBytes: BigInt(stored.sizeBytes),
          contentType,
          sha256: stored.sha256,
          storageKey: stored.key,
        },
        select: VIEW_FIELDS,
      });
      await recordAudit(db, tenantId, {
        actorUserId: actor.userId,
        action: "attachment.added",
        targetType: "attachment",
        targetId: meta.id,
        details: { entryId: meta.entryId, name: meta.name, sizeBytes: stored.sizeBytes, contentType },
      });
      return created;
    });
    recorded = true;
    return viewOf(row);
  } finally {
    if (!recorded) await files.storage.remove(tenantId, stored.key);
  }
}
