/**
 * Test support for the desktop core: real SQLite files in a fresh temp
 * folder, the stores and a TimeTracker on a controllable clock. Not used by
 * the app itself.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AttachmentFiles } from "../attachments/attachment-files.js";
import { LocalError } from "../errors.js";
import { AttachmentStore } from "../store/attachments.js";
import { CatalogStore } from "../store/catalog.js";
import { EntryStore } from "../store/entries.js";
import { openLocalDb, type LocalDb } from "../store/local-db.js";
import { Outbox } from "../store/outbox.js";
import { SyncStateStore } from "../store/sync-state.js";
import { TimeTracker, type Scope } from "../timer/time-tracker.js";

// Fixed, valid (RFC 9562 v4) ids so failures are readable.
export const WS_A = "aaaaaaaa-0000-4000-8000-000000000001";
export const WS_B = "bbbbbbbb-0000-4000-8000-000000000002";
export const ALICE = "a11ce000-0000-4000-8000-00000000a11c";
export const BOB = "b0b00000-0000-4000-8000-000000000b0b";
export const PROJECT_1 = "00000000-0000-4000-8000-000000000001";
export const PROJECT_2 = "00000000-0000-4000-8000-000000000002";
export const TASK_1 = "00000000-0000-4000-8000-0000000000a1"; // belongs to PROJECT_1
export const TASK_2 = "00000000-0000-4000-8000-0000000000a2"; // belongs to PROJECT_2
export const TAG_1 = "00000000-0000-4000-8000-0000000000f1";
export const TAG_2 = "00000000-0000-4000-8000-0000000000f2";
export const UNKNOWN_ID = "99999999-9999-4999-8999-999999999999";

export const aliceIn = (workspaceId: string): Scope => ({ workspaceId, userId: ALICE });
export const bobIn = (workspaceId: string): Scope => ({ workspaceId, userId: BOB });

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
/** 2025-03-03T09:00:00Z, a Monday morning. */
export const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);

/** A settable clock for the tracker's `now`. */
export class Clock {
  constructor(public t = T0) {}
  readonly now = (): number => this.t;
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }
}

/** One opened device database with everything built on it. */
export interface Device {
  file: string;
  db: LocalDb;
  entries: EntryStore;
  outbox: Outbox;
  catalog: CatalogStore;
  syncState: SyncStateStore;
  attachments: AttachmentStore;
  /** Attachment copies, in a folder named after the database file. */
  files: AttachmentFiles;
  tracker: TimeTracker;
  clock: Clock;
}

export function buildDevice(file: string, db: LocalDb, clock = new Clock()): Device {
  const entries = new EntryStore(db);
  const outbox = new Outbox(db);
  const catalog = new CatalogStore(db);
  const syncState = new SyncStateStore(db);
  const tracker = new TimeTracker(db, entries, outbox, catalog, clock.now);
  const attachments = new AttachmentStore(db);
  const files = new AttachmentFiles(`${file}.data`);
  return { file, db, entries, outbox, catalog, syncState, attachments, files, tracker, clock };
}

/** A temp folder that closes every database opened through it and then deletes itself. */
export class TempFolder {
  readonly dir = mkdtempSync(path.join(tmpdir(), "hoursync-core-"));
  private readonly opened: LocalDb[] = [];

  path(name: string): string {
    return path.join(this.dir, name);
  }

  /** Opens (creating and migrating if needed) a database file in this folder. */
  openDb(name = "hoursync.db"): LocalDb {
    const db = openLocalDb(this.path(name));
    this.opened.push(db);
    return db;
  }

  openDevice(name = "hoursync.db", clock = new Clock()): Device {
    return buildDevice(this.path(name), this.openDb(name), clock);
  }

  cleanup(): void {
    for (const db of this.opened) if (db.open) db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The catalog most tests need: two projects with a task each and two tags, in `ws`. */
export function seedCatalog(catalog: CatalogStore, ws: string): void {
  catalog.putProject(ws, { id: PROJECT_1, clientId: null, name: "Website", color: "#f00", billable: true, archived: false });
  catalog.putProject(ws, { id: PROJECT_2, clientId: null, name: "Mobile", color: "#0f0", billable: false, archived: false });
  catalog.putTask(ws, { id: TASK_1, projectId: PROJECT_1, name: "Design", done: false });
  catalog.putTask(ws, { id: TASK_2, projectId: PROJECT_2, name: "Build", done: false });
  catalog.putTag(ws, { id: TAG_1, name: "meeting" });
  catalog.putTag(ws, { id: TAG_2, name: "urgent" });
}

/** Every row of the tables a local change may write, to prove a failed change wrote nothing. */
export function dump(db: LocalDb): { entries: unknown[]; outbox: unknown[]; sequence: unknown[] } {
  return {
    entries: db.prepare("SELECT * FROM entries ORDER BY workspace_id, id").all(),
    outbox: db.prepare("SELECT * FROM outbox ORDER BY mutation_id").all(),
    sequence: db.prepare("SELECT * FROM sqlite_sequence ORDER BY name").all(),
  };
}

/** Calls `fn` and returns the LocalError it throws (fails the test if it does not throw one). */
export function catchLocal(fn: () => unknown): LocalError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LocalError) return err;
    throw err;
  }
  throw new Error("expected a LocalError, but nothing was thrown");
}
