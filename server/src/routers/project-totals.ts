import type { TenantCache } from "../cache/tenant-cache.js";
import { dropTimeFigures, PROJECT_TOTALS_CACHE } from "../cache/time-figures.js";
import type { TenantDb } from "../db/tenant.js";

export interface ProjectTotal {
  projectId: string;
  seconds: number;
  entries: number;
}

/** Per-project totals of finished entries; cached per tenant, dropped by every entry or project write. */
export async function projectTotals(ctx: {
  db: TenantDb;
  tenantId: string;
  services: { cache: TenantCache };
}): Promise<ProjectTotal[]> {
  const cached = ctx.services.cache.get<ProjectTotal[]>(ctx.tenantId, PROJECT_TOTALS_CACHE);
  if (cached) return cached;
  const rows = await ctx.db.$queryRaw<ProjectTotal[]>`
    SELECT project_id::text AS "projectId",
           SUM(EXTRACT(EPOCH FROM (end_at - start_at)))::float8 AS seconds,
           COUNT(*)::int AS entries
    FROM time_entries
    WHERE tenant_id = ${ctx.tenantId}::uuid AND project_id IS NOT NULL AND end_at IS NOT NULL
    GROUP BY project_id
    ORDER BY project_id`;
  ctx.services.cache.set(ctx.tenantId, [PROJECT_TOTALS_CACHE], rows);
  return rows;
}

/**
 * Everything computed from time entries (project totals, reports): dropped now and again after
 * commit; the request answers once the drop reached every process sharing the cache.
 */
export function invalidateTimeFigures(ctx: {
  tenantId: string;
  services: { cache: TenantCache };
  afterCommit: (fn: () => void) => void;
}): void {
  const drop = () => dropTimeFigures(ctx.services.cache, ctx.tenantId);
  void drop();
  ctx.afterCommit(drop);
}
