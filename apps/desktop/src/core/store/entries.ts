import { statementCache, type LocalDb, type PreparedStatements } from "./local-db.js";

/** A time entry as the device holds it. Times are epoch milliseconds; `end` null = running. */
export interface LocalEntry {
  workspaceId: string;
  id: string;
  userId: string;
  projectId: string | null;
  taskId: string | null;
  description: string;
  start: number;
  end: number | null;
  billable: boolean;
  tagIds: string[];
  updatedAt: number;
}

interface EntryRow {
  workspace_id: string;
  id: string;
  user_id: string;
  project_id: string | null;
  task_id: string | null;
  description: string;
  start_at: number;
  end_at: number | null;
  billable: number;
  tag_ids: string;
  server_json: string | null;
  updated_at: number;
}

function fromRow(r: EntryRow): LocalEntry {
  return {
    workspaceId: r.workspace_id,
    id: r.id,
    userId: r.user_id,
    projectId: r.project_id,
    taskId: r.task_id,
    description: r.description,
    start: r.start_at,
    end: r.end_at,
    billable: r.billable === 1,
    tagIds: JSON.parse(r.tag_ids) as string[],
    updatedAt: r.updated_at,
  };
}

function toParams(e: LocalEntry) {
  return {
    workspace_id: e.workspaceId,
    id: e.id,
    user_id: e.userId,
    project_id: e.projectId,
    task_id: e.taskId,
    description: e.description,
    start_at: e.start,
    end_at: e.end,
    billable: e.billable ? 1 : 0,
    tag_ids: JSON.stringify(e.tagIds),
    updated_at: e.updatedAt,
  };
}

/** An entry.put mutation's args: the entry's full state on the wire. */
export interface PushedEntry {
  id: string;
  projectId: string | null;
  taskId: string | null;
  description: string;
  start: string;
  end: string | null;
  billable: boolean;
  tagIds: string[];
}

/** Row access for entries. Callers own the transaction (a change and its outbox row commit together). */
export class EntryStore {
  private readonly upsertStmt;
  private readonly getStmt;

  private readonly sql: PreparedStatements;

  constructor(private readonly db: LocalDb) {
    this.sql = statementCache(db);
    this.upsertStmt = db.prepare(`
      INSERT INTO entries (workspace_id, id, user_id, project_id, task_id, description, start_at, end_at, billable, tag_ids, updated_at)
      VALUES (@workspace_id, @id, @user_id, @project_id, @task_id, @description, @start_at, @end_at, @billable, @tag_ids, @updated_at)
      ON CONFLICT (workspace_id, id) DO UPDATE SET
        user_id = excluded.user_id, project_id = excluded.project_id, task_id = excluded.task_id,
        description = excluded.description, start_at = excluded.start_at, end_at = excluded.end_at,
        billable = excluded.billable, tag_ids = excluded.tag_ids, updated_at = excluded.updated_at, deleted = 0`);
    this.getStmt = db.prepare<[string, string], EntryRow & { deleted: number }>("SELECT * FROM entries WHERE workspace_id = ? AND id = ?");
  }

  /** The entry as the user sees it; null when there is none or it is deleted on this device. */
  get(workspaceId: string, id: string): LocalEntry | null {
    const row = this.getStmt.get(workspaceId, id);
    return row && row.deleted === 0 ? fromRow(row) : null;
  }

  /** The last version the server confirmed (also of an entry deleted here), or null if it never had it. */
  serverVersion(workspaceId: string, id: string): LocalEntry | null {
    const row = this.getStmt.get(workspaceId, id);
    return row?.server_json ? (JSON.parse(row.server_json) as LocalEntry) : null;
  }

  /**
   * Deleted on this device: hidden at once, but the row (with the server's
   * version) stays until the deletion is accepted, so a refused one can be
   * undone exactly.
   */
  markDeleted(workspaceId: string, id: string): void {
    this.sql("UPDATE entries SET deleted = 1 WHERE workspace_id = ? AND id = ?").run(workspaceId, id);
  }

  /** A deleted entry's tombstone, as it was when deleted (for undo); null when there is none. */
  tombstone(workspaceId: string, id: string): LocalEntry | null {
    const row = this.getStmt.get(workspaceId, id);
    return row && row.deleted === 1 ? fromRow(row) : null;
  }

  /** Brings a tombstone back as it was: same id, same fields (its attachments never left). */
  unmarkDeleted(workspaceId: string, id: string): void {
    this.sql("UPDATE entries SET deleted = 0 WHERE workspace_id = ? AND id = ?").run(workspaceId, id);
  }

  /** Drops the tombstones whose deletions have left the outbox (accepted, or discarded and restored). */
  purgeSettledDeletions(workspaceId: string): void {
    this.sql(
      `DELETE FROM entries INDEXED BY entries_tombstones WHERE workspace_id = ? AND deleted = 1
       AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.workspace_id = entries.workspace_id AND o.entity_id = entries.id)`,
    ).run(workspaceId);
  }

  put(entry: LocalEntry): void {
    this.upsertStmt.run(toParams(entry));
  }

  /** Stores the server's version; also makes it the local one unless `keepLocal` (pending edits win locally). */
  putFromServer(entry: LocalEntry, keepLocal: boolean): void {
    if (!keepLocal) this.put(entry);
    this.sql("UPDATE entries SET server_json = ? WHERE workspace_id = ? AND id = ?")
      .run(JSON.stringify(entry), entry.workspaceId, entry.id);
  }

  /**
   * The server applied this pushed state, so it is now the server's version
   * (`at`: when the change was made here, its updatedAt).
   */
  confirmPushed(workspaceId: string, pushed: PushedEntry, at: number): void {
    const version = {
      id: pushed.id,
      projectId: pushed.projectId,
      taskId: pushed.taskId,
      description: pushed.description,
      start: Date.parse(pushed.start),
      end: pushed.end === null ? null : Date.parse(pushed.end),
      billable: pushed.billable,
      tagIds: [...pushed.tagIds].sort(),
      updatedAt: at,
    };
    this.sql("UPDATE entries SET server_json = json_set(?, '$.workspaceId', workspace_id, '$.userId', user_id) WHERE workspace_id = ? AND id = ?")
      .run(JSON.stringify(version), workspaceId, pushed.id);
  }

  /** The server no longer has this entry (deleted elsewhere) while local changes still wait. */
  forgetServerVersion(workspaceId: string, id: string): void {
    this.sql("UPDATE entries SET server_json = NULL WHERE workspace_id = ? AND id = ?").run(workspaceId, id);
  }

  remove(workspaceId: string, id: string): void {
    this.sql("DELETE FROM entries WHERE workspace_id = ? AND id = ?").run(workspaceId, id);
  }

  list(workspaceId: string, userId: string, range: { from?: number; to?: number } = {}): LocalEntry[] {
    const rows = this.sql<[string, string, number, number], EntryRow>(
        `SELECT * FROM entries WHERE workspace_id = ? AND user_id = ? AND start_at >= ? AND start_at < ? AND deleted = 0
         ORDER BY start_at DESC, id`,
      )
      .all(workspaceId, userId, range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER);
    return rows.map(fromRow);
  }

  running(workspaceId: string, userId: string): LocalEntry | null {
    const row = this.sql<[string, string], EntryRow>("SELECT * FROM entries WHERE workspace_id = ? AND user_id = ? AND end_at IS NULL AND deleted = 0")
      .get(workspaceId, userId);
    return row ? fromRow(row) : null;
  }

  latest(workspaceId: string, userId: string): LocalEntry | null {
    const row = this.sql<[string, string], EntryRow>(
        "SELECT * FROM entries WHERE workspace_id = ? AND user_id = ? AND deleted = 0 ORDER BY start_at DESC LIMIT 1",
      )
      .get(workspaceId, userId);
    return row ? fromRow(row) : null;
  }

  /**
   * Entries of the user that share any instant with [start, end) (end null =
   * open-ended). Stored entries never overlap each other, so besides those
   * starting inside the range only the last one starting before it can reach
   * into it: two index lookups, whatever the history's length.
   */
  overlapping(workspaceId: string, userId: string, start: number, end: number | null, exceptId: string): LocalEntry[] {
    const inside = this.sql<[string, string, string, number, number], EntryRow>(
        `SELECT * FROM entries WHERE workspace_id = ? AND user_id = ? AND id <> ? AND start_at >= ? AND start_at < ? AND deleted = 0`,
      )
      .all(workspaceId, userId, exceptId, start, end ?? Number.MAX_SAFE_INTEGER);
    const before = this.sql<[string, string, string, number], EntryRow>(
        `SELECT * FROM entries WHERE workspace_id = ? AND user_id = ? AND id <> ? AND start_at < ? AND deleted = 0
         ORDER BY start_at DESC LIMIT 1`,
      )
      .get(workspaceId, userId, exceptId, start);
    const reaching = before && (before.end_at === null || before.end_at > start) ? [before] : [];
    return [...reaching, ...inside].map(fromRow);
  }

  count(workspaceId: string): number {
    return (this.sql("SELECT COUNT(*) AS n FROM entries WHERE workspace_id = ? AND deleted = 0").get(workspaceId) as { n: number }).n;
  }
}
