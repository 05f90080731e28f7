import { malformed } from "./archive-errors.js";
import type { SectionRows } from "./archive-records.js";

function idsOf(rows: { id: string }[], file: string): Set<string> {
  const ids = new Set<string>();
  for (const [i, row] of rows.entries()) {
    if (ids.has(row.id)) throw malformed(`${file} row ${i}: the id ${row.id} is used twice`, `${file}[${i}]`);
    ids.add(row.id);
  }
  return ids;
}

function mustName(ids: Set<string>, ref: string | null, file: string, i: number, field: string, what: string): void {
  if (ref !== null && !ids.has(ref)) throw malformed(`${file} row ${i}: ${field} names no ${what} in the archive`, `${file}[${i}]`);
}

/**
 * Every reference between the archive's rows points at a row of the
 * archive: the importer gives each row a new id, so a reference it cannot
 * translate (to something outside, or nothing) refuses the archive rather
 * than being written as it stands. People are checked where they must be
 * (members of projects); entries of someone who is no longer a member are
 * the importer's to sort (archive-people.ts).
 */
export function checkReferences(rows: SectionRows): void {
  const members = idsOf(rows.members, "members.json");
  const clients = idsOf(rows.clients, "clients.json");
  const projects = idsOf(rows.projects, "projects.json");
  const tasks = idsOf(rows.tasks, "tasks.json");
  const tags = idsOf(rows.tags, "tags.json");
  const entries = idsOf(rows.entries, "entries.json");
  idsOf(rows.timesheets, "timesheets.json");
  idsOf(rows["audit-log"], "audit-log.json");
  idsOf(rows.attachments, "attachments.json");
  const taskProject = new Map(rows.tasks.map((t) => [t.id, t.project_id]));

  rows.projects.forEach((p, i) => {
    mustName(clients, p.client_id, "projects.json", i, "client_id", "client");
    for (const m of p.member_ids) mustName(members, m, "projects.json", i, "member_ids", "member");
  });
  rows.tasks.forEach((t, i) => mustName(projects, t.project_id, "tasks.json", i, "project_id", "project"));
  rows.entries.forEach((e, i) => {
    mustName(projects, e.project_id, "entries.json", i, "project_id", "project");
    mustName(tasks, e.task_id, "entries.json", i, "task_id", "task");
    if (e.task_id !== null && taskProject.get(e.task_id) !== e.project_id) {
      throw malformed(`entries.json row ${i}: task_id names a task of another project`, `entries.json[${i}]`);
    }
    for (const t of e.tag_ids) mustName(tags, t, "entries.json", i, "tag_ids", "tag");
  });
  rows.attachments.forEach((a, i) => mustName(entries, a.entry_id, "attachments.json", i, "entry_id", "entry"));
}
