import { statementCache, type LocalDb, type PreparedStatements } from "./local-db.js";

export interface SyncState {
  cursor: number;
  /** The device id this workspace knows this device by, once registered. */
  registeredClient: string | null;
  lastSyncedAt: number | null;
  lastError: string | null;
}

/** Per-workspace sync bookkeeping: the pull cursor and how the last attempt went. */
export class SyncStateStore {
  private readonly sql: PreparedStatements;

  constructor(private readonly db: LocalDb) {
    this.sql = statementCache(db);
  }

  get(ws: string): SyncState {
    const row = this.sql("SELECT cursor, registered_client, last_synced_at, last_error FROM sync_state WHERE workspace_id = ?")
      .get(ws) as { cursor: number; registered_client: string | null; last_synced_at: number | null; last_error: string | null } | undefined;
    return {
      cursor: row?.cursor ?? 0,
      registeredClient: row?.registered_client ?? null,
      lastSyncedAt: row?.last_synced_at ?? null,
      lastError: row?.last_error ?? null,
    };
  }

  private ensure(ws: string) {
    this.sql("INSERT OR IGNORE INTO sync_state (workspace_id) VALUES (?)").run(ws);
  }

  setCursor(ws: string, cursor: number): void {
    this.ensure(ws);
    this.sql("UPDATE sync_state SET cursor = ? WHERE workspace_id = ?").run(cursor, ws);
  }

  /** `clientId` null: registration is needed again (the server forgot the device, or its id changed). */
  setRegistered(ws: string, clientId: string | null): void {
    this.ensure(ws);
    this.sql("UPDATE sync_state SET registered = ?, registered_client = ? WHERE workspace_id = ?").run(clientId ? 1 : 0, clientId, ws);
  }

  recordSuccess(ws: string, at: number): void {
    this.ensure(ws);
    this.sql("UPDATE sync_state SET last_synced_at = ?, last_error = NULL WHERE workspace_id = ?").run(at, ws);
  }

  recordError(ws: string, message: string): void {
    this.ensure(ws);
    this.sql("UPDATE sync_state SET last_error = ? WHERE workspace_id = ?").run(message, ws);
  }
}
