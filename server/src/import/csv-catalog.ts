import type { TenantDb } from "../db/tenant.js";
import type { RowDraft } from "./csv-rows.js";

/** The workspace's people, clients, projects, tasks and tags that the file names, looked up by name. */
export interface Catalog {
  /** Members by lower-cased e-mail. */
  members: Map<string, { userId: string }>;
  importerEmail: string;
  clients: Map<string, { id: string }>;
  projects: Map<string, { id: string; archived: boolean; clientId: string | null; clientName: string | null }>;
  /** Tasks by project id, then name. */
  tasks: Map<string, Map<string, { id: string }>>;
  tags: Map<string, { id: string }>;
}

const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];

/** One lookup per kind, for only the names the file uses (exact names, as the database keeps them unique). */
export async function loadCatalog(db: TenantDb, tenantId: string, importerId: string, drafts: RowDraft[]): Promise<Catalog> {
  const emails = distinct(drafts.map((d) => d.email));
  const projectNames = distinct(drafts.map((d) => d.project));
  const [memberRows, importer, clientRows, projectRows, tagRows] = await Promise.all([
    db.membership.findMany({ where: { tenantId, user: { email: { in: emails } } }, select: { userId: true, user: { select: { email: true } } } }),
    db.membership.findFirstOrThrow({ where: { tenantId, userId: importerId }, select: { user: { select: { email: true } } } }),
    db.client.findMany({ where: { tenantId, name: { in: distinct(drafts.map((d) => d.client)) } }, select: { id: true, name: true } }),
    db.project.findMany({
      where: { tenantId, name: { in: projectNames } },
      select: { id: true, name: true, archived: true, clientId: true, client: { select: { name: true } } },
    }),
    db.tag.findMany({ where: { tenantId, name: { in: distinct(drafts.flatMap((d) => d.tags)) } }, select: { id: true, name: true } }),
  ]);
  const taskRows = projectRows.length
    ? await db.task.findMany({
        where: { tenantId, projectId: { in: projectRows.map((p) => p.id) }, name: { in: distinct(drafts.map((d) => d.task)) } },
        select: { id: true, name: true, projectId: true },
      })
    : [];
  const tasks = new Map<string, Map<string, { id: string }>>();
  for (const t of taskRows) {
    if (!tasks.has(t.projectId)) tasks.set(t.projectId, new Map());
    tasks.get(t.projectId)!.set(t.name, { id: t.id });
  }
  return {
    members: new Map(memberRows.map((m) => [m.user.email.toLowerCase(), { userId: m.userId }])),
    importerEmail: importer.user.email.toLowerCase(),
    clients: new Map(clientRows.map((c) => [c.name, { id: c.id }])),
    projects: new Map(
      projectRows.map((p) => [p.name, { id: p.id, archived: p.archived, clientId: p.clientId, clientName: p.client?.name ?? null }]),
    ),
    tasks,
    tags: new Map(tagRows.map((t) => [t.name, { id: t.id }])),
  };
}
