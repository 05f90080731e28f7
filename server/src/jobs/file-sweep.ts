import { purgeRemovedFiles } from "../attachments/purge.js";
import type { Services } from "../trpc/context.js";
import { allTenantIds } from "./tenant-runner.js";

/**
 * Removes the files of every workspace whose rows are gone but whose files
 * are still queued for removal: what a crash between a delete's commit and
 * its file removal leaves behind. Runs at start-up and hourly.
 */
export async function sweepRemovedFiles(services: Services): Promise<number> {
  let removed = 0;
  for (const tenantId of await allTenantIds(services.db.prisma)) removed += await purgeRemovedFiles(services, tenantId);
  return removed;
}
