import { randomUUID } from "node:crypto";
import type { TenantDb } from "../db/tenant.js";

/**
 * Inside the deleting tenant transaction: removes the workspace's rows and
 * leaves the one record outside the tenant. Every tenant table cascades
 * from `workspaces`; what is not a tenant table is done here by hand: a
 * pending sign-up that would join through one of its invitations, and the
 * weekly job's reports that name it among the workspaces that failed.
 * All or nothing: it runs in the caller's transaction.
 */
export async function eraseWorkspaceRows(db: TenantDb, tenantId: string, deletedByUserId: string): Promise<void> {
  await db.workspace.delete({ where: { id: tenantId } });
  await db.$executeRaw`DELETE FROM sign_up_requests WHERE invitation_tenant_id = ${tenantId}::uuid`;
  await db.$executeRaw`
    UPDATE job_runs SET report = jsonb_set(report, '{failed}', (report->'failed') - ${tenantId}::text)
    WHERE jsonb_typeof(report->'failed') = 'array' AND report->'failed' ? ${tenantId}::text`;
  await db.$executeRaw`
    INSERT INTO workspace_deletions (id, workspace_id, deleted_by_user_id)
    VALUES (${randomUUID()}::uuid, ${tenantId}::uuid, ${deletedByUserId}::uuid)`;
}
