import { randomUUID } from "node:crypto";
import type { EntryCreate, EntryUpdate } from "../contract/entries.js";
import type { Role } from "../contract/common.js";
import type { TenantDb } from "../db/tenant.js";
import { loadEntryContext } from "./entry-context.js";
import { checkReferences, checkTimes } from "./entry-rules.js";
import { DomainError } from "./errors.js";
import { loadLocks } from "./locks.js";

/** Who acts on entries inside the tenant. */
export interface Actor {
  userId: string;
  role: Role;
}

const SEES_ALL: ReadonlySet<Role> = new Set(["OWNER", "ADMIN", "MANAGER"]);
const EDITS_ALL: ReadonlySet<Role> = new Set(["OWNER", "ADMIN"]);

export const seesAllEntries = (actor: Actor) => SEES_ALL.has(actor.role);

export const withTags = { tags: { select: { tagId: true } } } as const;

type EntryRow = Awaited<ReturnType<TenantDb["timeEntry"]["findFirstOrThrow"]>>;
export type EntryWithTags = EntryRow & { tagIds: string[] };

export function present(e: EntryRow & { tags: { tagId: string }[] }): EntryWithTags {
  const { tags, ...rest } = e;
  return { ...rest, tagIds: tags.map((t) => t.tagId).sort() };
}

const notFound = () => new DomainError("NOT_FOUND", "Time entry not found");

/** An entry the actor may read (their own, or any for managers and up). */
export async function readableEntry(db: TenantDb, tenantId: string, actor: Actor, id: string) {
  const entry = await db.timeEntry.findFirst({ where: { tenantId, id }, include: withTags });
  if (!entry || (entry.userId !== actor.userId && !seesAllEntries(actor))) throw notFound();
  return entry;
}

/** An entry the actor may change (their own, or any for admins). Else NOT_FOUND: no hint that it exists. */
export async function editableEntry(db: TenantDb, tenantId: string, actor: Actor, id: string) {
  const entry = await db.timeEntry.findFirst({ where: { tenantId, id }, include: withTags });
  if (!entry || (entry.userId !== actor.userId && !EDITS_ALL.has(actor.role))) throw notFound();
  return entry;
}

/**
 * Checks one entry in its new state: none of `touched` (where it was, where
 * it goes) locked, its times, references and the owner's timeline.
 */
async function checkEntry(
  db: TenantDb,
  tenantId: string,
  ownerId: string,
  e: { id: string; projectId: string | null; taskId: string | null; tagIds: string[]; start: Date; end: Date | null },
  touched: Date[],
) {
  const { locks, references, timeline } = await loadEntryContext(db, tenantId, ownerId, [], [e]);
  locks.assertOpen(...touched);
  checkTimes(e);
  checkReferences(e, references);
  timeline.checkFree(e);
}

export async function setTags(db: TenantDb, tenantId: string, entryId: string, tagIds: string[]) {
  await db.timeEntryTag.deleteMany({ where: { tenantId, entryId } });
  const unique = [...new Set(tagIds)];
  if (unique.length) await db.timeEntryTag.createMany({ data: unique.map((tagId) => ({ tenantId, entryId, tagId })) });
}

export async function createEntry(db: TenantDb, tenantId: string, actor: Actor, input: EntryCreate): Promise<EntryWithTags> {
  const { tagIds, ...fields } = input;
  const id = input.id ?? randomUUID();
  await checkEntry(db, tenantId, actor.userId, { ...input, id }, [input.start]);
  const entry = await db.timeEntry.create({ data: { ...fields, tenantId, id, userId: actor.userId } });
  await setTags(db, tenantId, id, tagIds);
  return { ...entry, tagIds: [...new Set(tagIds)].sort() };
}

export async function updateEntry(db: TenantDb, tenantId: string, actor: Actor, input: EntryUpdate): Promise<EntryWithTags> {
  const current = await editableEntry(db, tenantId, actor, input.id);
  const { id, tagIds, ...changes } = input;
  const next = {
    id,
    start: changes.start ?? current.start,
    end: changes.end === undefined ? current.end : changes.end,
    projectId: changes.projectId === undefined ? current.projectId : changes.projectId,
    taskId: changes.taskId === undefined ? current.taskId : changes.taskId,
    tagIds: tagIds ?? current.tags.map((t) => t.tagId),
  };
  // Neither where the entry was nor where it goes may be locked.
  await checkEntry(db, tenantId, current.userId, next, [current.start, next.start]);
  const entry = await db.timeEntry.update({ where: { tenantId_id: { tenantId, id } }, data: changes });
  if (tagIds) await setTags(db, tenantId, id, tagIds);
  return { ...entry, tagIds: [...new Set(next.tagIds)].sort() };
}

/** An entry the actor may change whose period is open: what deleting it or changing its attachments needs. */
export async function openEditableEntry(db: TenantDb, tenantId: string, actor: Actor, id: string) {
  const entry = await editableEntry(db, tenantId, actor, id);
  (await loadLocks(db, tenantId, entry.userId)).assertOpen(entry.start);
  return entry;
}

export async function deleteEntry(db: TenantDb, tenantId: string, actor: Actor, id: string): Promise<void> {
  await openEditableEntry(db, tenantId, actor, id);
  await db.timeEntry.delete({ where: { tenantId_id: { tenantId, id } } });
}

export async function stopRunningEntry(db: TenantDb, tenantId: string, actor: Actor, end: Date) {
  const running = await db.timeEntry.findFirst({ where: { tenantId, userId: actor.userId, end: null } });
  if (!running) throw new DomainError("NOT_FOUND", "No timer is running");
  if (end <= running.start) throw new DomainError("VALIDATION", "End must be after start");
  (await loadLocks(db, tenantId, actor.userId)).assertOpen(running.start);
  return db.timeEntry.update({ where: { tenantId_id: { tenantId, id: running.id } }, data: { end } });
}
