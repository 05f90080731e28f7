import type { Catalog } from "./csv-catalog.js";
import type { RowDraft } from "./csv-rows.js";

/** A name of the file: an existing object's id, or null for one the import would create. */
export interface NameRef {
  name: string;
  id: string | null;
}

/** A row whose person and names are known: what the time rules are checked on. */
export interface ResolvedRow extends Omit<RowDraft, "email" | "project" | "client" | "task" | "tags"> {
  userId: string;
  email: string;
  project: NameRef | null;
  /** The project's client, as the entry will be filed (a new project's client may be new too). */
  client: NameRef | null;
  task: NameRef | null;
  tags: NameRef[];
}

export type Resolution = { ok: true; row: ResolvedRow } | { ok: false; row: number; reason: string };

export interface Importer {
  userId: string;
  /** Owners and admins import anyone's time and may create what is missing. */
  isAdmin: boolean;
  createMissing: boolean;
}

/**
 * Looks up a row's person and names in the workspace, file order: the first
 * row that names a new project decides its client, and later rows must agree.
 */
export class NameResolver {
  private readonly newProjectClients = new Map<string, { client: string | null; row: number }>();

  constructor(
    private readonly catalog: Catalog,
    private readonly importer: Importer,
  ) {}

  resolve(d: RowDraft): Resolution {
    const refuse = (reason: string): Resolution => ({ ok: false, row: d.row, reason });
    const email = d.email ?? this.catalog.importerEmail;
    if (!this.importer.isAdmin && email !== this.catalog.importerEmail) {
      return refuse(`it is the time of ${email}: only admins and owners import other people's time`);
    }
    const member = this.catalog.members.get(email) ?? (email === this.catalog.importerEmail ? { userId: this.importer.userId } : null);
    if (!member) return refuse(`nobody with the e-mail ${email} is a member of this workspace`);

    const missing: string[] = [];
    const existingOrNew = <T extends { id: string }>(found: T | undefined, kind: string, name: string): NameRef => {
      if (found) return { name, id: found.id };
      if (!this.canCreate) missing.push(`${kind} "${name}"`);
      return { name, id: null };
    };

    let project: NameRef | null = null;
    let client: NameRef | null = null;
    let task: NameRef | null = null;
    if (d.project) {
      const known = this.catalog.projects.get(d.project);
      if (known) {
        if (known.archived) return refuse(`the project "${d.project}" is archived`);
        if (d.client && d.client !== known.clientName) {
          return refuse(
            known.clientName
              ? `the project "${d.project}" belongs to the client "${known.clientName}" here, not "${d.client}"`
              : `the project "${d.project}" has no client here, but the row says "${d.client}"`,
          );
        }
        project = { name: d.project, id: known.id };
        client = known.clientId && known.clientName ? { name: known.clientName, id: known.clientId } : null;
      } else {
        const first = this.newProjectClients.get(d.project);
        if (first && first.client !== d.client) {
          return refuse(`row ${first.row} files the new project "${d.project}" under ${first.client ? `the client "${first.client}"` : "no client"}, this row under ${d.client ? `"${d.client}"` : "none"}`);
        }
        project = { name: d.project, id: null };
        if (!this.canCreate) missing.push(`project "${d.project}"`);
        client = d.client ? existingOrNew(this.catalog.clients.get(d.client), "client", d.client) : null;
      }
      if (d.task) task = existingOrNew(project.id ? this.catalog.tasks.get(project.id)?.get(d.task) : undefined, "task", d.task);
    }
    const tags = d.tags.map((t) => existingOrNew(this.catalog.tags.get(t), "tag", t));
    if (missing.length) {
      const why = this.importer.isAdmin ? "and creating what is missing is off" : "and only admins and owners can create them";
      return refuse(`this workspace has no ${missing.join(", ")}, ${why}`);
    }
    if (project && !project.id && !this.newProjectClients.has(project.name)) {
      this.newProjectClients.set(project.name, { client: d.client, row: d.row });
    }
    return { ok: true, row: { ...d, email, userId: member.userId, project, client, task, tags } };
  }

  private get canCreate(): boolean {
    return this.importer.isAdmin && this.importer.createMissing;
  }
}
