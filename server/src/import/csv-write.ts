import { randomUUID } from "node:crypto";
import type { TenantDb } from "../db/tenant.js";
import { insertEntries, replaceTags, type EntryState } from "../sync/bulk-writes.js";
import type { AcceptedRow } from "./csv-time-rules.js";

/** What an import makes besides entries: only what accepted rows use. */
export interface Creations {
  clients: string[];
  projects: { name: string; client: string | null }[];
  tasks: { project: string; name: string }[];
  tags: string[];
}

const taskKey = (project: string, task: string) => JSON.stringify([project, task]);

export function creationsOf(rows: AcceptedRow[]): Creations {
  const clients = new Set<string>();
  const projects = new Map<string, string | null>();
  const tasks = new Map<string, { project: string; name: string }>();
  const tags = new Set<string>();
  for (const r of rows) {
    if (r.client && !r.client.id) clients.add(r.client.name);
    if (r.project && !r.project.id) projects.set(r.project.name, r.client?.name ?? null);
    if (r.project && r.task && !r.task.id) tasks.set(taskKey(r.project.name, r.task.name), { project: r.project.name, name: r.task.name });
    for (const t of r.tags) if (!t.id) tags.add(t.name);
  }
  return {
    clients: [...clients],
    projects: [...projects].map(([name, client]) => ({ name, client })),
    tasks: [...tasks.values()],
    tags: [...tags],
  };
}

const withIds = (names: Iterable<string>) => new Map([...names].map((n) => [n, randomUUID()]));

/**
 * Writes the import inside the caller's tenant transaction: what is missing
 * first, then each person's entries in one statement (as a sync push writes
 * them, change numbers included, so devices pull them).
 */
export async function writeImport(db: TenantDb, tenantId: string, rows: AcceptedRow[], make: Creations): Promise<void> {
  const clientIds = withIds(make.clients);
  const projectIds = withIds(make.projects.map((p) => p.name));
  const taskIds = withIds(make.tasks.map((t) => taskKey(t.project, t.name)));
  const tagIds = withIds(make.tags);
  if (clientIds.size) await db.client.createMany({ data: [...clientIds].map(([name, id]) => ({ tenantId, id, name })) });
  const projectOf = (r: AcceptedRow) => (r.project ? (r.project.id ?? projectIds.get(r.project.name)!) : null);
  if (projectIds.size) {
    const clientOf = new Map(rows.filter((r) => r.project && !r.project.id).map((r) => [r.project!.name, r.client]));
    await db.project.createMany({
      data: [...projectIds].map(([name, id]) => {
        const client = clientOf.get(name);
        return { tenantId, id, name, clientId: client ? (client.id ?? clientIds.get(client.name)!) : null };
      }),
    });
  }
  if (taskIds.size) {
    const projectByName = new Map(rows.filter((r) => r.project).map((r) => [r.project!.name, projectOf(r)!]));
    await db.task.createMany({
      data: make.tasks.map((t) => ({ tenantId, id: taskIds.get(taskKey(t.project, t.name))!, projectId: projectByName.get(t.project)!, name: t.name })),
    });
  }
  if (tagIds.size) await db.tag.createMany({ data: [...tagIds].map(([name, id]) => ({ tenantId, id, name })) });

  const byPerson = new Map<string, EntryState[]>();
  for (const r of rows) {
    const state: EntryState = {
      id: r.id,
      projectId: projectOf(r),
      taskId: r.task ? (r.task.id ?? taskIds.get(taskKey(r.project!.name, r.task.name))!) : null,
      description: r.description,
      start: r.start,
      end: r.end,
      billable: r.billable,
      tagIds: r.tags.map((t) => t.id ?? tagIds.get(t.name)!),
    };
    const own = byPerson.get(r.userId);
    if (own) own.push(state);
    else byPerson.set(r.userId, [state]);
  }
  for (const [userId, states] of byPerson) await insertEntries(db, tenantId, userId, states);
  await replaceTags(db, tenantId, [...byPerson.values()].flat(), new Set());
}
