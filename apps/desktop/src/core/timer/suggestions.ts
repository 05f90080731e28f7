import type { LocalDb } from "../store/local-db.js";
import type { Scope } from "./time-tracker.js";

export interface Suggestion {
  description: string;
  projectId: string | null;
  taskId: string | null;
  tagIds: string[];
  billable: boolean;
  lastUsed: number;
}

/**
 * Past entries matching what the person types in the timer bar, most recent first, one per
 * (description, project): picking one fills the bar the way Toggl's suggestions do.
 */
export function suggestEntries(db: LocalDb, scope: Scope, text: string, limit = 8): Suggestion[] {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = db
    .prepare(
      `SELECT description, project_id, task_id, tag_ids, billable, MAX(start_at) AS last_used
         FROM entries
        WHERE workspace_id = ? AND user_id = ? AND deleted = 0 AND description <> '' AND description LIKE ? ESCAPE '\\'
        GROUP BY description, project_id
        ORDER BY last_used DESC
        LIMIT ?`,
    )
    .all(scope.workspaceId, scope.userId, pattern, limit) as {
    description: string;
    project_id: string | null;
    task_id: string | null;
    tag_ids: string;
    billable: number;
    last_used: number;
  }[];
  return rows.map((r) => ({
    description: r.description,
    projectId: r.project_id,
    taskId: r.task_id,
    tagIds: JSON.parse(r.tag_ids) as string[],
    billable: r.billable === 1,
    lastUsed: r.last_used,
  }));
}
