import type { Services } from "../trpc/context.js";

/**
 * After the deleting transaction committed: everything of the workspace
 * that is not a row. Its cached figures, its rate-limit counters (memory
 * and Redis) and its folder of attachment files. Sessions need nothing:
 * they hold no workspace, and access to one is the membership, now gone.
 * Each step runs even when an earlier one failed; failures are logged (the
 * rows are already gone, the request cannot be undone).
 */
export async function forgetWorkspace(services: Services, tenantId: string): Promise<void> {
  const steps: [string, () => unknown][] = [
    ["cache", () => services.cache.invalidate(tenantId)],
    ["rate limits", () => services.limits.forgetTenant(tenantId)],
    ["files", () => services.attachments.storage.removeTenant(tenantId)],
  ];
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (err) {
      services.log("error", `forgetting a deleted workspace's ${what} failed`, { tenantId, error: String(err) });
    }
  }
}
