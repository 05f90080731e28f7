import type { TenantDb } from "../db/tenant.js";

/**
 * Set-based writes for sync batches: one statement and one JSON parameter
 * per table, whatever the batch size (Prisma's createMany binds ten
 * parameters a row and costs more than the insert itself). Every statement
 * names its tenant, like all others.
 */
export interface EntryState {
  id: string;
  projectId: string | null;
  taskId: string | null;
  description: string;
  start: Date;
  end: Date | null;
  billable: boolean;
  tagIds: string[];
}

function rows(entries: EntryState[]) {
  return JSON.stringify(
    entries.map((e) => ({
      id: e.id,
      project_id: e.projectId,
      task_id: e.taskId,
      description: e.description,
      start_at: e.start.toISOString(),
      end_at: e.end?.toISOString() ?? null,
      billable: e.billable,
    })),
  );
}

/*
 * The rows come numbered from one block of the tenant's change sequence
 * (one counter update for the batch, not one a row; the counter stays locked
 * until commit, as with the per-row stamp).
 */
export async function insertEntries(db: TenantDb, tenantId: string, userId: string, entries: EntryState[]): Promise<void> {
  if (!entries.length) return;
  await db.$executeRaw`
    INSERT INTO time_entries (tenant_id, id, user_id, project_id, task_id, description, start_at, end_at, billable, updated_at, change_seq)
    WITH block AS MATERIALIZED (SELECT app_reserve_change_seqs(${tenantId}::uuid, ${entries.length}) - ${entries.length} AS before)
    SELECT ${tenantId}::uuid, r.id, ${userId}::uuid, r.project_id, r.task_id, r.description, r.start_at, r.end_at, r.billable, now(),
           block.before + row_number() OVER ()
    FROM block, jsonb_to_recordset(${rows(entries)}::jsonb)
      AS r(id uuid, project_id uuid, task_id uuid, description text, start_at timestamptz, end_at timestamptz, billable boolean)`;
}

export async function updateEntries(db: TenantDb, tenantId: string, entries: EntryState[]): Promise<void> {
  if (!entries.length) return;
  await db.$executeRaw`
    WITH block AS MATERIALIZED (SELECT app_reserve_change_seqs(${tenantId}::uuid, ${entries.length}) - ${entries.length} AS before),
      r AS (
        SELECT x.*, row_number() OVER () AS n
        FROM jsonb_to_recordset(${rows(entries)}::jsonb)
          AS x(id uuid, project_id uuid, task_id uuid, description text, start_at timestamptz, end_at timestamptz, billable boolean)
      )
    UPDATE time_entries AS t
    SET project_id = r.project_id, task_id = r.task_id, description = r.description,
        start_at = r.start_at, end_at = r.end_at, billable = r.billable, updated_at = now(),
        written_by_client = NULLIF(current_setting('app.client_id', true), '')::uuid,
        change_seq = block.before + r.n
    FROM block, r
    WHERE t.tenant_id = ${tenantId}::uuid AND t.id = r.id`;
}

/** Replaces the tags of `entries` with their `tagIds`. */
export async function replaceTags(db: TenantDb, tenantId: string, entries: EntryState[], existed: Set<string>): Promise<void> {
  const touched = entries.filter((e) => existed.has(e.id)).map((e) => e.id);
  if (touched.length) await db.timeEntryTag.deleteMany({ where: { tenantId, entryId: { in: touched } } });
  const pairs = entries.flatMap((e) => [...new Set(e.tagIds)].map((tag) => ({ entry_id: e.id, tag_id: tag })));
  if (!pairs.length) return;
  await db.$executeRaw`
    INSERT INTO time_entry_tags (tenant_id, entry_id, tag_id)
    SELECT ${tenantId}::uuid, r.entry_id, r.tag_id
    FROM jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) AS r(entry_id uuid, tag_id uuid)`;
}
