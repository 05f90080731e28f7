import { statementCache, type LocalDb, type PreparedStatements } from "./local-db.js";

export type MutationName = "entry.put" | "entry.delete" | AttachmentMutationName;

/** Sent one by one through their own requests (a file is not a batch row), in outbox order. */
export type AttachmentMutationName = "attachment.upload" | "attachment.delete";

export const isAttachmentMutation = (name: MutationName): name is AttachmentMutationName => name.startsWith("attachment.");

export interface OutboxItem {
  mutationId: number;
  workspaceId: string;
  name: MutationName;
  entityId: string;
  args: unknown;
  createdAt: number;
  status: "pending" | "rejected";
  reason: string | null;
  message: string | null;
}

interface OutboxRow {
  mutation_id: number;
  workspace_id: string;
  name: MutationName;
  entity_id: string;
  args: string;
  created_at: number;
  status: "pending" | "rejected";
  reason: string | null;
  message: string | null;
}

const fromRow = (r: OutboxRow): OutboxItem => ({
  mutationId: r.mutation_id,
  workspaceId: r.workspace_id,
  name: r.name,
  entityId: r.entity_id,
  args: JSON.parse(r.args),
  createdAt: r.created_at,
  status: r.status,
  reason: r.reason,
  message: r.message,
});

/**
 * The durable queue of local changes. Appends happen inside the caller's
 * transaction, together with the change itself; ids grow monotonically.
 */
export class Outbox {
  private readonly appendStmt;

  private readonly sql: PreparedStatements;

  constructor(private readonly db: LocalDb) {
    this.sql = statementCache(db);
    this.appendStmt = db.prepare(
      "INSERT INTO outbox (workspace_id, name, entity_id, args, created_at) VALUES (?, ?, ?, ?, ?)",
    );
  }

  /** `at`: when the change was made (an entry's updatedAt), so the server's version can carry it once confirmed. */
  append(workspaceId: string, name: MutationName, entityId: string, args: unknown, at = Date.now()): number {
    const info = this.appendStmt.run(workspaceId, name, entityId, JSON.stringify(args), at);
    return Number(info.lastInsertRowid);
  }

  /** The oldest pending mutations of a workspace, in order. */
  pending(workspaceId: string, limit: number): OutboxItem[] {
    return this.pendingAfter(workspaceId, 0, limit);
  }

  /** The first `limit` pending changes after mutation `after`, in order. */
  pendingAfter(workspaceId: string, after: number, limit: number): OutboxItem[] {
    return this.sql<[string, number, number], OutboxRow>(
        "SELECT * FROM outbox WHERE workspace_id = ? AND status = 'pending' AND mutation_id > ? ORDER BY mutation_id LIMIT ?",
      )
      .all(workspaceId, after, limit)
      .map(fromRow);
  }

  rejected(workspaceId: string): OutboxItem[] {
    return this.sql<[string], OutboxRow>("SELECT * FROM outbox WHERE workspace_id = ? AND status = 'rejected' ORDER BY mutation_id")
      .all(workspaceId)
      .map(fromRow);
  }

  get(mutationId: number): OutboxItem | null {
    const row = this.sql<[number], OutboxRow>("SELECT * FROM outbox WHERE mutation_id = ?").get(mutationId);
    return row ? fromRow(row) : null;
  }

  countPending(workspaceId: string): number {
    return (
      this.sql("SELECT COUNT(*) AS n FROM outbox WHERE workspace_id = ? AND status = 'pending'").get(workspaceId) as {
        n: number;
      }
    ).n;
  }

  count(workspaceId: string): number {
    return (this.sql("SELECT COUNT(*) AS n FROM outbox WHERE workspace_id = ?").get(workspaceId) as { n: number }).n;
  }

  /** True while any queued (or rejected) change concerns this entity: local edits win over pulled ones. */
  touches(workspaceId: string, entityId: string): boolean {
    return (
      this.sql("SELECT 1 FROM outbox WHERE workspace_id = ? AND entity_id = ? LIMIT 1").get(workspaceId, entityId) !==
      undefined
    );
  }

  /** The entity's latest queued change of this name, if it is still waiting (pending or refused). */
  latestOf(workspaceId: string, entityId: string, name: MutationName): OutboxItem | null {
    const row = this.sql<[string, string, string], OutboxRow>(
      "SELECT * FROM outbox WHERE workspace_id = ? AND entity_id = ? AND name = ? ORDER BY mutation_id DESC LIMIT 1",
    ).get(workspaceId, entityId, name);
    return row ? fromRow(row) : null;
  }

  markApplied(mutationId: number): void {
    this.sql("DELETE FROM outbox WHERE mutation_id = ?").run(mutationId);
  }

  /** Many at once (a pushed batch): one statement. */
  markAppliedMany(mutationIds: number[]): void {
    if (mutationIds.length) this.sql("DELETE FROM outbox WHERE mutation_id IN (SELECT value FROM json_each(?))").run(JSON.stringify(mutationIds));
  }

  /** Whether any change of the workspace waits for the user after a refusal. */
  hasRejected(workspaceId: string): boolean {
    return this.sql("SELECT 1 FROM outbox WHERE workspace_id = ? AND status = 'rejected' LIMIT 1").get(workspaceId) !== undefined;
  }

  markRejected(mutationId: number, reason: string, message: string): void {
    this.sql("UPDATE outbox SET status = 'rejected', reason = ?, message = ? WHERE mutation_id = ?")
      .run(reason, message, mutationId);
  }

  /** A later change of the entity went through: its earlier refusals are moot. */
  dropRejectedBefore(workspaceId: string, entityId: string, mutationId: number): void {
    this.sql("DELETE FROM outbox WHERE workspace_id = ? AND entity_id = ? AND status = 'rejected' AND mutation_id < ?")
      .run(workspaceId, entityId, mutationId);
  }

  /** Drops every queued change of an entity (used when the user discards a rejected change). */
  dropEntity(workspaceId: string, entityId: string): number {
    return this.sql("DELETE FROM outbox WHERE workspace_id = ? AND entity_id = ?").run(workspaceId, entityId).changes;
  }
}
