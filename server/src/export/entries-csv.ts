import { Prisma } from "../db/generated/client.js";
import type { TenantDb } from "../db/tenant.js";
import { hoursOf, type CsvPage, type CsvRecord } from "./csv.js";

export const ENTRY_COLUMNS = [
  "date",
  "start",
  "end",
  "duration_hours",
  "user_name",
  "user_email",
  "project",
  "client",
  "task",
  "description",
  "tags",
  "billable",
] as const;

export type EntryColumn = (typeof ENTRY_COLUMNS)[number];

export interface EntryExportFilter {
  from: Date;
  to: Date;
  userId?: string;
  projectId?: string;
}

/** Rows read per statement. */
export const ENTRY_PAGE = 2000;

interface EntryRow {
  id: string;
  start_at: Date;
  end_at: Date | null;
  local_date: string;
  user_name: string | null;
  user_email: string | null;
  project: string | null;
  client: string | null;
  task: string | null;
  description: string;
  tags: string;
  billable: boolean;
}

/** Where a page starts: after this entry, in (start, id) order. */
export interface EntryCursor {
  start: Date;
  id: string;
}

function page(db: TenantDb, tenantId: string, f: EntryExportFilter, timezone: string, after: EntryCursor | null) {
  const conditions = [
    Prisma.sql`t.tenant_id = ${tenantId}::uuid`,
    Prisma.sql`t.start_at >= ${f.from}`,
    Prisma.sql`t.start_at < ${f.to}`,
  ];
  if (f.userId) conditions.push(Prisma.sql`t.user_id = ${f.userId}::uuid`);
  if (f.projectId) conditions.push(Prisma.sql`t.project_id = ${f.projectId}::uuid`);
  if (after) {
    // Keyset: everything after the last row sent, in (start, id) order.
    conditions.push(Prisma.sql`t.start_at >= ${after.start}`);
    conditions.push(Prisma.sql`(t.start_at, t.id) > (${after.start}::timestamptz, ${after.id}::uuid)`);
  }
  return db.$queryRaw<EntryRow[]>`
    SELECT t.id::text AS id, t.start_at, t.end_at, t.description, t.billable,
           to_char(t.start_at AT TIME ZONE ${timezone}, 'YYYY-MM-DD') AS local_date,
           u.name AS user_name, u.email AS user_email,
           p.name AS project, c.name AS client, k.name AS task,
           COALESCE((
             SELECT string_agg(g.name, ';' ORDER BY g.name)
             FROM time_entry_tags tt
             JOIN tags g ON g.tenant_id = tt.tenant_id AND g.id = tt.tag_id
             WHERE tt.tenant_id = t.tenant_id AND tt.entry_id = t.id
           ), '') AS tags
    FROM time_entries t
    LEFT JOIN users u ON u.id = t.user_id
    LEFT JOIN projects p ON p.tenant_id = t.tenant_id AND p.id = t.project_id
    LEFT JOIN clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id
    LEFT JOIN tasks k ON k.tenant_id = t.tenant_id AND k.id = t.task_id
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY t.start_at, t.id
    LIMIT ${ENTRY_PAGE}`;
}

function record(r: EntryRow): CsvRecord<EntryColumn> {
  const start = new Date(r.start_at);
  const end = r.end_at === null ? null : new Date(r.end_at);
  return {
    date: r.local_date,
    start: start.toISOString(),
    end: end ? end.toISOString() : "",
    duration_hours: end ? hoursOf((end.getTime() - start.getTime()) / 1000) : "",
    user_name: r.user_name ?? "",
    user_email: r.user_email ?? "",
    project: r.project ?? "",
    client: r.client ?? "",
    task: r.task ?? "",
    description: r.description,
    tags: r.tags,
    billable: r.billable ? "true" : "false",
  };
}

/**
 * One page of the entries of a range (finished and running), oldest first,
 * starting after `after`; `next` is where the following page starts.
 */
export async function entryPage(
  db: TenantDb,
  tenantId: string,
  filter: EntryExportFilter,
  timezone: string,
  after: EntryCursor | null,
): Promise<CsvPage<EntryColumn, EntryCursor>> {
  const rows = await page(db, tenantId, filter, timezone, after);
  const last = rows.at(-1);
  return {
    records: rows.map(record),
    next: rows.length < ENTRY_PAGE || !last ? null : { start: last.start_at, id: last.id },
  };
}
