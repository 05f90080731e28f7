import type { TenantDb } from "../db/tenant.js";
import { lockStateOf, locksOf, lockStateSql, type Locks } from "./locks.js";
import { Timeline, type EntryShape, type KnownReferences } from "./entry-rules.js";

export interface KnownEntries {
  /** Entries with these ids that exist, with their owner and time. */
  existing: { id: string; userId: string; start: Date; end: Date | null }[];
  /** Ids that were entries once and were deleted. */
  deleted: Set<string>;
}

/** What writing some entries of one person has to know before it decides anything. */
export interface EntryContext {
  known: KnownEntries;
  references: KnownReferences;
  /** The person's stored entries that can touch the new states. */
  timeline: Timeline;
  /** What locks the person's time. */
  locks: Locks;
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

/** The ranges whose entries can touch `spans`: clusters of them, or each one when they scatter. */
function probesOf(spans: Span[]): { s: string; e: string }[] {
  const ranges = clusters(spans);
  const probes = ranges.length <= MAX_CLUSTERS ? ranges.map((r) => ({ start: r.from, end: r.to })) : spans;
  // Open ends become a far future instant: COALESCE in the condition would keep it out of the index scan.
  return probes.map((p) => ({ s: p.start.toISOString(), e: (p.end ?? FOREVER).toISOString() }));
}

const unique = (values: Iterable<string>) => JSON.stringify([...new Set(values)]);

interface ContextRow {
  existing: { id: string; userId: string; start: string; end: string | null }[];
  deleted: string[];
  candidates: { id: string; start: string; end: string | null }[];
  projects: { id: string; archived: boolean }[];
  tasks: { id: string; projectId: string }[];
  tags: string[];
  lockState: Parameters<typeof lockStateOf>[0];
}

/**
 * Everything a write of `entries` (and deletes of `ids`) by `userId` must
 * know, in one statement whatever their number (it runs on every push and
 * every entry write, and each statement costs a round trip through Prisma):
 *
 * - which of the ids exist (owner, time) and which were deleted;
 * - the projects, tasks and tags the new states name;
 * - what locks the person's time;
 * - the person's entries that can touch the new states. Stored entries
 *   never overlap, so for each range the candidates are the entries starting
 *   inside it plus the last one starting before it; the Timeline then checks
 *   the real overlap. Plain comparisons on the (tenant, user, start) index:
 *   under row-level security PostgreSQL will not run a non-leakproof
 *   expression (range overlap, even COALESCE) inside an index scan.
 *
 * Ids travel as one JSON parameter each (Prisma binds a thousand-element
 * array slowly) and become one array before the scan, so each lookup is an
 * index probe even where the planner has no statistics.
 */
export async function loadEntryContext(
  db: TenantDb,
  tenantId: string,
  userId: string,
  ids: string[],
  entries: EntryShape[],
): Promise<EntryContext> {
  const rows = await db.$queryRaw<ContextRow[]>`
    WITH wanted AS MATERIALIZED (
      SELECT ARRAY(SELECT value::uuid FROM jsonb_array_elements_text(${unique(ids)}::jsonb)) AS ids,
             ARRAY(SELECT value::uuid FROM jsonb_array_elements_text(${unique(entries.flatMap((e) => (e.projectId ? [e.projectId] : [])))}::jsonb)) AS projects,
             ARRAY(SELECT value::uuid FROM jsonb_array_elements_text(${unique(entries.flatMap((e) => (e.taskId ? [e.taskId] : [])))}::jsonb)) AS tasks,
             ARRAY(SELECT value::uuid FROM jsonb_array_elements_text(${unique(entries.flatMap((e) => e.tagIds))}::jsonb)) AS tags
    )
    SELECT
      (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', t.id, 'userId', t.user_id, 'start', t.start_at, 'end', t.end_at)), '[]')
       FROM time_entries t
       WHERE t.tenant_id = ${tenantId}::uuid AND t.id = ANY ((SELECT ids FROM wanted)::uuid[])) AS existing,
      (SELECT COALESCE(jsonb_agg(d.entity_id), '[]')
       FROM deletions d
       WHERE d.tenant_id = ${tenantId}::uuid AND d.entity = 'entry' AND d.entity_id = ANY ((SELECT ids FROM wanted)::uuid[])) AS deleted,
      (SELECT COALESCE(jsonb_agg(DISTINCT jsonb_build_object('id', x.id, 'start', x.start_at, 'end', x.end_at)), '[]')
       FROM jsonb_to_recordset(${JSON.stringify(probesOf(entries))}::jsonb) AS r(s timestamptz, e timestamptz)
       CROSS JOIN LATERAL (
         (SELECT t.id, t.start_at, t.end_at
          FROM time_entries t
          WHERE t.tenant_id = ${tenantId}::uuid AND t.user_id = ${userId}::uuid
            AND t.start_at >= r.s AND t.start_at < r.e
          ORDER BY t.start_at)
         UNION ALL
         (SELECT t.id, t.start_at, t.end_at
          FROM time_entries t
          WHERE t.tenant_id = ${tenantId}::uuid AND t.user_id = ${userId}::uuid AND t.start_at < r.s
          ORDER BY t.start_at DESC
          LIMIT 1)
       ) x) AS candidates,
      (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', p.id, 'archived', p.archived)), '[]')
       FROM projects p
       WHERE p.tenant_id = ${tenantId}::uuid AND p.id = ANY ((SELECT projects FROM wanted)::uuid[])) AS projects,
      (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', k.id, 'projectId', k.project_id)), '[]')
       FROM tasks k
       WHERE k.tenant_id = ${tenantId}::uuid AND k.id = ANY ((SELECT tasks FROM wanted)::uuid[])) AS tasks,
      (SELECT COALESCE(jsonb_agg(g.id), '[]')
       FROM tags g
       WHERE g.tenant_id = ${tenantId}::uuid AND g.id = ANY ((SELECT tags FROM wanted)::uuid[])) AS tags,
      ${lockStateSql(tenantId, userId)} AS "lockState"`;
  const row = rows[0]!;
  const instant = (v: string) => new Date(v);
  return {
    known: {
      existing: row.existing.map((e) => ({ id: e.id, userId: e.userId, start: instant(e.start), end: e.end === null ? null : instant(e.end) })),
      deleted: new Set(row.deleted),
    },
    references: {
      projects: new Map(row.projects.map((p) => [p.id, { archived: p.archived }])),
      tasks: new Map(row.tasks.map((t) => [t.id, { projectId: t.projectId }])),
      tagIds: new Set(row.tags),
    },
    timeline: new Timeline(row.candidates.map((c) => ({ id: c.id, start: instant(c.start), end: c.end === null ? null : instant(c.end) }))),
    locks: locksOf(lockStateOf(row.lockState)),
  };
}
