import type { LocalDb } from "./store/local-db.js";

const TABLES = ["entries", "projects", "tasks", "tags", "clients", "attachments", "outbox", "sync_state", "lock_states", "online_answers"] as const;

/** Removes every row the device holds for one workspace, in one transaction (attachment files: Attachments.forgetWorkspace). */
export function wipeWorkspace(db: LocalDb, workspaceId: string): void {
  db.transaction(() => {
    for (const t of TABLES) db.prepare(`DELETE FROM ${t} WHERE workspace_id = ?`).run(workspaceId);
  })();
}

/** Workspaces that have any data on this device. */
export function workspacesOnDevice(db: LocalDb): string[] {
  const rows = db
    .prepare(TABLES.map((t) => `SELECT workspace_id FROM ${t}`).join(" UNION "))
    .all() as { workspace_id: string }[];
  return rows.map((r) => r.workspace_id);
}
