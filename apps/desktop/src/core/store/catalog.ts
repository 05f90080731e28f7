import type { LockState } from "@hoursync/contract";
import { statementCache, type LocalDb, type PreparedStatements } from "./local-db.js";

export interface LocalProject {
  id: string;
  clientId: string | null;
  name: string;
  color: string;
  billable: boolean;
  archived: boolean;
}
export interface LocalTask {
  id: string;
  projectId: string;
  name: string;
  done: boolean;
}
export interface LocalTag {
  id: string;
  name: string;
}
export interface LocalClient {
  id: string;
  name: string;
  archived: boolean;
}

export type CatalogKind = "projects" | "tasks" | "tags" | "clients";

/** Projects, tasks, tags and clients as last pulled: read-only on the device. */
export class CatalogStore {
  private readonly sql: PreparedStatements;

  constructor(private readonly db: LocalDb) {
    this.sql = statementCache(db);
  }

  putProject(ws: string, p: LocalProject): void {
    this.sql(
        `INSERT OR REPLACE INTO projects (workspace_id, id, client_id, name, color, billable, archived)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(ws, p.id, p.clientId, p.name, p.color, p.billable ? 1 : 0, p.archived ? 1 : 0);
  }

  putTask(ws: string, t: LocalTask): void {
    this.sql("INSERT OR REPLACE INTO tasks (workspace_id, id, project_id, name, done) VALUES (?, ?, ?, ?, ?)")
      .run(ws, t.id, t.projectId, t.name, t.done ? 1 : 0);
  }

  putTag(ws: string, t: LocalTag): void {
    this.sql("INSERT OR REPLACE INTO tags (workspace_id, id, name) VALUES (?, ?, ?)").run(ws, t.id, t.name);
  }

  putClient(ws: string, c: LocalClient): void {
    this.sql("INSERT OR REPLACE INTO clients (workspace_id, id, name, archived) VALUES (?, ?, ?, ?)")
      .run(ws, c.id, c.name, c.archived ? 1 : 0);
  }

  /** What locks the person's time here, as last pulled (null before the first pull from a server that sends it). */
  lockState(ws: string): LockState | null {
    const row = this.sql("SELECT state FROM lock_states WHERE workspace_id = ?").get(ws) as { state: string } | undefined;
    if (!row) return null;
    const state = JSON.parse(row.state) as Omit<LockState, "lockBefore"> & { lockBefore: string | null };
    return { ...state, lockBefore: state.lockBefore ? new Date(state.lockBefore) : null };
  }

  putLockState(ws: string, state: LockState): void {
    this.sql("INSERT OR REPLACE INTO lock_states (workspace_id, state) VALUES (?, ?)").run(ws, JSON.stringify(state));
  }

  remove(ws: string, kind: CatalogKind, id: string): void {
    this.sql(`DELETE FROM ${kind} WHERE workspace_id = ? AND id = ?`).run(ws, id);
  }

  projects(ws: string, includeArchived = false): LocalProject[] {
    const rows = this.sql(
        `SELECT id, client_id, name, color, billable, archived FROM projects
         WHERE workspace_id = ? ${includeArchived ? "" : "AND archived = 0"} ORDER BY name`,
      )
      .all(ws) as { id: string; client_id: string | null; name: string; color: string; billable: number; archived: number }[];
    return rows.map((r) => ({
      id: r.id,
      clientId: r.client_id,
      name: r.name,
      color: r.color,
      billable: r.billable === 1,
      archived: r.archived === 1,
    }));
  }

  project(ws: string, id: string): LocalProject | null {
    return this.projects(ws, true).find((p) => p.id === id) ?? null;
  }

  tasks(ws: string, projectId?: string): LocalTask[] {
    const rows = this.sql(
        `SELECT id, project_id, name, done FROM tasks WHERE workspace_id = ? ${projectId ? "AND project_id = ?" : ""} ORDER BY name`,
      )
      .all(...(projectId ? [ws, projectId] : [ws])) as { id: string; project_id: string; name: string; done: number }[];
    return rows.map((r) => ({ id: r.id, projectId: r.project_id, name: r.name, done: r.done === 1 }));
  }

  tags(ws: string): LocalTag[] {
    return this.sql("SELECT id, name FROM tags WHERE workspace_id = ? ORDER BY name").all(ws) as LocalTag[];
  }

  clients(ws: string): LocalClient[] {
    const rows = this.sql("SELECT id, name, archived FROM clients WHERE workspace_id = ? ORDER BY name")
      .all(ws) as { id: string; name: string; archived: number }[];
    return rows.map((r) => ({ id: r.id, name: r.name, archived: r.archived === 1 }));
  }
}
