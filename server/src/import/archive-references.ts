import { malformed } from "./archive-errors.js";
import type { SectionRows } from "./archive-records.js";

/** Rows held.json holds, as the archive's own rows of their kinds (archive-held-section.ts). */
type HeldRows = Pick<SectionRows, "entries" | "timesheets" | "attachments">;

/** Where a row is, for a refusal: a file's row by index, or a held row (held.json, by kind). */
type At = (i: number) => { text: string; where: string };
const rowOf =
  (file: string): At =>
  (i) => ({ text: `${file} row ${i}`, where: `${file}[${i}]` });
const heldOf =
  (kind: string): At =>
  (i) => ({ text: `held.json (${kind} ${i})`, where: "held.json" });

const atOf = (file: string | At): At => (typeof file === "string" ? rowOf(file) : file);

function idsOf(rows: { id: string }[], file: string | At, ids = new Set<string>()): Set<string> {
  const at = atOf(file);
  for (const [i, row] of rows.entries()) {
    if (ids.has(row.id)) throw malformed(`${at(i).text}: the id ${row.id} is used twice`, at(i).where);
    ids.add(row.id);
  }
  return ids;
}

function mustName(ids: Set<string>, ref: string | null, file: string | At, i: number, field: string, what: string): void {
  const at = atOf(file);
  if (ref !== null && !ids.has(ref)) throw malformed(`${at(i).text}: ${field} names no ${what} in the archive`, at(i).where);
}

/**
 * Every reference between the archive's rows points at a row of the
 * archive: the importer gives each row a new id, so a reference it cannot
 * translate (to something outside, or nothing) refuses the archive rather
 * than being written as it stands. People are checked where they must be
 * (members of projects); entries of someone who is no longer a member are
 * the importer's to sort (archive-people.ts).
 */
export function checkReferences(rows: SectionRows, held: HeldRows = { entries: [], timesheets: [], attachments: [] }): void {
  const members = idsOf(rows.members, "members.json");
  const clients = idsOf(rows.clients, "clients.json");
  const projects = idsOf(rows.projects, "projects.json");
  const tasks = idsOf(rows.tasks, "tasks.json");
  const tags = idsOf(rows.tags, "tags.json");
  const entries = idsOf(rows.entries, "entries.json");
  const timesheets = idsOf(rows.timesheets, "timesheets.json");
  idsOf(rows["audit-log"], "audit-log.json");
  const attachments = idsOf(rows.attachments, "attachments.json");
  // Held rows share the one id map with the rest: an id used twice across them is refused as within a file.
  idsOf(held.entries, heldOf("entry"), entries);
  idsOf(held.timesheets, heldOf("timesheet"), timesheets);
  idsOf(held.attachments, heldOf("attachment"), attachments);
  const taskProject = new Map(rows.tasks.map((t) => [t.id, t.project_id]));

  rows.projects.forEach((p, i) => {
    mustName(clients, p.client_id, "projects.json", i, "client_id", "client");
    for (const m of p.member_ids) mustName(members, m, "projects.json", i, "member_ids", "member");
  });
  rows.tasks.forEach((t, i) => mustName(projects, t.project_id, "tasks.json", i, "project_id", "project"));
  const checkEntry = (at: At) => (e: SectionRows["entries"][number], i: number) => {
    mustName(projects, e.project_id, at, i, "project_id", "project");
    mustName(tasks, e.task_id, at, i, "task_id", "task");
    if (e.task_id !== null && taskProject.get(e.task_id) !== e.project_id) {
      throw malformed(`${at(i).text}: task_id names a task of another project`, at(i).where);
    }
    for (const t of e.tag_ids) mustName(tags, t, at, i, "tag_ids", "tag");
  };
  rows.entries.forEach(checkEntry(rowOf("entries.json")));
  held.entries.forEach(checkEntry(heldOf("entry")));
  rows.attachments.forEach((a, i) => mustName(entries, a.entry_id, "attachments.json", i, "entry_id", "entry"));
  held.attachments.forEach((a, i) => mustName(entries, a.entry_id, heldOf("attachment"), i, "entryId", "entry"));
}
