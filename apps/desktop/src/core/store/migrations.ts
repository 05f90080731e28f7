/**
 * The device's schema, one entry per version (never edit a shipped one).
 * Every row carries its workspace: a person in several companies keeps them
 * apart on the device too.
 */
export const LOCAL_MIGRATIONS: string[] = [
  `
  CREATE TABLE entries (
    workspace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    project_id TEXT,
    task_id TEXT,
    description TEXT NOT NULL DEFAULT '',
    start_at INTEGER NOT NULL,
    end_at INTEGER,
    billable INTEGER NOT NULL DEFAULT 0,
    tag_ids TEXT NOT NULL DEFAULT '[]',
    -- the last version the server confirmed (JSON), NULL while the server has never seen it
    server_json TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX entries_by_user_start ON entries (workspace_id, user_id, start_at);

  CREATE TABLE projects (
    workspace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    client_id TEXT,
    name TEXT NOT NULL,
    color TEXT NOT NULL,
    billable INTEGER NOT NULL,
    archived INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, id)
  ) WITHOUT ROWID;

  CREATE TABLE tasks (
    workspace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    name TEXT NOT NULL,
    done INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, id)
  ) WITHOUT ROWID;

  CREATE TABLE tags (
    workspace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (workspace_id, id)
  ) WITHOUT ROWID;

  CREATE TABLE clients (
    workspace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    archived INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, id)
  ) WITHOUT ROWID;

  -- Durable queue of local changes, written in the same transaction as the change.
  -- AUTOINCREMENT: mutation ids only grow and are never reused on this device.
  CREATE TABLE outbox (
    mutation_id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL,
    name TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    args TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'rejected')),
    reason TEXT,
    message TEXT
  );
  CREATE INDEX outbox_by_workspace ON outbox (workspace_id, status, mutation_id);
  CREATE INDEX outbox_by_entity ON outbox (workspace_id, entity_id);

  CREATE TABLE sync_state (
    workspace_id TEXT PRIMARY KEY,
    cursor INTEGER NOT NULL DEFAULT 0,
    registered INTEGER NOT NULL DEFAULT 0,
    last_synced_at INTEGER,
    last_error TEXT
  );
  `,
  // 2: files on entries. The file itself lives in the data folder under the attachment's id;
  // whether it still has to be uploaded or removed is the outbox's business (entity_id = id).
  `
  CREATE TABLE attachments (
    workspace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    name TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    -- relative to the data folder; NULL while only the server has the file
    local_path TEXT,
    -- 'device': attached here; 'server': learnt from a pull
    origin TEXT NOT NULL CHECK (origin IN ('device', 'server')),
    -- set when the user removed it: hidden while its deletion is queued
    removing INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX attachments_by_entry ON attachments (workspace_id, entry_id);
  `,
  // 3: lock state pulled with the catalog; a deleted entry stays as a hidden tombstone while its deletion is queued, keeping the
  // server's version, so discarding a refused deletion can bring exactly that back. A device
  // registers per device id (a new person on the device gets a new one).
  `
  ALTER TABLE entries ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX entries_tombstones ON entries (workspace_id) WHERE deleted = 1;
  ALTER TABLE sync_state ADD COLUMN registered_client TEXT;
  -- What locks the person's time (workspace rules and approved periods, JSON), as last pulled:
  -- the device refuses edits the server would refuse, offline too.
  CREATE TABLE lock_states (
    workspace_id TEXT PRIMARY KEY,
    state TEXT NOT NULL
  );
  `,
  // 4: the last answer of each online view (review, workspace, reports), shown marked as not
  // current while the server cannot be reached. Only reads are kept; writes are never queued.
  `
  CREATE TABLE online_answers (
    workspace_id TEXT NOT NULL,
    -- the procedure's path and its input, as JSON
    call TEXT NOT NULL,
    -- superjson of the answer (dates stay dates)
    answer TEXT NOT NULL,
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, call)
  ) WITHOUT ROWID;
  `,
];
