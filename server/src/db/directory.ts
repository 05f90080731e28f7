import type { PrismaClient } from "./generated/client.js";
import type { Role } from "../contract/common.js";

export interface DirectoryEntry {
  workspaceId: string;
  name: string;
  role: Role;
}

/**
 * "Which workspaces am I in?" is the one question that spans tenants. It runs
 * in its own transaction with no tenant set and only `app.directory_user_id`,
 * which the `directory_self` policies allow to read the caller's own
 * memberships and those workspaces' names: nothing else, never a write.
 */
export async function workspacesOfUser(prisma: PrismaClient, userId: string): Promise<DirectoryEntry[]> {
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT set_config('app.directory_user_id', ${userId}, true)`;
    return tx.$queryRaw<DirectoryEntry[]>`/* directory */
      SELECT w.tenant_id::text AS "workspaceId", w.name, m.role::text AS role
      FROM memberships m JOIN workspaces w ON w.tenant_id = m.tenant_id
      WHERE m.user_id = ${userId}::uuid
      ORDER BY w.name`;
  });
}
