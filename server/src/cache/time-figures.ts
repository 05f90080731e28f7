import type { TenantCache } from "./tenant-cache.js";

/** Cache names of what is computed from a tenant's time entries. */
export const PROJECT_TOTALS_CACHE = "project-totals";
export const REPORTS_CACHE = "reports";

/** Drops everything computed from a tenant's time entries (project totals, reports), in every process sharing the cache. */
export async function dropTimeFigures(cache: TenantCache, tenantId: string): Promise<void> {
  await Promise.all([cache.invalidate(tenantId, PROJECT_TOTALS_CACHE), cache.invalidate(tenantId, REPORTS_CACHE)]);
}
