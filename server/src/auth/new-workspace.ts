import { randomUUID } from "node:crypto";
import { recordAudit } from "../audit/record.js";
import type { PrismaClient } from "../db/generated/client.js";
import { withTenant } from "../db/tenant.js";

/** Creates a workspace with `userId` as its OWNER, inside the new tenant's own context. Returns its id. */
export async function createWorkspace(prisma: PrismaClient, userId: string, workspaceName: string): Promise<string> {
  const tenantId = randomUUID();
  await withTenant(prisma, tenantId, async (db) => {
    await db.workspace.create({ data: { id: tenantId, name: workspaceName } });
    await db.membership.create({ data: { tenantId, id: randomUUID(), userId, role: "OWNER" } });
    await recordAudit(db, tenantId, { actorUserId: userId, action: "workspace.created", targetType: "workspace", targetId: tenantId });
  });
  return tenantId;
}
