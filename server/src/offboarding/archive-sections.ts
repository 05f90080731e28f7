import { Prisma } from "../db/generated/client.js";
import type { TenantDb } from "../db/tenant.js";

/** Rows read per statement: one page is all an archive section holds in memory. */
export const SECTION_PAGE = 1000;

/** A page of a section's rows and the id it ends at (null: the last page). */
export interface SectionPage {
  rows: Record<string, unknown>[];
  next: string | null;
}

/**
 * One JSON file of the archive: a tenant table read in keyset pages by its
 * `id` (the primary key's index after tenant_id). Rows are the table's
 * columns as JSON, less the tenant id and the sync bookkeeping (change
 * numbers, the writing device, a file's storage key), plus what belongs to the row but lives in a
 * link table (an entry's tag ids, a project's member ids).
 */
export interface ArchiveSection {
  /** File name in the archive and the manifest's count key. */
  name: string;
  read(db: TenantDb, tenantId: string, after: string | null): Promise<SectionPage>;
}

const DROPPED = Prisma.sql`- 'tenant_id' - 'change_seq' - 'written_by_client' - 'storage_key'`;

function pageOf(rows: { id: string; row: Record<string, unknown> }[]): SectionPage {
  return { rows: rows.map((r) => r.row), next: rows.length < SECTION_PAGE ? null : rows.at(-1)!.id };
}

/** A plain table: its rows, `extra` adding columns from link tables. */
function tableSection(name: string, table: string, extra: Prisma.Sql = Prisma.sql`'{}'::jsonb`): ArchiveSection {
  return {
    name,
    async read(db, tenantId, after) {
      const rows = await db.$queryRaw<{ id: string; row: Record<string, unknown> }[]>`
        SELECT x.id::text AS id, (to_jsonb(x) ${DROPPED}) || ${extra} AS row
        FROM ${Prisma.raw(`"${table}"`)} x
        WHERE x.tenant_id = ${tenantId}::uuid AND (${after}::uuid IS NULL OR x.id > ${after}::uuid)
        ORDER BY x.id
        LIMIT ${SECTION_PAGE}`;
      return pageOf(rows);
    },
  };
}

/** Members with the person's name and e-mail address (never the password hash or sessions). */
const members: ArchiveSection = {
  name: "members",
  async read(db, tenantId, after) {
    const rows = await db.$queryRaw<{ id: string; row: Record<string, unknown> }[]>`
      SELECT m.id::text AS id, (to_jsonb(m) - 'tenant_id') || jsonb_build_object('name', u.name, 'email', u.email) AS row
      FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.tenant_id = ${tenantId}::uuid AND (${after}::uuid IS NULL OR m.id > ${after}::uuid)
      ORDER BY m.id
      LIMIT ${SECTION_PAGE}`;
    return pageOf(rows);
  },
};

/** The workspace's settings: one row. */
const workspace: ArchiveSection = {
  name: "workspace",
  async read(db, tenantId) {
    const rows = await db.$queryRaw<{ row: Record<string, unknown> }[]>`
      SELECT to_jsonb(w) AS row FROM workspaces w WHERE w.tenant_id = ${tenantId}::uuid`;
    return { rows: rows.map((r) => r.row), next: null };
  },
};

/**
 * Rows an import holds for a pending invitation (held_rows, 0012), one row
 * each, with the invitation's e-mail address and role: what an importer
 * needs to hold them again, for the same person. The payload is kept as
 * stored: its ids (the row's own, an entry's tags, an attachment's entry)
 * are this server's, as are the other files', so they translate the same
 * way. The file's bytes of a held attachment are at files/<payload id>.
 */
const held: ArchiveSection = {
  name: "held",
  async read(db, tenantId, after) {
    const rows = await db.$queryRaw<{ id: string; row: Record<string, unknown> }[]>`
      SELECT h.id::text AS id,
        (to_jsonb(h) ${DROPPED}) || jsonb_build_object('email', i.email, 'role', i.role, 'payload', CASE WHEN h.kind = 'entry'
          -- A tag deleted since the import is dropped here, as the hand-over would: tags.json no longer has it.
          THEN jsonb_set(h.payload, '{tagIds}', (
            SELECT coalesce(jsonb_agg(t.value ORDER BY t.value), '[]'::jsonb)
            FROM jsonb_array_elements(h.payload -> 'tagIds') t
            WHERE EXISTS (SELECT 1 FROM tags g WHERE g.tenant_id = h.tenant_id AND g.id::text = t.value #>> '{}')))
          ELSE h.payload END) AS row
      FROM held_rows h JOIN invitations i ON i.tenant_id = h.tenant_id AND i.id = h.invitation_id
      WHERE h.tenant_id = ${tenantId}::uuid AND (${after}::uuid IS NULL OR h.id > ${after}::uuid)
      ORDER BY h.id
      LIMIT ${SECTION_PAGE}`;
    return pageOf(rows);
  },
};

/** Every section, in the order an import needs them (what is pointed at before what points). */
export const ARCHIVE_SECTIONS: readonly ArchiveSection[] = [
  workspace,
  members,
  tableSection("clients", "clients"),
  tableSection(
    "projects",
    "projects",
    Prisma.sql`jsonb_build_object('member_ids', (
      SELECT coalesce(jsonb_agg(pm.membership_id ORDER BY pm.membership_id), '[]'::jsonb)
      FROM project_members pm WHERE pm.tenant_id = x.tenant_id AND pm.project_id = x.id))`,
  ),
  tableSection("tasks", "tasks"),
  tableSection("tags", "tags"),
  tableSection(
    "entries",
    "time_entries",
    Prisma.sql`jsonb_build_object('tag_ids', (
      SELECT coalesce(jsonb_agg(tt.tag_id ORDER BY tt.tag_id), '[]'::jsonb)
      FROM time_entry_tags tt WHERE tt.tenant_id = x.tenant_id AND tt.entry_id = x.id))`,
  ),
  tableSection("timesheets", "timesheets"),
  tableSection("audit-log", "audit_events"),
  tableSection("attachments", "attachments"),
  held,
];
