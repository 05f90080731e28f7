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

export interface KnownEntries {
  /** Entries with these ids that exist, with their owner and time. */
  existing: { id: string; userId: string; start: Date; end: Date | null }[];
  /** Ids that were entries once and were deleted. */
  deleted: Set<string>;
}

/**
 * What the database knows of a batch's entry ids, in one statement whatever
 * the number of ids (one JSON parameter: Prisma binds a thousand-id IN list
 * slowly). The ids become one array before the scan, so the lookup is an
 * index probe per id even where the planner has no statistics (PGlite).
 */
export async function loadKnownEntries(db: TenantDb, tenantId: string, ids: string[]): Promise<KnownEntries> {
  if (ids.length === 0) return { existing: [], deleted: new Set() };
  const wanted = JSON.stringify(ids);
  const rows = await db.$queryRaw<{ id: string; userId: string | null; start: Date | null; end: Date | null }[]>`
    SELECT t.id::text AS id, t.user_id::text AS "userId", t.start_at AS start, t.end_at AS "end"
    FROM time_entries t
    WHERE t.tenant_id = ${tenantId}::uuid AND t.id = ANY (ARRAY(SELECT value::uuid FROM jsonb_array_elements_text(${wanted}::jsonb)))
    UNION ALL
    SELECT d.entity_id::text, NULL, NULL, NULL
    FROM deletions d
    WHERE d.tenant_id = ${tenantId}::uuid AND d.entity = 'entry' AND d.entity_id = ANY (ARRAY(SELECT value::uuid FROM jsonb_array_elements_text(${wanted}::jsonb)))`;
  const existing: KnownEntries["existing"] = [];
  const deleted = new Set<string>();
  for (const r of rows) {
    if (r.userId === null) deleted.add(r.id);
    else existing.push({ id: r.id, userId: r.userId, start: r.start!, end: r.end });
  }
  return { existing, deleted };
}

const FOREVER = new Date("9999-12-31T00:00:00Z");
const CLUSTER_GAP_MS = 24 * 3_600_000;
const MAX_CLUSTERS = 16;

type Span = { start: Date; end: Date | null };

/** Groups spans that lie close together, so a week of offline work is one range, not a thousand. */
function clusters(spans: Span[]): { from: Date; to: Date }[] {
  const sorted = [...spans].sort((a, b) => a.start.getTime() - b.start.getTime());
  const out: { from: Date; to: Date }[] = [];
  for (const s of sorted) {
    const end = s.end ?? FOREVER;
    const last = out[out.length - 1];
    if (last && s.start.getTime() <= last.to.getTime() + CLUSTER_GAP_MS) {
      if (end > last.to) last.to = end;
    } else {
      out.push({ from: s.start, to: end });
    }
  }
  return out;
}

/**
 * The user's entries that can touch any of `spans`. Stored entries never
 * overlap, so for each range the candidates are the entries starting inside
 * it plus the last one starting before it; the Timeline then checks the real
 * overlap. Plain comparisons on the (tenant, user, start) index: under
 * row-level security PostgreSQL will not run a non-leakproof expression
 * (range overlap, even COALESCE) inside an index scan.
 */
export async function loadTimeline(db: TenantDb, tenantId: string, userId: string, spans: Span[]): Promise<Timeline> {
  if (spans.length === 0) return new Timeline();
  const ranges = clusters(spans);
  const probes = ranges.length <= MAX_CLUSTERS ? ranges.map((r) => ({ start: r.from, end: r.to })) : spans;
  return new Timeline(await candidates(db, tenantId, userId, probes));
}

/** The candidates of every span, one index probe each, in one statement. */
async function candidates(db: TenantDb, tenantId: string, userId: string, spans: Span[]) {
  // One JSON parameter: Prisma binds large array parameters slowly. Open ends become
  // a far future instant, since COALESCE in the condition would keep it out of the index scan.
  const wanted = JSON.stringify(spans.map((s) => ({ s: s.start.toISOString(), e: (s.end ?? FOREVER).toISOString() })));
  return db.$queryRaw<{ id: string; start: Date; end: Date | null }[]>`
    SELECT DISTINCT x.id, x.start, x."end"
    FROM jsonb_to_recordset(${wanted}::jsonb) AS r(s timestamptz, e timestamptz)
    CROSS JOIN LATERAL (
      (SELECT t.id::text AS id, t.start_at AS start, t.end_at AS "end"
       FROM time_entries t
       WHERE t.tenant_id = ${tenantId}::uuid AND t.user_id = ${userId}::uuid
         AND t.start_at >= r.s AND t.start_at < r.e
       ORDER BY t.start_at)
      UNION ALL
      (SELECT t.id::text AS id, t.start_at AS start, t.end_at AS "end"
       FROM time_entries t
       WHERE t.tenant_id = ${tenantId}::uuid AND t.user_id = ${userId}::uuid AND t.start_at < r.s
       ORDER BY t.start_at DESC
       LIMIT 1)
    ) x`;
}
