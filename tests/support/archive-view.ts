import { readZip } from "./zip.js";

type Row = Record<string, unknown>;

/**
 * An export archive with every id replaced by what it names (a project's
 * name, a person's e-mail address, a file's hash), sorted: two archives of
 * the same data, under any ids, give equal views.
 */
export async function archiveView(bytes: Buffer) {
  const zip = await readZip(bytes);
  const rows = (name: string) => JSON.parse(zip.get(`${name}.json`)!.toString("utf8")) as Row[];
  const byId = (list: Row[]) => new Map(list.map((r) => [r.id as string, r]));
  const members = rows("members");
  const emailOf = new Map(members.map((m) => [m.user_id as string, m.email as string]));
  const membershipEmail = new Map(members.map((m) => [m.id as string, m.email as string]));
  const clients = byId(rows("clients"));
  const projects = byId(rows("projects"));
  const tasks = byId(rows("tasks"));
  const tags = byId(rows("tags"));
  const attachments = rows("attachments");
  const nameOf = (map: Map<string, Row>, id: unknown) => (id ? (map.get(id as string)?.name ?? "?") : null);
  const sorted = <T>(list: T[]) => list.map((x) => JSON.stringify(x)).sort();

  return {
    /** Every row id of the archive. */
    ids: ["members", "clients", "projects", "tasks", "tags", "entries", "timesheets", "attachments", "audit-log"].flatMap((s) => rows(s).map((r) => r.id as string)),
    members: sorted(members.map((m) => ({ email: m.email, role: m.role }))),
    projects: sorted(
      [...projects.values()].map((p) => ({
        name: p.name,
        client: nameOf(clients, p.client_id),
        color: p.color,
        billable: p.billable,
        members: (p.member_ids as string[]).map((m) => membershipEmail.get(m)).sort(),
      })),
    ),
    tasks: sorted([...tasks.values()].map((t) => ({ name: t.name, project: nameOf(projects, t.project_id), done: t.done }))),
    entries: sorted(
      rows("entries").map((e) => ({
        by: emailOf.get(e.user_id as string),
        description: e.description,
        start: e.start_at,
        end: e.end_at,
        billable: e.billable,
        project: nameOf(projects, e.project_id),
        task: nameOf(tasks, e.task_id),
        tags: (e.tag_ids as string[]).map((t) => nameOf(tags, t)).sort(),
        files: attachments.filter((a) => a.entry_id === e.id).map((a) => a.sha256).sort(),
      })),
    ),
    timesheets: sorted(rows("timesheets").map((t) => ({ by: emailOf.get(t.user_id as string), start: t.period_start, status: t.status }))),
    files: attachments.map((a) => zip.get(`files/${a.id}`)).filter((b): b is Buffer => !!b),
    zip,
  };
}
