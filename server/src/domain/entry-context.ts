import type { TenantDb } from "../db/tenant.js";
import { Timeline, type EntryShape, type KnownReferences } from "./entry-rules.js";

/** Loads the projects, tasks and tags that `entries` name (three queries, whatever their number). */
export async function loadReferences(db: TenantDb, tenantId: string, entries: EntryShape[]): Promise<KnownReferences> {
  const projectIds = [...new Set(entries.flatMap((e) => (e.projectId ? [e.projectId] : [])))];
  const taskIds = [...new Set(entries.flatMap((e) => (e.taskId ? [e.taskId] : [])))];
  const tagIds = [...new Set(entries.flatMap((e) => e.tagIds))];
  const [projects, tasks, tags] = await Promise.all([
    projectIds.length
      ? db.project.findMany({ where: { tenantId, id: { in: projectIds } }, select: { id: true, archived: true } })
      : [],
    taskIds.length ? db.task.findMany({ where: { tenantId, id: { in: taskIds } }, select: { id: true, projectId: true } }) : [],
    tagIds.length ? db.tag.findMany({ where: { tenantId, id: { in: tagIds } }, select: { id: true } }) : [],
  ]);
  return {
    projects: new Map(projects.map((p) => [p.id, p])),
    tasks: new Map(tasks.map((t) => [t.id, t])),
    tagIds: new Set(tags.map((t) => t.id)),
  };
}

/**
 * The user's entries that touch any of `spans`, found through the GiST index
 * behind the overlap constraint, so the cost follows the spans, not the
 * length of the user's history.
 */
export async function loadTimeline(
  db: TenantDb,
  tenantId: string,
  userId: string,
  spans: { start: Date; end: Date | null }[],
): Promise<Timeline> {
  if (spans.length === 0) return new Timeline();
  const starts = spans.map((s) => s.start);
  const ends = spans.map((s) => s.end);
  const rows = await db.$queryRaw<{ id: string; start: Date; end: Date | null }[]>`
    WITH wanted AS (
      SELECT range_agg(tstzrange(s, COALESCE(e, 'infinity'::timestamptz), '[)')) AS m
      FROM unnest(${starts}::timestamptz[], ${ends}::timestamptz[]) AS r(s, e)
    )
    SELECT t.id::text AS id, t.start_at AS start, t.end_at AS "end"
    FROM time_entries t, wanted
    WHERE t.tenant_id = ${tenantId}::uuid AND t.user_id = ${userId}::uuid
      AND tstzrange(t.start_at, COALESCE(t.end_at, 'infinity'::timestamptz), '[)') && wanted.m`;
  return new Timeline(rows);
}
