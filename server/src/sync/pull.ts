import type { TenantDb } from "../db/tenant.js";
import { VIEW_FIELDS, viewOf } from "../attachments/view.js";
import { loadLockState } from "../domain/locks.js";
import { present, withTags } from "../domain/time-entries.js";

/** Tombstones a device sees only for its own user's rows. */
const OWNED = ["entry", "attachment"];

type Kind = "entries" | "attachments" | "projects" | "tasks" | "tags" | "clients" | "deletions";

/**
 * Changes since `cursor` that the user may see, in change-sequence order, at
 * most `limit` of them: the catalog, the user's own entries and their
 * attachments, and tombstones of all three. Each table is read up to `limit` rows past the cursor, so the
 * first `limit` rows of their union are the first `limit` changes overall.
 */
export async function pullChanges(
  db: TenantDb,
  tenantId: string,
  userId: string,
  cursor: number,
  limit: number,
  clientId?: string,
  opts: { onPulled?: (page: { changes: number; behind: number }) => void } = {},
) {
  const after = BigInt(cursor);
  const page = {
    where: { tenantId, changeSeq: { gt: after } },
    orderBy: { changeSeq: "asc" as const },
    omit: { changeSeq: false },
    take: limit,
  };
  const [entries, attachments, projects, tasks, tags, clients, deletions, locks] = await Promise.all([
    db.timeEntry.findMany({
      ...page,
      where: { ...page.where, userId, ...(clientId ? { OR: [{ writtenByClient: null }, { writtenByClient: { not: clientId } }] } : {}) },
      include: withTags,
    }),
    db.attachment.findMany({
      where: { ...page.where, userId },
      orderBy: page.orderBy,
      take: limit,
      select: { ...VIEW_FIELDS, changeSeq: true },
    }),
    db.project.findMany(page),
    db.task.findMany(page),
    db.tag.findMany(page),
    db.client.findMany(page),
    db.deletion.findMany({
      where: { tenantId, seq: { gt: after }, OR: [{ entity: { notIn: OWNED } }, { userId }] },
      orderBy: { seq: "asc" },
      take: limit,
    }),
    loadLockState(db, tenantId, userId),
  ]);
  const merged: { kind: Kind; seq: bigint; index: number }[] = [];
  const add = (kind: Kind, rows: { changeSeq?: bigint; seq?: bigint }[]) =>
    rows.forEach((r, index) => merged.push({ kind, seq: (r.changeSeq ?? r.seq)!, index }));
  add("entries", entries);
  add("attachments", attachments);
  add("projects", projects);
  add("tasks", tasks);
  add("tags", tags);
  add("clients", clients);
  add("deletions", deletions);
  merged.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  const taken = merged.slice(0, limit);
  const keep = (kind: Kind) => new Set(taken.filter((t) => t.kind === kind).map((t) => t.index));
  const pick = <T>(kind: Kind, rows: T[]) => {
    const k = keep(kind);
    return rows.filter((_, i) => k.has(i));
  };
  const hasMore = merged.length >= limit;
  let next = taken.length ? taken[taken.length - 1]!.seq : after;
  // The workspace's head, read on the pages' snapshot (the procedure runs REPEATABLE READ); how far
  // the cursor was behind it is the device's sync lag, which the metrics show.
  const counter = await db.changeCounter.findFirst({ where: { tenantId } });
  const head = counter?.seq ?? 0n;
  if (!hasMore && head > next) {
    // Nothing more is visible: move past changes the user may not see (others' entries). Numbers
    // are taken in commit order, so every change up to the head is in this snapshot, and was returned.
    next = head;
  }
  opts.onPulled?.({ changes: taken.length, behind: Number(head - after) });
  return {
    entries: pick("entries", entries).map((e) => {
      const p = present(e);
      return {
        id: p.id,
        userId: p.userId,
        projectId: p.projectId,
        taskId: p.taskId,
        description: p.description,
        start: p.start,
        end: p.end,
        billable: p.billable,
        tagIds: p.tagIds,
        updatedAt: p.updatedAt,
      };
    }),
    attachments: pick("attachments", attachments).map(viewOf),
    projects: pick("projects", projects).map(({ id, clientId, name, color, billable, archived }) => ({
      id,
      clientId,
      name,
      color,
      billable,
      archived,
    })),
    tasks: pick("tasks", tasks).map(({ id, projectId, name, done }) => ({ id, projectId, name, done })),
    tags: pick("tags", tags).map(({ id, name }) => ({ id, name })),
    clients: pick("clients", clients).map(({ id, name, archived }) => ({ id, name, archived })),
    deletions: pick("deletions", deletions).map((d) => ({
      entity: d.entity as "entry" | "attachment" | "project" | "task" | "tag" | "client",
      id: d.entityId,
    })),
    // Small and current: sent whole with every page, so the device checks locks offline as the server would.
    locks,
    cursor: Number(next),
    hasMore,
  };
}
