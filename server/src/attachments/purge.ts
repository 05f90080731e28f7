import { withTenant } from "../db/tenant.js";
import type { Services } from "../trpc/context.js";

const BATCH = 500;

/**
 * Removes the files whose rows are gone (queued by a trigger whenever an
 * attachment row is deleted, also through an entry deleted by a sync push).
 * Runs after the deleting transaction commits, so a rolled-back delete never
 * loses a file; a crash in between leaves the queue for the next call.
 */
export async function purgeRemovedFiles(services: Services, tenantId: string): Promise<number> {
  let removed = 0;
  try {
    for (;;) {
      const queued = await withTenant(services.db.prisma, tenantId, (db) =>
        db.storageDeletion.findMany({ where: { tenantId }, select: { storageKey: true }, take: BATCH }),
      );
      if (queued.length === 0) return removed;
      for (const { storageKey } of queued) await services.attachments.storage.remove(tenantId, storageKey);
      await withTenant(services.db.prisma, tenantId, (db) =>
        db.storageDeletion.deleteMany({ where: { tenantId, storageKey: { in: queued.map((q) => q.storageKey) } } }),
      );
      removed += queued.length;
      if (queued.length < BATCH) return removed;
    }
  } catch (err) {
    services.log("error", "removing deleted attachment files failed", { tenantId, error: String(err) });
    return removed;
  }
}
