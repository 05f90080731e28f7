import type { PrismaClient } from "../db/generated/client.js";
import { withTenant, type TenantDb } from "../db/tenant.js";

export interface TenantRunReport {
  tenants: number;
  succeeded: string[];
  failed: { tenantId: string; attempts: number; error: string }[];
}

/** The ids of every workspace (ids only), for jobs that visit each tenant in turn. */
export async function allTenantIds(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`SELECT t::text AS id FROM app_tenant_ids() AS t`;
  return rows.map((r) => r.id);
}

/**
 * Runs `work` for every tenant, each in its own tenant transaction, retrying
 * a failing tenant a few times with a growing pause. One tenant failing never
 * stops the others.
 */
export async function forEachTenant(
  prisma: PrismaClient,
  work: (db: TenantDb, tenantId: string) => Promise<void>,
  opts: { attempts?: number; pauseMs?: number } = {},
): Promise<TenantRunReport> {
  const attempts = opts.attempts ?? 3;
  const tenants = await allTenantIds(prisma);
  const report: TenantRunReport = { tenants: tenants.length, succeeded: [], failed: [] };
  for (const tenantId of tenants) {
    for (let attempt = 1; ; attempt++) {
      try {
        await withTenant(prisma, tenantId, (db) => work(db, tenantId), { timeout: 60_000 });
        report.succeeded.push(tenantId);
        break;
      } catch (err) {
        if (attempt >= attempts) {
          report.failed.push({ tenantId, attempts: attempt, error: err instanceof Error ? err.message : String(err) });
          break;
        }
        await new Promise((r) => setTimeout(r, (opts.pauseMs ?? 200) * attempt));
      }
    }
  }
  return report;
}
