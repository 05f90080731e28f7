import type { AttachmentView } from "@hoursync/contract";
import { statementCache, type LocalDb, type PreparedStatements } from "./local-db.js";

/** A file on a time entry as the device knows it. */
export interface LocalAttachment {
  workspaceId: string;
  id: string;
  entryId: string;
  /** The user's name for the file: shown, never used as a path. */
  name: string;
  sizeBytes: number;
  contentType: string;
  sha256: string;
  /** Relative to the data folder; null while only the server has the file. */
  localPath: string | null;
  /** "device": attached here; "server": learnt from a pull. */
  origin: "device" | "server";
  /** The user removed it and its deletion is queued. */
  removing: boolean;
  createdAt: number;
}

/** What the server says about an attachment (the owner is the device's own user). */
export type ServerAttachment = Omit<AttachmentView, "userId">;

export type AttachmentState = "queued" | "uploaded" | "rejected" | "remote-only" | "downloaded";

/** An attachment with what the UI shows about it. */
export interface AttachmentListing extends LocalAttachment {
  state: AttachmentState;
  /** Set when the state is "rejected": the refused change, to show and to discard (sync.discard). */
  rejection: { mutationId: number; action: "upload" | "delete"; reason: string; message: string } | null;
}

interface AttachmentRow {
  workspace_id: string;
  id: string;
  entry_id: string;
  name: string;
  size_bytes: number;
  content_type: string;
  sha256: string;
  local_path: string | null;
  origin: "device" | "server";
  removing: number;
  created_at: number;
}

/** A row with the newest outbox item about it (if any). */
interface ListingRow extends AttachmentRow {
  op_id: number | null;
  op_name: string | null;
  op_status: "pending" | "rejected" | null;
  op_reason: string | null;
  op_message: string | null;
}

const fromRow = (r: AttachmentRow): LocalAttachment => ({
  workspaceId: r.workspace_id,
  id: r.id,
  entryId: r.entry_id,
  name: r.name,
  sizeBytes: r.size_bytes,
  contentType: r.content_type,
  sha256: r.sha256,
  localPath: r.local_path,
  origin: r.origin,
  removing: r.removing === 1,
  createdAt: r.created_at,
});

/** Null when the attachment is hidden: its removal is on its way to the server. */
function toListing(r: ListingRow): AttachmentListing | null {
  const a = fromRow(r);
  if (r.op_id !== null && r.op_status === "rejected") {
    const action = r.op_name === "attachment.delete" ? "delete" : "upload";
    return { ...a, state: "rejected", rejection: { mutationId: r.op_id, action, reason: r.op_reason ?? "", message: r.op_message ?? "" } };
  }
  if (a.removing) return null;
  if (r.op_name === "attachment.upload") return { ...a, state: "queued", rejection: null };
  const state: AttachmentState = a.localPath === null ? "remote-only" : a.origin === "device" ? "uploaded" : "downloaded";
  return { ...a, state, rejection: null };
}

const LISTING = `
  SELECT a.*, o.mutation_id AS op_id, o.name AS op_name, o.status AS op_status, o.reason AS op_reason, o.message AS op_message
  FROM attachments a
  LEFT JOIN outbox o ON o.mutation_id =
    (SELECT MAX(mutation_id) FROM outbox WHERE workspace_id = a.workspace_id AND entity_id = a.id)`;

/** Row access for attachments. Callers own the transaction (a change and its outbox row commit together). */
export class AttachmentStore {
  private readonly sql: PreparedStatements;

  constructor(db: LocalDb) {
    this.sql = statementCache(db);
  }

  insert(a: LocalAttachment): void {
    this.sql(
      `INSERT INTO attachments (workspace_id, id, entry_id, name, size_bytes, content_type, sha256, local_path, origin, removing, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(a.workspaceId, a.id, a.entryId, a.name, a.sizeBytes, a.contentType, a.sha256, a.localPath, a.origin, a.removing ? 1 : 0, a.createdAt);
  }

  get(workspaceId: string, id: string): LocalAttachment | null {
    const row = this.sql<[string, string], AttachmentRow>("SELECT * FROM attachments WHERE workspace_id = ? AND id = ?").get(workspaceId, id);
    return row ? fromRow(row) : null;
  }

  listing(workspaceId: string, id: string): AttachmentListing | null {
    const row = this.sql<[string, string], ListingRow>(`${LISTING} WHERE a.workspace_id = ? AND a.id = ?`).get(workspaceId, id);
    return row ? toListing(row) : null;
  }

  /** The attachments of an entry the user sees, oldest first. */
  forEntry(workspaceId: string, entryId: string): AttachmentListing[] {
    return this.sql<[string, string], ListingRow>(`${LISTING} WHERE a.workspace_id = ? AND a.entry_id = ? ORDER BY a.created_at, a.id`)
      .all(workspaceId, entryId)
      .flatMap((r) => toListing(r) ?? []);
  }

  /**
   * Records the server's description (after an upload, or pulled). The local
   * copy, where it came from, a queued removal and the creation time stay as
   * they are (the list keeps its order when an upload goes through).
   */
  putFromServer(workspaceId: string, s: ServerAttachment): void {
    this.sql(
      `INSERT INTO attachments (workspace_id, id, entry_id, name, size_bytes, content_type, sha256, local_path, origin, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 'server', ?)
       ON CONFLICT (workspace_id, id) DO UPDATE SET
         entry_id = excluded.entry_id, name = excluded.name, size_bytes = excluded.size_bytes,
         content_type = excluded.content_type, sha256 = excluded.sha256`,
    ).run(workspaceId, s.id, s.entryId, s.name, s.sizeBytes, s.contentType, s.sha256, s.createdAt.getTime());
  }

  /** Returns false when the row is gone (removed meanwhile). */
  setLocalPath(workspaceId: string, id: string, localPath: string | null): boolean {
    return this.sql("UPDATE attachments SET local_path = ? WHERE workspace_id = ? AND id = ?").run(localPath, workspaceId, id).changes === 1;
  }

  setRemoving(workspaceId: string, id: string, removing: boolean): void {
    this.sql("UPDATE attachments SET removing = ? WHERE workspace_id = ? AND id = ?").run(removing ? 1 : 0, workspaceId, id);
  }

  /** Deletes the row; returns its local copy's path for the caller to delete once committed. */
  remove(workspaceId: string, id: string): string | null {
    const row = this.get(workspaceId, id);
    this.sql("DELETE FROM attachments WHERE workspace_id = ? AND id = ?").run(workspaceId, id);
    return row?.localPath ?? null;
  }

  /** Deletes the rows of an entry; returns their local copies' paths. */
  removeForEntry(workspaceId: string, entryId: string): { ids: string[]; paths: string[] } {
    const rows = this.sql<[string, string], AttachmentRow>("SELECT * FROM attachments WHERE workspace_id = ? AND entry_id = ?")
      .all(workspaceId, entryId);
    this.sql("DELETE FROM attachments WHERE workspace_id = ? AND entry_id = ?").run(workspaceId, entryId);
    return { ids: rows.map((r) => r.id), paths: rows.flatMap((r) => r.local_path ?? []) };
  }

  /** Every local copy the rows point to (to tell leftovers in the data folder apart). */
  localPaths(): Set<string> {
    const rows = this.sql<[], { local_path: string }>("SELECT local_path FROM attachments WHERE local_path IS NOT NULL").all();
    return new Set(rows.map((r) => r.local_path));
  }
}
